from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CardTestCommon


class CampaignTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.st_sent = ref("crm_extended.campaign_status_sent")
        cls.st_bounced = ref("crm_extended.campaign_status_bounced")
        cls.st_opened = ref("crm_extended.campaign_status_opened")
        cls.st_clicked = ref("crm_extended.campaign_status_clicked")
        cls.st_replied = ref("crm_extended.campaign_status_replied")
        cls.st_stand = ref("crm_extended.campaign_status_visited_stand")
        cls.st_call_yes = ref("crm_extended.campaign_status_called_interested")
        cls.st_call_no = ref("crm_extended.campaign_status_called_not_interested")
        cls.won_stage = cls.env["crm.stage"].create(
            {"name": "Campaign test won", "is_won": True, "sequence": 90}
        )
        Campaign = cls.env["utm.campaign"]
        cls.mailing_campaign = Campaign.create(
            {"title": "Test mailing", "campaign_type": "mailing"}
        )
        cls.fair_campaign = Campaign.create(
            {"title": "Test fair", "campaign_type": "exhibition"}
        )
        cls.call_campaign = Campaign.create(
            {"title": "Test calls", "campaign_type": "call"}
        )
        cls.people = cls.env["res.partner"].create(
            [{"name": f"Campaign person {n}", "is_company": True} for n in range(8)]
        )

    @classmethod
    def member(cls, campaign, partner, status=None, when=None, channel=None):
        values = {"campaign_id": campaign.id, "partner_id": partner.id}
        if status:
            values["status"] = status.id
        if when:
            values["first_response_date"] = fields.Datetime.to_datetime(when)
        if channel:
            values["response_channel"] = channel
        return cls.env["crm_extended.campaign.member"].create(values)

    @classmethod
    def won_lead(cls, partner, revenue, campaign=None, closed="2026-04-01 12:00:00"):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Won from {partner.name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": revenue,
                "campaign_id": campaign.id if campaign else False,
            }
        )
        lead.stage_id = cls.won_stage
        lead.date_closed = fields.Datetime.to_datetime(closed)
        return lead


