"""Issue 13, cases 3 and 8: reports made as SQL views and campaign figures computed
as the system show a user only what the records behind them allow."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_campaign_results import CampaignTestCommon


@tagged("post_install", "-at_install")
class TestReportsFollowTheirRecords(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Reports B s.r.o."})
        main = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.restricted = new_test_user(
            cls.env,
            login="report_restricted",
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_extended.group_card_own_customers_only",
            **main,
        )
        cls.accountant_b = new_test_user(
            cls.env(su=True),
            login="report_accountant_b",
            groups="base.group_user,crm_extended.group_card_accountant",
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.accountant_a = cls.user_accountant
        # 16 members: one customer of the restricted salesperson, 15 of others.
        cls.mine = cls.env["res.partner"].create(
            {"name": "Mine s.r.o.", "is_company": True, "user_id": cls.restricted.id}
        )
        others = cls.env["res.partner"].create(
            [
                {
                    "name": f"Theirs {n}",
                    "is_company": True,
                    "user_id": cls.user_manager.id,
                }
                for n in range(15)
            ]
        )
        for partner in cls.mine | others:
            cls.member(cls.fair_campaign, partner, cls.st_stand)
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Customer of B",
                "is_company": True,
                "company_id": cls.company_b.id,
            }
        )
        cls.member_b = cls.member(cls.call_campaign, cls.customer_b, cls.st_call_yes)

    def _as(self, user, model):
        user = user.sudo()
        self.env.flush_all()
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
        )

    def test_response_analysis_shows_what_the_members_show(self):
        domain = [("campaign_id", "=", self.fair_campaign.id)]
        members = self._as(self.restricted, "crm_extended.campaign.member").search(
            domain
        )
        rows = self._as(
            self.restricted, "crm_extended.campaign.response.report"
        ).search(domain)
        self.assertEqual(members.partner_id, self.mine)
        self.assertEqual(rows.partner_id, self.mine)
        self.assertEqual(sum(rows.mapped("member_count")), 1)
        everyone = self._as(self.accountant_a, "crm_extended.campaign.response.report")
        self.assertEqual(sum(everyone.search(domain).mapped("member_count")), 16)

    def test_members_of_another_companys_customer(self):
        Member = self._as(self.user_salesperson, "crm_extended.campaign.member")
        self.assertFalse(Member.search([("id", "=", self.member_b.id)]))
        with self.assertRaises(AccessError):
            Member.browse(self.member_b.id).write({"note": "taken over"})
        with self.assertRaises(AccessError):
            Member.browse(self.member_b.id).read(["status"])
        Report = self._as(
            self.user_salesperson, "crm_extended.campaign.response.report"
        )
        self.assertFalse(Report.search([("member_id", "=", self.member_b.id)]))
        in_b = self._as(self.accountant_b, "crm_extended.campaign.member")
        self.assertEqual(in_b.search([("id", "=", self.member_b.id)]), self.member_b)

    def test_segment_memberships_of_another_companys_customer(self):
        axis = self.env["crm_extended.segment.axis"].create(
            {"name": "Report size", "value_ids": [Command.create({"name": "XL"})]}
        )
        self.customer_b.crm_segment_value_ids = axis.value_ids
        self.customer.crm_segment_value_ids = axis.value_ids
        domain = [("axis_id", "=", axis.id)]
        in_a = self._as(self.user_salesperson, "crm_extended.segment.membership")
        self.assertEqual(in_a.search(domain).partner_id, self.customer)
        in_b = self._as(self.accountant_b, "crm_extended.segment.membership")
        self.assertEqual(
            in_b.search(domain).partner_id, self.customer | self.customer_b
        )

    def test_sales_analysis_of_own_customers_only(self):
        self.post_invoice(self.mine, 100.0, "2026-02-01")
        theirs = self.env["res.partner"].search([("name", "=", "Theirs 0")])
        self.post_invoice(theirs, 200.0, "2026-02-01")
        Report = self._as(self.restricted, "crm_extended.sale.report")
        rows = Report.search([("partner_id", "in", (self.mine | theirs).ids)])
        self.assertEqual(rows.partner_id, self.mine)
        everyone = self._as(self.accountant_a, "crm_extended.sale.report")
        self.assertEqual(
            everyone.search(
                [("partner_id", "in", (self.mine | theirs).ids)]
            ).partner_id,
            self.mine | theirs,
        )


@tagged("post_install", "-at_install")
class TestCampaignFiguresCountTheReadersCompanies(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Campaign B a.s."})
        cls.accountant_b = new_test_user(
            cls.env(su=True),
            login="campaign_accountant_b",
            groups="base.group_user,crm_extended.group_card_accountant",
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.member(cls.fair_campaign, cls.people[0], cls.st_stand, when="2026-02-01")
        cls.won_a = cls.won_lead(cls.people[0], 1000.0, cls.fair_campaign)
        cls.won_b = cls.won_lead(cls.people[0], 5000.0, cls.fair_campaign)
        cls.won_b.company_id = cls.company_b

    def _campaign_as(self, user):
        return self.fair_campaign.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )

    def test_won_opportunities_and_revenue(self):
        in_a = self._campaign_as(self.user_accountant)
        self.assertEqual((in_a.won_count, in_a.won_revenue), (1, 1000.0))
        in_b = self._campaign_as(self.accountant_b)
        self.assertEqual((in_b.won_count, in_b.won_revenue), (1, 5000.0))

    def test_attribution_of_won_revenue(self):
        for user, lead in (
            (self.user_accountant, self.won_a),
            (self.accountant_b, self.won_b),
        ):
            with self.subTest(user=user.login):
                report = (
                    self.env["crm_extended.campaign.attribution"]
                    .with_user(user)
                    .with_context(allowed_company_ids=user.company_ids.ids)
                    .create({"attribution_model": "linear"})
                )
                lines = report._compute_lines()
                self.assertEqual({line["lead_id"] for line in lines}, {lead.id})

    def test_response_analysis_counts_the_readers_opportunities(self):
        self.env.flush_all()
        for user, revenue in (
            (self.user_accountant, 1000.0),
            (self.accountant_b, 5000.0),
        ):
            with self.subTest(user=user.login):
                Report = (
                    self.env["crm_extended.campaign.response.report"]
                    .with_user(user)
                    .with_context(allowed_company_ids=user.company_ids.ids)
                )
                [(members, won, total)] = Report._read_group(
                    [("campaign_id", "=", self.fair_campaign.id)],
                    [],
                    ["member_count:sum", "won_count:sum", "won_revenue:sum"],
                )
                self.assertEqual((members, won, total), (1, 1, revenue))
