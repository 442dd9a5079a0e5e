from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.crm_extended_card_figures import TOP_ITEMS
from ..services.card_periods import PERIODS, period_bounds
from .common import CardTestCommon


def grouped_reads(env, commercial_ids, company, today, trend_from):
    """The card's sales figures read the plain way, one grouped read of the
    sales report each (figures per period, trend per month, top items of the
    last 12 months): the reference the card's one statement must equal."""
    report = env["crm_extended.sale.report"].sudo()
    bounds = period_bounds(today)
    base = [
        ("partner_id", "in", list(commercial_ids)),
        ("company_id", "=", company.id),
    ]
    figures = {
        partner_id: {
            period: {"turnover": 0.0, "cost": 0.0, "invoices": 0} for period in PERIODS
        }
        for partner_id in commercial_ids
    }
    start = min(date_from for date_from, _to in bounds.values())
    for partner, move_type, day, turnover, cost, moves in report._read_group(
        [*base, ("invoice_date", ">=", start), ("invoice_date", "<=", today)],
        ["partner_id", "move_type", "invoice_date:day"],
        ["turnover:sum", "cost:sum", "move_id:count_distinct"],
    ):
        for period, (date_from, date_to) in bounds.items():
            if date_from <= day <= date_to:
                values = figures[partner.id][period]
                values["turnover"] += turnover
                values["cost"] += cost
                if move_type == "out_invoice":
                    values["invoices"] += moves
    trend = {partner_id: {} for partner_id in commercial_ids}
    for partner, month, turnover in report._read_group(
        [*base, ("invoice_date", ">=", trend_from)],
        ["partner_id", "invoice_date:month"],
        ["turnover:sum"],
    ):
        trend[partner.id][month] = turnover
    top_from, top_to = bounds["last_12m"]
    items = {partner_id: [] for partner_id in commercial_ids}
    for partner, product, revenue, quantity in report._read_group(
        [
            *base,
            ("invoice_date", ">=", top_from),
            ("invoice_date", "<=", top_to),
            ("product_id", "!=", False),
        ],
        ["partner_id", "product_id"],
        ["turnover:sum", "quantity:sum"],
    ):
        items[partner.id].append((product.id, revenue, quantity))
    tops = {
        partner_id: {
            "revenue": sorted(lines, key=lambda item: (-item[1], item[0]))[:TOP_ITEMS],
            "quantity": sorted(lines, key=lambda item: (-item[2], item[0]))[:TOP_ITEMS],
        }
        for partner_id, lines in items.items()
    }
    return figures, trend, tops


# The fields this card shows (header, buttons, tabs), as the form reads them.
CARD_FIELDS = [
    f"card_{figure}_{suffix}"
    for figure in ("turnover", "profit", "margin", "invoice_count", "avg_order")
    for suffix in ("this_year", "last_year", "12m")
] + [
    "card_currency_id",
    "card_open_balance",
    "card_overdue_balance",
    "card_top_items_html",
    "card_trend_html",
    "card_pricelist_item_ids",
    "property_product_pricelist",
    "card_invoice_total_count",
    "card_contract_count",
    "card_complaint_count",
    "card_complaint_open_count",
    "card_complaint_avg_days",
    "card_contact_ids",
    "card_contract_ids",
    "card_complaint_ids",
    "card_timeline_ids",
    "crm_segment_value_ids",
    "user_id",
]


