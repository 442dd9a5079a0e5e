from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .selling_common import TODAY, SellingTestCommon

PIPELINE_FIELDS = [
    "card_lead_open_count",
    "card_lead_open_expected",
    "card_lead_open_weighted",
    "card_open_lead_ids",
] + [
    f"card_{figure}_{period}"
    for figure in (
        "offer_count",
        "offer_won_count",
        "offer_lost_count",
        "offer_won_amount",
        "offer_lost_amount",
        "win_rate",
        "win_rate_amount",
        "days_to_win",
        "lost_to_competitor_count",
    )
    for period in ("12m", "prev_12m")
]


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSellingPipeline(SellingTestCommon):
    """The card's Pipeline block on the hand-built pipeline of selling_common."""

    def _card(self, user, partner=None, company=None):
        partner = (partner or self.pipeline_customer).with_user(user)
        if company:
            partner = partner.with_company(company)
        return partner

    def test_open_inquiries_and_opportunities(self):
        card = self._card(self.sales_all)
        self.assertEqual(card.card_lead_open_count, 2)
        self.assertAlmostEqual(card.card_lead_open_expected, 1500.0)
        # 1000 x 30 % + 500 x 10 %
        self.assertAlmostEqual(card.card_lead_open_weighted, 350.0)
        self.assertEqual(card.card_open_lead_ids, self.lead_a | self.lead_b)

    def test_offers_of_the_last_12_months(self):
        card = self._card(self.sales_all)
        # A, C and D were made as opportunities (B is an inquiry, E is older).
        self.assertEqual(card.card_offer_count_12m, 3)
        self.assertEqual(card.card_offer_won_count_12m, 1)
        self.assertEqual(card.card_offer_lost_count_12m, 1)
        self.assertAlmostEqual(card.card_offer_won_amount_12m, 2000.0)
        self.assertAlmostEqual(card.card_offer_lost_amount_12m, 3000.0)
        self.assertAlmostEqual(card.card_win_rate_12m, 50.0)
        self.assertAlmostEqual(card.card_win_rate_amount_12m, 40.0)
        self.assertAlmostEqual(card.card_days_to_win_12m, 31.0)
        self.assertEqual(card.card_lost_to_competitor_count_12m, 1)

    def test_offers_of_the_12_months_before(self):
        card = self._card(self.sales_all)
        self.assertEqual(card.card_offer_count_prev_12m, 1)
        self.assertEqual(card.card_offer_won_count_prev_12m, 0)
        self.assertEqual(card.card_offer_lost_count_prev_12m, 1)
        self.assertAlmostEqual(card.card_offer_lost_amount_prev_12m, 800.0)
        self.assertAlmostEqual(card.card_win_rate_prev_12m, 0.0)
        self.assertEqual(card.card_lost_to_competitor_count_prev_12m, 0)

    def test_contact_shows_its_company_pipeline(self):
        """D and B belong to the contact Eva and count on the company; Eva's own
        card shows the company's figures too."""
        card = self._card(self.sales_all, self.pipeline_contact)
        self.assertEqual(card.card_lead_open_count, 2)
        self.assertEqual(card.card_offer_lost_count_12m, 1)

    def test_other_company_counts_its_own_opportunities(self):
        card = self._card(self.sales_all, company=self.company_b)
        self.assertEqual(card.card_offer_won_count_12m, 1)
        self.assertAlmostEqual(card.card_offer_won_amount_12m, 4000.0)
        self.assertEqual(card.card_offer_lost_count_12m, 0)
        self.assertEqual(card.card_lead_open_count, 0)

    def test_salesperson_sees_only_their_own_opportunities(self):
        """Own documents only: A, C and E are theirs; B and D are not."""
        card = self._card(self.sales_own)
        self.assertEqual(card.card_lead_open_count, 1)
        self.assertEqual(card.card_open_lead_ids, self.lead_a)
        self.assertEqual(card.card_offer_count_12m, 2)
        self.assertEqual(card.card_offer_won_count_12m, 1)
        self.assertEqual(card.card_offer_lost_count_12m, 0)
        self.assertAlmostEqual(card.card_win_rate_12m, 100.0)
        self.assertEqual(card.card_offer_lost_count_prev_12m, 1)

    def test_roles_without_crm_cannot_read_the_pipeline(self):
        for user in (self.user_accountant, self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.pipeline_customer.with_user(user).read(["card_win_rate_12m"])

    def test_every_figure_drills_down_to_its_records(self):
        """Each button opens exactly the records its figure counts."""
        card = self._card(self.sales_all)
        cases = [
            ("open", None, card.card_lead_open_count, self.lead_a | self.lead_b),
            ("made", "12m", card.card_offer_count_12m, None),
            ("won", "12m", card.card_offer_won_count_12m, self.lead_c),
            ("lost", "12m", card.card_offer_lost_count_12m, self.lead_d),
            (
                "lost_to_competitor",
                "12m",
                card.card_lost_to_competitor_count_12m,
                self.lead_d,
            ),
            ("closed", "12m", 2, self.lead_c | self.lead_d),
            ("lost", "prev_12m", card.card_offer_lost_count_prev_12m, self.lead_e),
        ]
        Lead = self.env["crm.lead"].with_user(self.sales_all)
        for outcome, period, count, expected in cases:
            with self.subTest(outcome=outcome, period=period):
                context = {"crm_card_outcome": outcome}
                if period:
                    context["crm_card_period"] = period
                action = card.with_context(**context).action_card_leads()
                self.assertEqual(action["res_model"], "crm.lead")
                found = Lead.with_context(**action["context"]).search(action["domain"])
                self.assertEqual(len(found), count)
                if expected is not None:
                    self.assertEqual(found, expected)

    def test_restoring_a_lost_opportunity_forgets_the_competitor(self):
        self.assertEqual(self.lead_d.lost_to_competitor_id, self.rival)
        self.lead_d.action_unarchive()
        self.assertFalse(self.lead_d.lost_to_competitor_id)
        self.assertFalse(self.lead_d.competitor_price)
        self.assertFalse(self.lead_d.lost_reason_id)
        # The competitors in play stay recorded.
        self.assertIn(self.rival, self.lead_d.competitor_ids)

    def test_card_queries_do_not_grow_with_the_pipeline(self):
        """The pipeline block costs the same queries for 1 or 20 opportunities."""
        small = self.env["res.partner"].create({"name": "Small", "is_company": True})
        big = self.env["res.partner"].create({"name": "Big", "is_company": True})
        self.make_lead("small", small, 100, 10, self.sales_all, "2026-01-05")
        for day in range(1, 21):
            lead = self.make_lead(
                f"big {day}", big, 100 * day, 10, self.sales_all, f"2026-01-{day:02d}"
            )
            if day % 3 == 0:
                self.win(lead, f"2026-02-{day:02d} 10:00:00")
            elif day % 3 == 1:
                self.lose(lead, f"2026-02-{day:02d} 10:00:00", self.rival, 50.0)
        env = self.env(user=self.sales_all)
        spec = {name: {} for name in PIPELINE_FIELDS}
        spec["card_open_lead_ids"] = {"fields": {"expected_revenue": {}}}
        for partner in (small, big):  # warm-up: access rights, rules, caches
            env.invalidate_all()
            env["res.partner"].browse(partner.id).web_read(spec)
        for partner in (small, big):
            env.invalidate_all()
            with self.assertQueryCount(8):
                env["res.partner"].browse(partner.id).web_read(spec)

    def test_figures_of_many_customers_in_one_statement(self):
        """The figures of a batch of customers cost what one customer costs."""
        env = self.env(user=self.sales_all)

        def count_queries(partners):
            env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            values = (
                env["res.partner"]
                .browse(partners.ids)
                .mapped("card_offer_won_count_12m")
            )
            return self.cr.sql_log_count - before, values

        count_queries(self.pipeline_customer)  # warm-up
        one, __ = count_queries(self.pipeline_customer)
        both, values = count_queries(
            self.pipeline_customer | self.other_pipeline_customer
        )
        self.assertEqual(values, [1, 1])
        self.assertEqual(both, one)