@tagged("post_install", "-at_install")
class TestCampaignResults(CampaignTestCommon):
    def test_response_rates_by_channel_and_status(self):
        # Mailing to 8: two opened/replied by e-mail, one bounced, five only sent.
        self.member(
            self.mailing_campaign, self.people[0], self.st_opened, channel="email"
        )
        self.member(
            self.mailing_campaign, self.people[1], self.st_replied, channel="email"
        )
        self.member(self.mailing_campaign, self.people[2], self.st_bounced)
        for partner in self.people[3:]:
            self.member(self.mailing_campaign, partner, self.st_sent)
        campaign = self.mailing_campaign
        self.assertEqual(campaign.member_count, 8)
        self.assertEqual(campaign.response_count, 2)
        self.assertAlmostEqual(campaign.response_rate, 25.0)
        # Fair: 4 members, one at the stand, one called back interested -> 50 %.
        self.member(self.fair_campaign, self.people[0], self.st_stand)
        self.member(self.fair_campaign, self.people[1], self.st_call_yes)
        self.member(self.fair_campaign, self.people[2])
        self.member(self.fair_campaign, self.people[3], self.st_call_no)
        fair = self.fair_campaign
        self.assertEqual((fair.member_count, fair.response_count), (4, 3))
        self.assertAlmostEqual(fair.response_rate, 75.0)
        data = fair._response_breakdown_data()
        self.assertEqual(data["channel"], {"Exhibition stand": 0.25, "Phone": 0.5})
        self.assertEqual(
            data["status"],
            {
                "Visited stand": 0.25,
                "Called – interested": 0.25,
                "Called – not interested": 0.25,
            },
        )
        self.assertIn("50.0 %", fair.response_breakdown)

    @freeze_time("2026-05-01")
    def test_revenue_cost_per_response_and_roi(self):
        campaign = self.fair_campaign
        campaign.write({"actual_cost": 1000.0, "budget": 1200.0})
        customer = self.customer
        # The contact visited the stand on 10 January; horizon 30 days -> 9 February.
        campaign.revenue_horizon_days = 30
        self.member(
            campaign, self.customer_contact, self.st_stand, "2026-01-10 09:00:00"
        )
        self.member(campaign, self.people[0], self.st_stand, "2026-01-11 09:00:00")
        self.member(campaign, self.people[1])
        self.member(campaign, self.people[2])
        self.won_lead(customer, 2500.0, campaign)
        self.won_lead(self.people[0], 500.0, self.mailing_campaign)  # other campaign
        invoice = self.post_invoice(customer, 1000.0, "2026-01-20")
        self.post_invoice(customer, 100.0, "2026-01-25", move_type="out_refund")
        self.post_invoice(customer, 500.0, "2026-03-01")  # after the horizon
        self.post_invoice(customer, 700.0, "2026-01-05")  # before the response
        self.pay(invoice, "2026-02-01", amount=600.0)  # within the horizon
        self.pay(invoice, "2026-03-15")  # the rest, too late
        campaign.invalidate_recordset()
        campaign = campaign.with_user(self.user_accountant)
        self.assertEqual(campaign.response_count, 2)
        self.assertAlmostEqual(campaign.response_rate, 50.0)
        self.assertEqual(campaign.won_count, 1)
        self.assertAlmostEqual(campaign.won_revenue, 2500.0)
        self.assertAlmostEqual(campaign.invoiced_revenue, 900.0)  # 1000 - 100
        self.assertAlmostEqual(campaign.paid_revenue, 600.0)
        self.assertAlmostEqual(campaign.cost_per_response, 500.0)  # 1000 / 2
        self.assertAlmostEqual(campaign.roi, 150.0)  # (2500 - 1000) / 1000
        # A longer horizon takes in the March invoice and the late payment.
        campaign.sudo().revenue_horizon_days = 90
        campaign.invalidate_recordset()
        self.assertAlmostEqual(campaign.invoiced_revenue, 1400.0)
        self.assertAlmostEqual(campaign.paid_revenue, 1000.0)

    def test_salesperson_sees_responses_but_no_money(self):
        self.fair_campaign.actual_cost = 300.0
        self.member(self.fair_campaign, self.people[0], self.st_stand)
        campaign = self.fair_campaign.with_user(self.user_salesperson)
        campaign.invalidate_recordset()
        values = campaign.read(["member_count", "response_count", "response_rate"])[0]
        self.assertEqual(values["response_count"], 1)
        for field_name in (
            "budget",
            "actual_cost",
            "won_revenue",
            "roi",
            "paid_revenue",
        ):
            with self.assertRaises(AccessError):
                campaign.read([field_name])
        with self.assertRaises(AccessError):
            campaign.write({"actual_cost": 1.0})
        accountant = self.fair_campaign.with_user(self.user_accountant)
        self.assertAlmostEqual(
            accountant.read(["actual_cost"])[0]["actual_cost"], 300.0
        )
        # Salespeople record responses but do not configure statuses.
        member = self.env["crm_extended.campaign.member"].with_user(
            self.user_salesperson
        )
        member.create(
            {
                "campaign_id": self.fair_campaign.id,
                "partner_id": self.people[1].id,
                "status": self.st_call_yes.id,
            }
        )
        # Internal users without a card role see no members.
        with self.assertRaises(AccessError):
            member.with_user(self.user_internal).search([])
        Status = self.env["crm_extended.campaign.response.status"]
        with self.assertRaises(AccessError):
            Status.with_user(self.user_salesperson).create({"name": "Met at dinner"})
        Status.with_user(self.user_manager).create(
            {"name": "Met at dinner", "counts_as_response": True}
        )
        with self.assertRaises(AccessError):
            self.env["crm_extended.campaign.attribution"].with_user(
                self.user_salesperson
            ).create({"attribution_model": "linear"})

    def test_customer_card_lists_campaigns_of_company_and_contacts(self):
        contact_member = self.member(
            self.mailing_campaign, self.customer_contact, self.st_clicked
        )
        company_member = self.member(self.fair_campaign, self.customer, self.st_stand)
        self.member(self.call_campaign, self.people[0], self.st_call_yes)
        lead = self.env["crm.lead"].create(
            {
                "name": "Follow-up",
                "partner_id": self.customer_contact.id,
                "campaign_id": self.mailing_campaign.id,
            }
        )
        self.assertEqual(lead.campaign_member_id, contact_member)
        card = self.customer.with_user(self.user_salesperson)
        self.assertEqual(card.card_campaign_member_ids, contact_member | company_member)
        self.assertEqual(card.card_campaign_count, 2)
        self.assertEqual(contact_member.lead_ids, lead)

    def test_results_query_count_does_not_grow_with_campaigns(self):
        campaigns = self.env["utm.campaign"].create(
            [{"title": f"Batch campaign {n}", "actual_cost": 100.0} for n in range(10)]
        )
        for campaign, partner in zip(campaigns, self.people, strict=False):
            self.member(campaign, partner, self.st_stand, "2026-01-10")
            self.won_lead(partner, 100.0, campaign)
        env = self.env(user=self.user_accountant)
        env.invalidate_all()
        self.fair_campaign.with_env(env).mapped("roi")
        counts = []
        for batch in (campaigns[:1], campaigns):
            env["utm.campaign"].invalidate_model()
            before = self.env.cr.sql_log_count
            batch.with_env(env).mapped("roi")
            counts.append(self.env.cr.sql_log_count - before)
        # Ten campaigns cost no more queries than one.
        self.assertLessEqual(counts[1], counts[0])
        self.assertLessEqual(counts[0], 8)


