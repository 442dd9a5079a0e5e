from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .selling_common import TODAY, SellingTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSellingCompetitors(SellingTestCommon):
    """Competitors in play, the lost wizard asking who won, and the reports on
    whom we lose to."""

    def test_lost_wizard_records_who_won_and_at_what_price(self):
        self.assertFalse(self.lead_d.active)
        self.assertEqual(self.lead_d.probability, 0)
        self.assertEqual(self.lead_d.lost_reason_id, self.lost_reason)
        self.assertEqual(self.lead_d.lost_to_competitor_id, self.rival)
        self.assertAlmostEqual(self.lead_d.competitor_price, 2700.0)
        self.assertAlmostEqual(self.lead_d.competitor_price_difference, -300.0)

    def test_wizard_proposes_the_only_competitor_in_play(self):
        self.lead_a.competitor_ids = self.other_rival
        wizard = Form(
            self.env["crm.lead.lost"].with_context(
                default_lead_ids=self.lead_a.ids, active_ids=self.lead_a.ids
            )
        )
        self.assertEqual(wizard.lost_to_competitor_id, self.other_rival)
        wizard.competitor_price = 950.0
        wizard.save().action_lost_reason_apply()
        self.assertEqual(self.lead_a.lost_to_competitor_id, self.other_rival)
        self.assertAlmostEqual(self.lead_a.competitor_price, 950.0)

    def test_lost_without_a_competitor_stays_as_in_odoo(self):
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": [Command.set(self.lead_a.ids)]}
        )
        wizard.action_lost_reason_apply()
        self.assertFalse(self.lead_a.active)
        self.assertFalse(self.lead_a.lost_to_competitor_id)

    def test_the_winner_counts_as_in_play(self):
        lead = self.make_lead(
            "H", self.pipeline_customer, 100, 10, self.sales_all, "2026-03-01"
        )
        self.lose(lead, "2026-03-02 10:00:00", self.other_rival, 90.0)
        self.assertEqual(lead.competitor_ids, self.other_rival)

    def test_salespeople_read_competitors_managers_configure_them(self):
        Competitor = self.env["crm_extended.competitor"]
        self.assertTrue(Competitor.with_user(self.sales_own).search([]))
        with self.assertRaises(AccessError):
            Competitor.with_user(self.sales_own).create({"name": "Not allowed"})
        with self.assertRaises(AccessError):
            self.rival.with_user(self.sales_all).write({"name": "Renamed"})
        Competitor.with_user(self.user_manager).create({"name": "Allowed"})
        with self.assertRaises(AccessError):
            Competitor.with_user(self.portal_user).search([])

    def test_competitor_of_another_company_is_hidden(self):
        hidden = self.env["crm_extended.competitor"].create(
            {"name": "Only in B", "company_id": self.company_b.id}
        )
        found = (
            self.env["crm_extended.competitor"]
            .with_user(self.user_manager)
            .search([("name", "=", "Only in B")])
        )
        self.assertFalse(found)
        self.assertTrue(hidden.exists())

    def test_competitor_counts_and_drill_down(self):
        rival = self.rival.with_user(self.sales_all)
        self.assertEqual(rival.lead_count, 1)
        self.assertEqual(rival.lost_count, 1)
        action = rival.action_open_lost_leads()
        found = (
            self.env["crm.lead"]
            .with_user(self.sales_all)
            .with_context(**action["context"])
            .search(action["domain"])
        )
        self.assertEqual(found, self.lead_d)

    # The offer success report ---------------------------------------------
    def _report(self, user):
        self.env.flush_all()
        return (
            self.env["crm_extended.offer.report"]
            .with_user(user)
            .with_context(allowed_company_ids=self.company.ids)
        )

    def test_lost_to_whom_how_often_and_price_difference(self):
        groups = self._report(self.sales_all).read_group(
            [("offer_type", "=", "opportunity"), ("company_id", "=", self.company.id)],
            [
                "lost_count:count_distinct",
                "lost_amount:sum",
                "competitor_price:sum",
                "price_difference:avg",
            ],
            ["lost_to_competitor_id"],
        )
        by_competitor = {
            group["lost_to_competitor_id"] and group["lost_to_competitor_id"][0]: group
            for group in groups
        }
        rival = by_competitor[self.rival.id]
        self.assertEqual(rival["lost_count"], 1)
        self.assertAlmostEqual(rival["lost_amount"], 3000.0)
        self.assertAlmostEqual(rival["competitor_price"], 2700.0)
        self.assertAlmostEqual(rival["price_difference"], -300.0)
        # E was lost without a named competitor.
        self.assertEqual(by_competitor[False]["lost_count"], 1)

    def test_report_row_opens_the_opportunity(self):
        row = self._report(self.sales_all).search([("lead_id", "=", self.lead_d.id)])
        self.assertEqual(row.outcome, "lost")
        action = row.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("crm.lead", self.lead_d.id)
        )

    def test_win_rate_of_a_group_comes_from_its_sums(self):
        groups = self._report(self.sales_all).read_group(
            [
                ("partner_id", "=", self.pipeline_customer.id),
                ("company_id", "=", self.company.id),
                ("offer_date", ">=", "2025-03-16"),
            ],
            ["offer_count", "win_rate", "win_rate_amount"],
            ["user_id"],
        )
        by_user = {group["user_id"][0]: group for group in groups}
        own = by_user[self.sales_own.id]
        self.assertEqual(own["offer_count"], 2)  # A (open) and C (won)
        self.assertAlmostEqual(own["win_rate"], 100.0)
        everyone = self._report(self.sales_all).read_group(
            [
                ("partner_id", "=", self.pipeline_customer.id),
                ("company_id", "=", self.company.id),
                ("offer_date", ">=", "2025-03-16"),
            ],
            ["win_rate", "win_rate_amount"],
            [],
        )[0]
        # C won 2000, D lost 3000.
        self.assertAlmostEqual(everyone["win_rate"], 50.0)
        self.assertAlmostEqual(everyone["win_rate_amount"], 40.0)

    def test_competitors_in_play_and_segment_groupings(self):
        axis = self.env["crm_extended.segment.axis"].create({"name": "Selling Size"})
        large = self.env["crm_extended.segment.value"].create(
            {"name": "Large", "axis_id": axis.id}
        )
        industry = self.env["crm_extended.segment.axis"].create(
            {"name": "Selling Industry"}
        )
        machinery = self.env["crm_extended.segment.value"].create(
            {"name": "Machinery", "axis_id": industry.id}
        )
        self.pipeline_customer.crm_segment_value_ids = large | machinery
        report = self._report(self.sales_all)
        domain = [("offer_type", "=", "opportunity"), ("outcome", "=", "lost")]
        in_play = report.read_group(
            domain + [("company_id", "=", self.company.id)],
            ["lost_count:count_distinct"],
            ["competitor_ids"],
        )
        counts = {
            group["competitor_ids"] and group["competitor_ids"][0]: group["lost_count"]
            for group in in_play
        }
        # D had both rivals in play; E none.
        self.assertEqual(counts, {self.rival.id: 1, self.other_rival.id: 1, False: 1})
        by_size = report.with_context(crm_segment_axis_id=axis.id).read_group(
            domain + [("company_id", "=", self.company.id)],
            ["lost_count:count_distinct"],
            ["segment_value_ids", "lost_to_competitor_id"],
            lazy=False,
        )
        rows = {
            (
                group["segment_value_ids"] and group["segment_value_ids"][0],
                group["lost_to_competitor_id"] and group["lost_to_competitor_id"][0],
            ): group["lost_count"]
            for group in by_size
        }
        # "Which segment do we lose to whom": Large lost D to Rival and E to no one.
        self.assertEqual(rows, {(large.id, self.rival.id): 1, (large.id, False): 1})

    def test_report_follows_the_crm_rules(self):
        own = self._report(self.sales_own).search([])
        self.assertTrue(own)
        self.assertEqual(set(own.mapped("user_id").ids) - {self.sales_own.id}, set())
        everyone = self._report(self.sales_all).search([])
        self.assertIn(self.lead_d, everyone.lead_id)
        # Company B's opportunity only with company B allowed.
        self.assertNotIn(self.lead_f, everyone.lead_id)
        with_b = (
            self._report(self.sales_all)
            .with_context(allowed_company_ids=[self.company.id, self.company_b.id])
            .search([])
        )
        self.assertIn(self.lead_f, with_b.lead_id)
        for user in (self.user_accountant, self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._report(user).search([])

    def test_grouping_wizard_opens_the_report_by_one_axis(self):
        axis = self.env["crm_extended.segment.axis"].create({"name": "Selling Region"})
        wizard = (
            self.env["crm_extended.report.grouping"]
            .with_user(self.sales_all)
            .create(
                {
                    "report": "offers",
                    "offer_groupby": "segment",
                    "segment_axis_id": axis.id,
                }
            )
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "crm_extended.offer.report")
        self.assertEqual(action["context"]["crm_segment_axis_id"], axis.id)
        self.assertEqual(action["context"]["pivot_row_groupby"], ["segment_value_ids"])
        self.assertEqual(action["context"]["pivot_column_groupby"], ["outcome"])