@tagged("post_install", "-at_install")
class TestCardFigures(CardTestCommon):
    """Turnover, profit, margin, invoices and average order on hand-computed data.

    Company currency invoices unless said otherwise; EUR is worth half a company
    currency unit (rate 2.0 from 2017). Periods at 2026-03-15: this year
    2026-01-01..2026-03-15, last year 2025, last 12 months 2025-03-16..2026-03-15.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.company_b_data = cls.setup_other_company(name="Card Company B")
        cls.company_b = cls.company_b_data["company"]
        cls.pump = cls.env["product.product"].create(
            {"name": "Card pump", "standard_price": 60.0}
        )
        cls.valve = cls.env["product.product"].create(
            {"name": "Card valve", "standard_price": 10.0}
        )
        cls.pump.with_company(cls.company_b).standard_price = 1000.0
        # This year: 1000 - cost 600; 200 - cost 50 (by the contact);
        # credit note -200 + cost 120.
        cls.post_lines(cls.customer, "2026-02-01", [(cls.pump, 10, 100.0)])
        cls.post_lines(cls.customer_contact, "2026-03-01", [(cls.valve, 5, 40.0)])
        cls.post_lines(
            cls.customer, "2026-03-05", [(cls.pump, 2, 100.0)], move_type="out_refund"
        )
        # Last year, within the last 12 months: 300 EUR = 150, cost 3 x 60 = 180.
        cls.post_lines(
            cls.customer, "2025-06-10", [(cls.pump, 3, 100.0)], currency=cls.eur
        )
        # Last year, before the last 12 months: 500, cost 100.
        cls.post_lines(cls.customer, "2025-02-10", [(cls.valve, 10, 50.0)])
        # Never counted: a draft, and another customer.
        cls.post_lines(
            cls.customer, "2026-03-10", [(cls.pump, 1, 9999.0)]
        ).button_draft()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other customer", "is_company": True}
        )
        cls.post_lines(cls.other_customer, "2026-03-10", [(cls.pump, 1, 5555.0)])
        # Company B: 7777 with a cost of 1000 there.
        cls.post_lines(
            cls.customer, "2026-03-02", [(cls.pump, 1, 7777.0)], company=cls.company_b
        )

    @classmethod
    def post_lines(
        cls,
        partner,
        invoice_date,
        lines,
        move_type="out_invoice",
        currency=None,
        company=None,
    ):
        company = company or cls.env.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.to_date(invoice_date),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": quantity,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, quantity, price in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    def assertFigures(self, partner, suffix, turnover, profit, invoices):
        self.assertAlmostEqual(partner[f"card_turnover_{suffix}"], turnover)
        self.assertAlmostEqual(partner[f"card_profit_{suffix}"], profit)
        self.assertEqual(partner[f"card_invoice_count_{suffix}"], invoices)
        self.assertAlmostEqual(
            partner[f"card_avg_order_{suffix}"], turnover / invoices, places=2
        )
        self.assertAlmostEqual(
            partner[f"card_margin_{suffix}"], 100.0 * profit / turnover, delta=0.05
        )

    @freeze_time("2026-03-15")
    def test_figures_per_period(self):
        customer = self.customer.with_user(self.user_accountant)
        self.assertFigures(customer, "this_year", 1000.0, 470.0, 2)
        self.assertFigures(customer, "last_year", 650.0, 370.0, 2)
        self.assertFigures(customer, "12m", 1150.0, 440.0, 3)

    @freeze_time("2026-03-15")
    def test_contact_shows_its_company_figures(self):
        contact = self.customer_contact.with_user(self.user_accountant)
        self.assertAlmostEqual(contact.card_turnover_this_year, 1000.0)

    @freeze_time("2026-03-15")
    def test_figures_of_the_other_company(self):
        user = self.user_accountant
        user.company_ids = [Command.link(self.company_b.id)]
        customer = self.customer.with_user(user).with_company(self.company_b)
        self.assertFigures(customer, "this_year", 7777.0, 6777.0, 1)
        self.assertAlmostEqual(customer.card_turnover_last_year, 0.0)

    @freeze_time("2026-03-15")
    def test_cost_is_frozen_at_posting(self):
        self.pump.standard_price = 500.0
        customer = self.customer.with_user(self.user_accountant)
        self.assertAlmostEqual(customer.card_profit_this_year, 470.0)

    @freeze_time("2026-03-15")
    def test_salesperson_sees_turnover_but_not_profit(self):
        customer = self.customer.with_user(self.user_salesperson)
        self.assertAlmostEqual(customer.card_turnover_12m, 1150.0)
        self.assertEqual(customer.card_invoice_count_12m, 3)
        for field in ("card_profit_12m", "card_margin_12m"):
            with self.assertRaises(AccessError):
                customer.read([field])

    @freeze_time("2026-03-15")
    def test_card_read_follows_the_readers_groups_of_the_moment(self):
        """The card's read answers each group check once per read, never from an
        earlier read: a reader who loses a role loses its figures at once."""
        accountant_group = self.env.ref("crm_extended.group_card_accountant")
        reader = new_test_user(
            self.env,
            login="card_figures_role_change",
            groups="base.group_user,crm_extended.group_card_accountant",
        )
        card = self.customer.with_user(reader)
        spec = {"card_turnover_12m": {}, "card_profit_12m": {}}
        values = card.web_read(spec)[0]
        self.assertAlmostEqual(values["card_profit_12m"], 440.0)
        reader.groups_id = [Command.unlink(accountant_group.id)]
        self.assertFalse(reader.has_group("crm_extended.group_card_accountant"))
        card.invalidate_recordset()
        with self.assertRaises(AccessError):
            card.web_read(spec)
        self.assertAlmostEqual(
            card.web_read({"card_turnover_12m": {}})[0]["card_turnover_12m"], 1150.0
        )
        with self.assertRaises(AccessError):
            card.mapped("card_profit_12m")  # the guard refuses code reads too

    @freeze_time("2026-03-15")
    def test_top_items_by_revenue_and_quantity(self):
        html = str(self.customer.with_user(self.user_salesperson).card_top_items_html)
        by_revenue, by_quantity = html.split("</table>")[:2]
        # Revenue: pump 1000 - 200 + 150 = 950, valve 200; quantity: valve 5,
        # pump 10 - 2 + 3 = 11.
        self.assertLess(by_revenue.index("Card pump"), by_revenue.index("Card valve"))
        self.assertLess(by_quantity.index("Card pump"), by_quantity.index("Card valve"))
        self.assertIn("<td>11</td>", by_quantity)

    @freeze_time("2026-03-15")
    def test_card_reads_equal_the_grouped_reads(self):
        """The card reads its figures and trend in one statement, its top items
        in another: the same numbers as the grouped reads of each, at the periods' edges
        too (a year ago today is out of the last 12 months, tomorrow is in),
        with a line without product, several products and a credit note."""
        gasket = self.env["product.product"].create({"name": "Card gasket"})
        self.post_lines(self.customer, "2025-03-15", [(gasket, 7, 30.0)])
        self.post_lines(self.customer, "2025-03-16", [(gasket, 1, 20.0)])
        self.post_lines(
            self.customer_contact, "2026-03-14", [(self.valve, 2, 40.0)]
        ).button_draft()
        self.post_lines(
            self.customer,
            "2026-01-20",
            [(gasket, 3, 10.0), (self.valve, 1, 5.0)],
            move_type="out_refund",
        )
        without_product = self.post_lines(
            self.customer, "2026-03-15", [(self.pump, 1, 10.0)]
        )
        without_product.button_draft()
        without_product.invoice_line_ids.write({"product_id": False})
        without_product.action_post()
        self.env.flush_all()
        figures_model = self.env["crm_extended.card.figures"]
        ids = [self.customer.id, self.other_customer.id, self.customer_contact.id]
        today = fields.Date.to_date("2026-03-15")
        trend_from = fields.Date.to_date("2025-04-01")
        for company in (self.env.company, self.company_b):
            expected_figures, expected_trend, expected_tops = grouped_reads(
                self.env, ids, company, today, trend_from
            )
            self.assertEqual(
                figures_model.card_sales_by_partner(ids, company, today, trend_from),
                (expected_figures, expected_trend),
            )
            # The top items are read apart, when the Items tab is shown.
            self.assertEqual(
                figures_model.card_top_items_by_partner(ids, company, today),
                expected_tops,
            )
        figures, _trend = figures_model.card_sales_by_partner(
            ids, self.env.company, today, trend_from
        )
        tops = figures_model.card_top_items_by_partner(ids, self.env.company, today)
        # The gasket of 2025-03-16 is in, the one of a year ago today is not.
        self.assertIn(
            (gasket.id, 20.0 - 30.0, 1.0 - 3.0), tops[self.customer.id]["revenue"]
        )
        self.assertEqual(figures[self.customer.id]["last_year"]["invoices"], 4)

    def test_pricelist_special_prices(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Card customer prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.pump.id,
                            "compute_price": "fixed",
                            "fixed_price": 88.0,
                        }
                    )
                ],
            }
        )
        self.customer.property_product_pricelist = pricelist
        customer = self.customer.with_user(self.user_salesperson)
        self.assertEqual(customer.card_pricelist_item_ids, pricelist.item_ids)
        self.assertEqual(
            self.customer_contact.card_pricelist_item_ids, pricelist.item_ids
        )

    @freeze_time("2026-03-15")
    def test_sales_report_trend_by_month(self):
        self.env.flush_all()
        groups = self.env["crm_extended.sale.report"]._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.env.company.id),
            ],
            ["invoice_date:month"],
            ["turnover:sum", "profit:sum"],
        )
        by_month = {
            month.strftime("%Y-%m"): (turnover, profit)
            for month, turnover, profit in groups
        }
        self.assertEqual(
            by_month,
            {
                "2025-02": (500.0, 400.0),
                "2025-06": (150.0, -30.0),
                "2026-02": (1000.0, 400.0),
                "2026-03": (0.0, 70.0),
            },
        )

    @freeze_time("2026-03-15")
    def test_card_queries_do_not_grow_with_history(self):
        """Opening the card costs the same number of queries for 1 or 20 invoices.

        The budget covers this feature's card_* fields (those in CARD_FIELDS): the
        other card features put card_* fields of their own on the same form (e.g.
        the campaigns tab) and keep their own budgets, so for all the card_* fields
        of the form only the growth with the history is checked.
        """
        small = self.env["res.partner"].create({"name": "Small", "is_company": True})
        big = self.env["res.partner"].create({"name": "Big", "is_company": True})
        self.post_lines(small, "2026-01-05", [(self.pump, 1, 10.0)])
        for day in range(1, 21):
            self.post_lines(big, f"2026-01-{day:02d}", [(self.valve, day, 10.0)])
        view = self.env.ref("crm_extended.view_partner_form_customer_card_full")
        env = self.env(user=self.user_accountant)
        form_fields = set(
            env["res.partner"].get_views([(view.id, "form")])["models"]["res.partner"][
                "fields"
            ]
        )
        # The tabs read when they are shown are form views of their own: the card
        # with all its tabs is the card's form and these (test_card_lazy_pages.py
        # counts the opening alone).
        for page in ("items", "contracts", "communications", "campaigns"):
            page_view = self.env.ref(f"crm_extended.view_partner_card_page_{page}")
            form_fields |= set(
                env["res.partner"].get_views([(page_view.id, "form")])["models"][
                    "res.partner"
                ]["fields"]
            )
        form_spec = {name: {} for name in form_fields if name.startswith("card_")}
        card_spec = {name: {} for name in form_spec if name in CARD_FIELDS}
        self.assertIn("card_profit_12m", card_spec)
        self.assertIn("card_top_items_html", card_spec)
        self.assertIn("card_timeline_ids", card_spec)
        for spec in (card_spec, form_spec):
            for partner in (small, big):  # warm-up: access rights, views, caches
                env.invalidate_all()
                env["res.partner"].browse(partner.id).web_read(spec)
        for partner in (small, big):
            env.invalidate_all()
            # 22 until the top items (the Items tab, read when it is shown) got a
            # statement of their own, apart from the figures of the card's opening;
            # 23 until the header counts (invoices, contracts, complaints) were
            # one statement (counted 21 and 22 since, in a run of a few files).
            with self.assertQueryCount(22):
                env["res.partner"].browse(partner.id).web_read(card_spec)

        def count_queries(partner):
            env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            env["res.partner"].browse(partner.id).web_read(form_spec)
            return self.cr.sql_log_count - before

        self.assertEqual(count_queries(big), count_queries(small))
        # Every card_* field of the form, as an accountant: a query or two per
        # feature of the card, whatever the history (the last payment, the
        # balances with the ageing and the group checks read once; the
        # figures and the trend in one statement, the top items in another).
        env.invalidate_all()
        self.env.flush_all()
        # 29 when this file runs alone; the complete suite's run (a fresh
        # database, every test file before this one) has counted 30: one read
        # that earlier tests leave uncached. Two fewer (28 and at most 29)
        # since the header counts are one statement. What matters is above:
        # the same count for a customer with one invoice and one with twenty.
        with self.assertQueryCount(29):
            env["res.partner"].browse(big.id).web_read(form_spec)

    @freeze_time("2026-03-15")
    def test_salesperson_opens_the_card_without_amounts(self):
        """The card form loads for a salesperson, with turnover and without profit."""
        Partner = self.env["res.partner"].with_user(self.user_salesperson)
        views = Partner.get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        form_fields = views["models"]["res.partner"]["fields"]
        self.assertIn('name="crm_card_header"', arch)
        self.assertIn('name="crm_card_badges"', arch)
        self.assertIn("card_turnover_12m", form_fields)
        self.assertNotIn("card_profit_12m", form_fields)
        self.assertNotIn("card_open_balance", form_fields)
        values = Partner.browse(self.customer.id).web_read(
            {name: {} for name in form_fields if name.startswith("card_")}
        )[0]
        self.assertAlmostEqual(values["card_turnover_12m"], 1150.0)

    @freeze_time("2026-03-15")
    def test_monthly_trend_on_the_card(self):
        html = str(self.customer.with_user(self.user_salesperson).card_trend_html)
        self.assertEqual(html.count("<rect"), 12)
        self.assertIn("04/2025", html)
        self.assertNotIn("03/2025", html)
        # June 2025: 150 (the EUR invoice); March 2026: 200 - 200 = 0.
        self.assertRegex(html, r"06/2025: [^<\d]{0,3}150\.00<")
        self.assertRegex(html, r"03/2026: [^<\d]{0,3}0\.00<")
