from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.crm_extended.tests.selling_common import TODAY, SellingTestCommon

QUOTATION_FIELDS = [
    "card_quotation_open_count",
    "card_quotation_open_amount",
    "card_open_quotation_ids",
] + [
    f"card_{figure}_{period}"
    for figure in (
        "quotation_count",
        "quotation_won_count",
        "quotation_lost_count",
        "quotation_won_amount",
        "quotation_lost_amount",
        "quotation_win_rate",
        "quotation_win_rate_amount",
        "days_to_order",
        "discount",
    )
    for period in ("12m", "prev_12m")
]


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSalePipeline(SellingTestCommon):
    """Quotations on the card, in the offer success report and the forecast.

    Q1 open, 1000 pumps, from opportunity A (own), dated 2026-03-01
    Q2 confirmed 2025-09-11, made 2025-09-01: pumps 10 x 100 less 10 % = 900 and
       valves 100 (list 1100, discount 100) (own)
    Q3 in EUR, confirmed 2026-02-01, made 2026-01-22: valves 800 EUR = 400 (all)
    Q4 cancelled, dated 2025-12-05, valves 1500, from opportunity D, which was
       lost to Rival at 2700 (all)
    Q5 confirmed 2024-11-01, 600 pumps (own): the 12 months before
    Q6 confirmed in company B 2026-02-01, 7777
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.eur_pricelist = cls.env["product.pricelist"].create(
            {"name": "Selling EUR", "currency_id": cls.eur.id}
        )
        Category = cls.env["product.category"]
        cls.pumps = Category.create({"name": "Selling Pumps"})
        cls.valves = Category.create({"name": "Selling Valves"})
        cls.pump = cls.env["product.product"].create(
            {"name": "Selling pump", "categ_id": cls.pumps.id, "list_price": 100.0}
        )
        cls.valve = cls.env["product.product"].create(
            {"name": "Selling valve", "categ_id": cls.valves.id, "list_price": 100.0}
        )
        cls.q1 = cls.make_order(
            cls.pipeline_customer,
            [(cls.pump, 10, 100.0, 0.0)],
            cls.sales_own,
            "2026-03-01 10:00:00",
            opportunity=cls.lead_a,
        )
        cls.q2 = cls.make_order(
            cls.pipeline_customer,
            [(cls.pump, 10, 100.0, 10.0), (cls.valve, 1, 100.0, 0.0)],
            cls.sales_own,
            "2025-09-01 00:00:00",
        )
        cls.confirm(cls.q2, "2025-09-11 00:00:00")
        cls.q3 = cls.make_order(
            cls.pipeline_contact,
            [(cls.valve, 2, 400.0, 0.0)],
            cls.sales_all,
            "2026-01-22 00:00:00",
            pricelist=cls.eur_pricelist,
        )
        cls.confirm(cls.q3, "2026-02-01 00:00:00")
        cls.q4 = cls.make_order(
            cls.pipeline_customer,
            [(cls.valve, 15, 100.0, 0.0)],
            cls.sales_all,
            "2025-12-05 10:00:00",
            opportunity=cls.lead_d,
        )
        cls.q4._action_cancel()
        cls.q5 = cls.make_order(
            cls.pipeline_customer,
            [(cls.pump, 6, 100.0, 0.0)],
            cls.sales_own,
            "2024-10-25 00:00:00",
        )
        cls.confirm(cls.q5, "2024-11-01 00:00:00")
        cls.q6 = cls.make_order(
            cls.pipeline_customer,
            [(cls.pump, 1, 7777.0, 0.0)],
            cls.sales_all,
            "2026-01-20 00:00:00",
            company=cls.company_b,
        )
        cls.confirm(cls.q6, "2026-02-01 00:00:00")

    @classmethod
    def make_order(
        cls,
        partner,
        lines,
        user,
        dated,
        opportunity=None,
        pricelist=None,
        company=None,
    ):
        company = company or cls.company
        values = {
            "partner_id": partner.id,
            "user_id": user.id,
            "company_id": company.id,
            "date_order": fields.Datetime.to_datetime(dated),
            "opportunity_id": opportunity.id if opportunity else False,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "price_unit": price,
                        "discount": discount,
                        "tax_id": [Command.clear()],
                    }
                )
                for product, quantity, price, discount in lines
            ],
        }
        if pricelist:
            values["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].with_company(company).create(values)
        cls.set_create_date(order, dated)
        return order

    @classmethod
    def confirm(cls, order, when):
        with freeze_time(when):
            order.action_confirm()
            order.flush_recordset()

    def _card(self, user, company=None):
        card = self.pipeline_customer.with_user(user)
        return card.with_company(company) if company else card

    def test_open_quotations(self):
        card = self._card(self.sales_all)
        self.assertEqual(card.card_quotation_open_count, 1)
        self.assertAlmostEqual(card.card_quotation_open_amount, 1000.0)
        self.assertEqual(card.card_open_quotation_ids, self.q1)

    def test_quotations_of_the_last_12_months(self):
        card = self._card(self.sales_all)
        self.assertEqual(card.card_quotation_count_12m, 4)
        self.assertEqual(card.card_quotation_won_count_12m, 2)
        self.assertEqual(card.card_quotation_lost_count_12m, 1)
        # Q2 1000 and Q3 800 EUR = 400; Q4 1500 cancelled.
        self.assertAlmostEqual(card.card_quotation_won_amount_12m, 1400.0)
        self.assertAlmostEqual(card.card_quotation_lost_amount_12m, 1500.0)
        self.assertAlmostEqual(card.card_quotation_win_rate_12m, 200.0 / 3, delta=0.05)
        self.assertAlmostEqual(
            card.card_quotation_win_rate_amount_12m, 140000.0 / 2900, delta=0.05
        )
        self.assertAlmostEqual(card.card_days_to_order_12m, 10.0)
        # 100 of discount on 1100 + 400 at list price.
        self.assertAlmostEqual(card.card_discount_12m, 100.0 / 15, delta=0.05)

    def test_quotations_of_the_12_months_before(self):
        card = self._card(self.sales_all)
        self.assertEqual(card.card_quotation_count_prev_12m, 1)
        self.assertEqual(card.card_quotation_won_count_prev_12m, 1)
        self.assertAlmostEqual(card.card_quotation_won_amount_prev_12m, 600.0)
        self.assertAlmostEqual(card.card_quotation_win_rate_prev_12m, 100.0)
        self.assertAlmostEqual(card.card_days_to_order_prev_12m, 7.0)

    def test_days_to_order_count_from_the_opportunity(self):
        """A quotation made from an opportunity counts from the inquiry."""
        self.confirm(self.q1, "2026-03-11 00:00:00")  # A was created 2026-02-01
        card = self._card(self.sales_all)
        # Q2 10 days, Q3 10 days, Q1 38 days.
        self.assertAlmostEqual(card.card_days_to_order_12m, 58.0 / 3, delta=0.05)

    def test_other_company(self):
        card = self._card(self.sales_all, self.company_b)
        self.assertEqual(card.card_quotation_won_count_12m, 1)
        self.assertAlmostEqual(card.card_quotation_won_amount_12m, 7777.0)
        self.assertEqual(card.card_quotation_count_12m, 1)

    def test_salesperson_sees_only_their_own_quotations(self):
        card = self._card(self.sales_own)
        self.assertEqual(card.card_quotation_count_12m, 2)  # Q1, Q2
        self.assertEqual(card.card_quotation_won_count_12m, 1)
        self.assertEqual(card.card_quotation_lost_count_12m, 0)
        self.assertAlmostEqual(card.card_discount_12m, 100.0 / 11, delta=0.05)

    def test_roles_without_sales_cannot_read_quotation_figures(self):
        for user in (self.user_accountant, self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.pipeline_customer.with_user(user).read(
                    ["card_quotation_count_12m"]
                )

    def test_every_quotation_figure_drills_down(self):
        card = self._card(self.sales_all)
        cases = [
            ("open", None, self.q1),
            ("made", "12m", self.q1 | self.q2 | self.q3 | self.q4),
            ("won", "12m", self.q2 | self.q3),
            ("lost", "12m", self.q4),
            ("closed", "12m", self.q2 | self.q3 | self.q4),
            ("won", "prev_12m", self.q5),
        ]
        Order = self.env["sale.order"].with_user(self.sales_all)
        for outcome, period, expected in cases:
            with self.subTest(outcome=outcome, period=period):
                context = {"crm_card_outcome": outcome}
                if period:
                    context["crm_card_period"] = period
                action = card.with_context(**context).action_card_quotations()
                self.assertEqual(Order.search(action["domain"]), expected)

    def test_quotation_takes_the_opportunitys_competitors(self):
        self.assertEqual(self.q4.competitor_ids, self.rival | self.other_rival)
        self.assertFalse(self.q1.competitor_ids)

    def test_offer_success_by_product_category(self):
        self.env.flush_all()
        groups = (
            self.env["crm_extended.offer.report"]
            .with_user(self.sales_all)
            .read_group(
                [
                    ("offer_type", "=", "quotation"),
                    ("company_id", "=", self.company.id),
                    ("offer_date", ">=", "2025-03-16"),
                ],
                ["offer_count", "won_count", "lost_count", "amount:sum", "win_rate"],
                ["product_categ_id"],
            )
        )
        by_category = {group["product_categ_id"][0]: group for group in groups}
        pumps = by_category[self.pumps.id]
        self.assertEqual(pumps["offer_count"], 2)  # Q1, Q2
        self.assertAlmostEqual(pumps["amount"], 1900.0)
        self.assertAlmostEqual(pumps["win_rate"], 100.0)
        valves = by_category[self.valves.id]
        self.assertEqual(valves["offer_count"], 3)  # Q2, Q3, Q4
        self.assertEqual(valves["won_count"], 2)
        self.assertEqual(valves["lost_count"], 1)
        self.assertAlmostEqual(valves["amount"], 100.0 + 400.0 + 1500.0)
        total = (
            self.env["crm_extended.offer.report"]
            .with_user(self.sales_all)
            .read_group(
                [
                    ("offer_type", "=", "quotation"),
                    ("company_id", "=", self.company.id),
                    ("offer_date", ">=", "2025-03-16"),
                ],
                ["offer_count", "won_count"],
                [],
            )[0]
        )
        # Q2 has two categories and still counts once.
        self.assertEqual(total["offer_count"], 4)
        self.assertEqual(total["won_count"], 2)

    def test_cancelled_quotation_lost_to_the_competitor(self):
        self.env.flush_all()
        rows = (
            self.env["crm_extended.offer.report"]
            .with_user(self.sales_all)
            .search([("order_id", "=", self.q4.id)])
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.outcome, "lost")
        self.assertEqual(rows.lost_to_competitor_id, self.rival)
        self.assertEqual(rows.lost_reason_id, self.lost_reason)
        self.assertAlmostEqual(rows.competitor_price, 2700.0)
        self.assertAlmostEqual(rows.price_difference, 1200.0)
        self.assertEqual(rows.competitor_ids, self.rival | self.other_rival)
        in_play = (
            self.env["crm_extended.offer.report"]
            .with_user(self.sales_all)
            .search([("competitor_ids", "in", self.other_rival.ids)])
        )
        self.assertIn(self.q4, in_play.order_id)
        self.assertIn(self.lead_d, in_play.lead_id)

    def test_forecast_shows_quotations_awaiting_confirmation(self):
        self.env.flush_all()
        groups = (
            self.env["crm_extended.sales.forecast"]
            .with_user(self.sales_own)
            .read_group(
                [("company_id", "=", self.company.id), ("month", "=", "2026-04-01")],
                ["quotation_amount:sum", "weighted_revenue:sum"],
                ["user_id"],
            )
        )
        own = next(
            g for g in groups if g["user_id"] and g["user_id"][0] == self.sales_own.id
        )
        # Q1 expected with its opportunity A, in April.
        self.assertAlmostEqual(own["quotation_amount"], 1000.0)
        self.assertAlmostEqual(own["weighted_revenue"], 300.0)
        row = (
            self.env["crm_extended.sales.forecast"]
            .with_user(self.sales_own)
            .search([("kind", "=", "quotation"), ("order_id", "=", self.q1.id)])
        )
        action = row.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", self.q1.id)
        )
        offer = (
            self.env["crm_extended.offer.report"]
            .with_user(self.sales_own)
            .search([("order_id", "=", self.q1.id)])
        )
        action = offer.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", self.q1.id)
        )

    def test_card_queries_do_not_grow_with_quotations(self):
        small = self.env["res.partner"].create({"name": "Small", "is_company": True})
        big = self.env["res.partner"].create({"name": "Big", "is_company": True})
        self.make_order(
            small, [(self.pump, 1, 10.0, 0.0)], self.sales_all, "2026-01-05"
        )
        for day in range(1, 21):
            order = self.make_order(
                big,
                [(self.pump, day, 10.0, 5.0), (self.valve, 1, 10.0, 0.0)],
                self.sales_all,
                f"2026-01-{day:02d} 00:00:00",
            )
            if day % 2:
                self.confirm(order, f"2026-02-{day:02d} 00:00:00")
        env = self.env(user=self.sales_all)
        spec = {name: {} for name in QUOTATION_FIELDS}
        spec["card_open_quotation_ids"] = {"fields": {"amount_untaxed": {}}}
        for partner in (small, big):  # warm-up
            env.invalidate_all()
            env["res.partner"].browse(partner.id).web_read(spec)
        for partner in (small, big):
            env.invalidate_all()
            with self.assertQueryCount(8):
                env["res.partner"].browse(partner.id).web_read(spec)
