"""Late-payment interest on real books: instalments, partial payments, credit
notes, payments before the due date, the penalty invoice and the roles.

Hand computation (Slovak rule, ECB rate of each half-year + 8 p.p.; the rates
below): invoice A of 1000 due 10.6.2024, a credit note of 100, 400 paid on
20.7.2024, to 31.7.2024:

* 11.6.-30.6.: 20 days on 900 at 4.50 + 8 = 12.5 %: 6.164 -> 6.16
* 1.7.-20.7.: 20 days on 900 at 4.25 + 8 = 12.25 %: 6.041 -> 6.04
* 21.7.-31.7.: 11 days on 500 at 12.25 %: 1.846 -> 1.85

Total 14.05. Invoice B of 500 due 1.7.2024, paid 25.6.2024: nothing.
"""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon

ON_DATE = date(2024, 7, 31)


@tagged("post_install", "-at_install")
class TestLateInterest(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.crm_interest_rule = "sk"
        cls.company.crm_interest_recovery_fee = True
        Rate = cls.env["crm_extended.interest.rate"]
        Rate.search([("country_id.code", "=", "SK")]).unlink()
        slovakia = cls.env.ref("base.sk")
        for day, rate in (
            ("2023-09-20", 4.50),
            ("2024-06-12", 4.25),
            ("2024-12-18", 3.15),
        ):
            Rate.create(
                {
                    "country_id": slovakia.id,
                    "valid_from": day,
                    "reference_rate": rate,
                    "margin": 8.0,
                }
            )
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.invoice_a = cls.post_invoice(
            cls.customer, 1000.0, "2024-05-10", due_date="2024-06-10"
        )
        refund = cls.post_invoice(
            cls.customer, 100.0, "2024-06-01", move_type="out_refund"
        )
        (cls.invoice_a + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        cls.pay(cls.invoice_a, "2024-07-20", amount=400.0)
        # Invoice B of a contact: paid before its due date.
        cls.invoice_b = cls.post_invoice(
            cls.customer_contact, 500.0, "2024-06-01", due_date="2024-07-01"
        )
        cls.pay(cls.invoice_b, "2024-06-25")
        # EUR at 1 company currency = 0.5 EUR: the 40 EUR fee is 80.
        eur = cls.env.ref("base.EUR")
        if eur != cls.company.currency_id:
            cls.env["res.currency.rate"].create(
                {
                    "currency_id": eur.id,
                    "name": "2024-01-01",
                    "rate": 0.5,
                    "company_id": cls.company.id,
                }
            )
            cls.fee = 80.0
        else:
            cls.fee = 40.0

    def test_interest_amount_matches_the_hand_computation(self):
        amount = self.customer._crm_late_interest_amount(self.company, ON_DATE)
        self.assertAlmostEqual(amount, 14.05, places=2)
        # Through a contact: the same customer.
        amount = self.customer_contact._crm_late_interest_amount(self.company, ON_DATE)
        self.assertAlmostEqual(amount, 14.05, places=2)
        # Before the delay: nothing.
        self.assertEqual(
            self.customer._crm_late_interest_amount(self.company, date(2024, 6, 10)),
            0.0,
        )

    def test_amounts_of_many_customers_in_constant_queries(self):
        others = self.env["res.partner"]
        for index in range(4):
            other = self.env["res.partner"].create(
                {"name": f"Late customer {index}", "is_company": True}
            )
            self.post_invoice(other, 100.0 * (index + 1), "2024-06-01", "2024-07-10")
            others |= other
        Partner = self.env["res.partner"]
        counts = []
        for ids in (self.customer.ids, (self.customer | others).ids):
            # Warm up the caches of rules and groups, then count.
            Partner.browse(ids)._crm_late_interest_amounts(self.company, ON_DATE)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            amounts = Partner.browse(ids)._crm_late_interest_amounts(
                self.company, ON_DATE
            )
            counts.append(self.cr.sql_log_count - before)
        # Five customers cost no more queries than one (the first count also
        # holds one-off cache fills of the test set-up).
        self.assertLessEqual(counts[1], counts[0])
        # 300 due 10.7.2024, 21 days at 12.25 %: 2.114 -> 2.11
        self.assertAlmostEqual(amounts[others[2].id], 2.11, places=2)
        self.assertAlmostEqual(amounts[self.customer.id], 14.05, places=2)

    def test_breakdown_lists_instalment_and_period(self):
        breakdown = self.customer.with_user(
            self.user_accountant
        ).crm_late_interest_breakdown(on_date=ON_DATE)
        rows = [
            (row["move_name"], row["days"], row["base"], row["rate"], row["amount"])
            for row in breakdown["lines"]
        ]
        name = self.invoice_a.name
        self.assertEqual(
            rows,
            [
                (name, 20, 900.0, 12.5, 6.16),
                (name, 20, 900.0, 12.25, 6.04),
                (name, 11, 500.0, 12.25, 1.85),
            ],
        )
        self.assertAlmostEqual(breakdown["total"], 14.05, places=2)

    def test_penalty_invoice_once_with_the_recovery_fee(self):
        penalty = self.customer._crm_penalty_invoice(self.company, ON_DATE)
        self.assertTrue(penalty.crm_is_penalty_invoice)
        self.assertEqual(penalty.partner_id, self.customer)
        lines = penalty.invoice_line_ids
        interest = lines.filtered("crm_interest_instalment_id")
        fee = lines.filtered("crm_recovery_fee_move_id")
        self.assertEqual(interest.mapped("price_unit"), [6.16, 6.04, 1.85])
        self.assertEqual(interest.mapped("crm_interest_days"), [20, 20, 11])
        self.assertEqual(fee.crm_recovery_fee_move_id, self.invoice_a)
        self.assertAlmostEqual(fee.price_unit, self.fee, places=2)
        self.assertAlmostEqual(penalty.amount_total, 14.05 + self.fee, places=2)
        # Invoiced: nothing left to date, nothing invoiced twice.
        self.assertEqual(
            self.customer._crm_late_interest_amount(self.company, ON_DATE), 0.0
        )
        with self.assertRaises(UserError):
            self.customer._crm_penalty_invoice(self.company, ON_DATE)
        # Ten days later: only the new days, no second fee.
        later = self.customer._crm_penalty_invoice(self.company, date(2024, 8, 10))
        self.assertFalse(later.invoice_line_ids.filtered("crm_recovery_fee_move_id"))
        # 1.8.-10.8.: 10 days on 500 at 12.25 %: 1.678 -> 1.68
        self.assertEqual(later.invoice_line_ids.mapped("price_unit"), [1.68])
        # A cancelled penalty invoice frees what it charged.
        later.button_cancel()
        penalty.button_cancel()
        self.assertAlmostEqual(
            self.customer._crm_late_interest_amount(self.company, ON_DATE),
            14.05,
            places=2,
        )

    def test_nothing_to_invoice_said_in_the_users_language(self):
        # The invoice lines are the customer's, the message is the user's.
        self.env["res.lang"]._activate_lang("cs_CZ")
        self.env["ir.module.module"]._load_module_terms(["crm_extended"], ["cs_CZ"])
        self.customer.lang = "cs_CZ"
        self.customer._crm_penalty_invoice(self.company, ON_DATE)
        with self.assertRaises(UserError) as caught:
            self.customer.with_context(lang="en_US")._crm_penalty_invoice(
                self.company, ON_DATE
            )
        self.assertIn("owes no late-payment interest", str(caught.exception))

    def test_penalty_invoices_bear_no_interest(self):
        penalty = self.customer._crm_penalty_invoice(self.company, ON_DATE)
        penalty.invoice_date_due = date(2024, 8, 1)
        penalty.action_post()
        # Only invoice A's new days count on 10.8., not the unpaid penalty invoice.
        self.assertAlmostEqual(
            self.customer._crm_late_interest_amount(self.company, date(2024, 8, 10)),
            1.68,
            places=2,
        )

    def test_ledger_open_items_show_the_interest(self):
        items = (
            self.customer.with_user(self.user_accountant)
            .with_context(crm_open_items_today=ON_DATE)
            .crm_ledger_open_items()
        )
        self.assertAlmostEqual(items["late_interest"], 14.05, places=2)
        line = next(
            line for line in items["lines"] if line["move_id"] == self.invoice_a.id
        )
        self.assertAlmostEqual(line["late_interest"], 14.05, places=2)

    def test_card_amount_for_accountants_only(self):
        self.assertTrue(
            self.customer.with_user(self.user_accountant).crm_late_interest_amount
            >= 14.05
        )
        self.assertIn(
            self.invoice_a.name,
            str(self.customer.with_user(self.user_accountant).crm_late_interest_html),
        )
        portal = new_test_user(
            self.env, login="interest_portal", groups="base.group_portal"
        )
        for user in (self.user_salesperson, self.user_internal, portal):
            partner = self.customer.with_user(user)
            with self.assertRaises(AccessError):
                partner.read(["crm_late_interest_amount"])
            with self.assertRaises(AccessError):
                partner.crm_late_interest_breakdown(on_date=ON_DATE)
            with self.assertRaises(AccessError):
                partner.action_crm_penalty_invoice()

    def test_rates_editable_by_managers_only(self):
        rate = self.env["crm_extended.interest.rate"].search(
            [("country_id.code", "=", "SK")], limit=1
        )
        self.assertEqual(rate.with_user(self.user_accountant).reference_rate, 3.15)
        with self.assertRaises(AccessError):
            rate.with_user(self.user_accountant).write({"reference_rate": 1.0})
        with self.assertRaises(AccessError):
            rate.with_user(self.user_salesperson).read(["reference_rate"])
        rate.with_user(self.user_manager).write({"reference_rate": 3.0})
        self.assertEqual(rate.rate, 11.0)

    def test_rule_follows_the_company_country(self):
        company = self.env["res.company"].create(
            {"name": "Firma s.r.o.", "country_id": self.env.ref("base.cz").id}
        )
        self.assertEqual(company.crm_interest_rule, "cz")
        company.country_id = self.env.ref("base.pl")
        self.assertEqual(company.crm_interest_rule, "pl")
        company.crm_interest_rule = "pl_medical"
        company.write({"name": "Firma sp. z o.o."})
        self.assertEqual(company.crm_interest_rule, "pl_medical")

    def test_shipped_rates_cover_the_last_years(self):
        Rate = self.env["crm_extended.interest.rate"]
        for code in ("CZ", "PL"):
            table = Rate._crm_rate_table(code)
            # Poland H2 2025: NBP on 1.7.2025 5.25 + 10; Czechia H1 2024: 6.75 + 8.
            self.assertTrue(table.rows, code)
        self.assertEqual(
            Rate._crm_rate_table("PL").row_on(date(2025, 7, 1)).reference_rate, 5.25
        )
        self.assertEqual(
            Rate._crm_rate_table("CZ").row_on(date(2024, 1, 1)).reference_rate, 6.75
        )


@tagged("post_install", "-at_install")
class TestOffset(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id = [
            Command.link(cls.env.ref("account.group_account_invoice").id)
        ]
        cls.user_accountant.groups_id = [
            Command.link(cls.env.ref("account.group_account_invoice").id)
        ]
        cls.invoice = cls.post_invoice(
            cls.customer, 1000.0, "2024-05-10", due_date="2024-06-10"
        )
        cls.bill = cls.post_invoice(
            cls.customer,
            600.0,
            "2024-05-15",
            due_date="2024-06-15",
            move_type="in_invoice",
        )

    def test_offset_leaves_both_residuals_right(self):
        action = self.customer.with_user(self.user_accountant).action_crm_offset()
        offset = self.env["crm_extended.offset"].browse(action["res_id"])
        self.assertEqual(
            sorted(offset.line_ids.mapped("move_line_id.move_id").ids),
            sorted((self.invoice + self.bill).ids),
        )
        self.assertEqual(offset.amount, 600.0)
        offset.with_user(self.user_accountant).action_confirm()
        self.assertEqual(offset.state, "done")
        self.assertEqual(offset.move_id.state, "posted")
        self.assertEqual(self.invoice.amount_residual, 400.0)
        self.assertEqual(self.bill.amount_residual, 0.0)
        self.assertEqual(self.bill.payment_state, "paid")
        self.assertEqual(self.invoice.payment_state, "partial")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_extended.report_offset_agreement", offset.ids)[0]
            .decode()
        )
        self.assertIn(self.invoice.name, html)
        self.assertIn(self.bill.name, html)
        with self.assertRaises(UserError):
            offset.unlink()

    def test_offset_of_a_partial_selection(self):
        offset = self.env["crm_extended.offset"].create(
            {"partner_id": self.customer.id}
        )
        offset.action_propose()
        offset.line_ids.filtered(
            lambda line: line.side == "liability_payable"
        ).selected = False
        with self.assertRaises(UserError):
            offset.action_confirm()

    def test_offset_for_accountants_only(self):
        portal = new_test_user(
            self.env, login="offset_portal", groups="base.group_portal"
        )
        for user in (self.user_salesperson, self.user_internal, portal):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).action_crm_offset()
            with self.assertRaises(AccessError):
                self.env["crm_extended.offset"].with_user(user).search([])