@tagged("post_install", "-at_install")
class TestCampaignAttribution(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One customer responded to three campaigns: mailing (January), fair
        # (February), calls (March), then won 9000 on 1 April.
        cls.member(
            cls.mailing_campaign, cls.customer_contact, cls.st_opened, "2026-01-10"
        )
        cls.member(cls.fair_campaign, cls.customer, cls.st_stand, "2026-02-10")
        cls.member(
            cls.call_campaign, cls.customer_contact, cls.st_call_yes, "2026-03-10"
        )
        # A response after the win does not take part.
        late = cls.env["utm.campaign"].create({"title": "Too late"})
        cls.member(late, cls.customer, cls.st_replied, "2026-04-20")
        cls.lead = cls.won_lead(cls.customer_contact, 9000.0, cls.call_campaign)
        # Another customer won 600 with only the fair before.
        cls.other = cls.people[0]
        cls.member(cls.fair_campaign, cls.other, cls.st_stand, "2026-02-11")
        cls.won_lead(cls.other, 600.0, closed="2026-03-01 00:00:00")
        # A win without any response stays unattributed.
        cls.won_lead(cls.people[1], 1000.0)

    def attributed(self, model):
        report = (
            self.env["crm_extended.campaign.attribution"]
            .with_user(self.user_accountant)
            .create(
                {
                    "attribution_model": model,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                }
            )
        )
        action = report.action_compute()
        lines = self.env[action["res_model"]].search(action["domain"])
        result = {}
        for line in lines:
            key = line.campaign_id.title
            result[key] = result.get(key, 0.0) + line.attributed_revenue
        return result

    def test_first_touch(self):
        self.assertEqual(
            self.attributed("first_touch"), {"Test mailing": 9000.0, "Test fair": 600.0}
        )

    def test_last_touch(self):
        self.assertEqual(
            self.attributed("last_touch"), {"Test calls": 9000.0, "Test fair": 600.0}
        )

    def test_linear(self):
        result = self.attributed("linear")
        self.assertEqual(set(result), {"Test mailing", "Test fair", "Test calls"})
        self.assertAlmostEqual(result["Test mailing"], 3000.0)
        self.assertAlmostEqual(result["Test fair"], 3600.0)
        self.assertAlmostEqual(result["Test calls"], 3000.0)

    def test_date_filter(self):
        report = self.env["crm_extended.campaign.attribution"].create(
            {"attribution_model": "linear", "date_to": "2026-03-15"}
        )
        lines = report._compute_lines()
        self.assertEqual([line["attributed_revenue"] for line in lines], [600.0])


@tagged("post_install", "-at_install")
class TestCampaignResponseReport(CampaignTestCommon):
    def test_rates_by_channel_add_up_in_the_pivot(self):
        campaign = self.fair_campaign
        self.member(campaign, self.people[0], self.st_stand)
        self.member(campaign, self.people[1], self.st_call_yes)
        self.member(campaign, self.people[2], self.st_call_no)
        self.member(campaign, self.people[3])
        member = self.member(campaign, self.people[4])
        self.won_lead(self.people[4], 700.0, campaign)
        self.assertEqual(member.lead_ids.expected_revenue, 700.0)
        Report = self.env["crm_extended.campaign.response.report"].with_user(
            self.user_salesperson
        )
        self.env.flush_all()
        groups = Report._read_group(
            [("campaign_id", "=", campaign.id)],
            ["response_channel"],
            ["response_rate:sum", "member_count:sum", "won_count:sum"],
        )
        by_channel = {channel: (rate, members) for channel, rate, members, _w in groups}
        self.assertAlmostEqual(by_channel["stand"][0], 20.0)
        self.assertAlmostEqual(by_channel["phone"][0], 40.0)
        self.assertAlmostEqual(by_channel[False][0], 0.0)
        self.assertEqual(sum(won for *_rest, won in groups), 1)
        with self.assertRaises(AccessError):
            Report.search([]).read(["won_revenue"])
        accountant = Report.with_user(self.user_accountant)
        total = accountant._read_group(
            [("campaign_id", "=", campaign.id)], [], ["won_revenue:sum"]
        )[0][0]
        self.assertAlmostEqual(total, 700.0)

    def test_campaign_actions_open_for_salespeople(self):
        campaign = self.fair_campaign.with_user(self.user_salesperson)
        for method in (
            "action_view_members",
            "action_quick_entry",
            "action_view_response_analysis",
        ):
            action = getattr(campaign, method)()
            self.assertIn(("campaign_id", "=", campaign.id), action["domain"])
            self.env[action["res_model"]].with_user(self.user_salesperson).search(
                action["domain"]
            )
        form = self.env.ref("crm_extended.utm_campaign_view_form_card")
        views = campaign.get_views([(form.id, "form")])
        arch = views["views"]["form"]["arch"]
        self.assertIn("response_rate", arch)
        self.assertNotIn("actual_cost", arch)
        self.assertNotIn("won_revenue", arch)

    def test_card_and_campaign_open_without_crm_rights(self):
        """Accountants without Sales rights open the card and campaigns with leads."""
        member = self.member(self.fair_campaign, self.customer_contact, self.st_stand)
        member.action_create_opportunity()
        for model, record, view in (
            ("res.partner", self.customer, False),
            ("utm.campaign", self.fair_campaign, "utm_campaign_view_form_card"),
            ("crm_extended.campaign.member", member, "campaign_member_view_form"),
        ):
            view_id = view and self.env.ref(f"crm_extended.{view}").id
            Model = self.env[model].with_user(self.user_accountant)
            arch = etree.fromstring(
                Model.get_views([(view_id, "form")])["views"]["form"]["arch"]
            )
            self.assertFalse(arch.xpath("//field[@name='lead_ids']"))
            spec = {}
            for node in arch.xpath("//field[not(ancestor::field)]"):
                subfields = node.xpath("./list//field/@name")
                spec[node.get("name")] = (
                    {"fields": {name: {} for name in subfields}} if subfields else {}
                )
            values = record.with_user(self.user_accountant).web_read(spec)[0]
            self.assertEqual(values["id"], record.id)
        card = self.customer.with_user(self.user_accountant)
        self.assertEqual(card.card_campaign_member_ids, member)
        self.assertEqual(member.with_user(self.user_accountant).lead_count, 1)
