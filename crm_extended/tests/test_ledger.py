from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestLedger(CardTestCommon):
    """A hand-computed ledger; amounts in company currency, no taxes.

    Opening (before 2026-01-01): invoice 100.
    2026-01-05 payment 40 received before its invoice      -> 60
    2026-01-20 invoice 500, matched with that payment       -> 560
    2026-02-01 invoice 1000 on the contact, due 2026-03-03  -> 1560
    2026-02-10 vendor bill 250 (payable)                    -> 1310
    2026-02-15 partial payment 300 of the 1000 invoice      -> 1010
    2026-02-20 credit note 200 against the 1000 invoice     -> 810
    2026-03-01 invoice 70 and its reversal the same day     -> 880, 810
    Closing 810 = receivable 1060 (100 + 460 + 500) - payable 250.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_old = cls.post_invoice(cls.customer, 100.0, "2025-12-10")
        cls.early_payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 40.0,
                "date": "2026-01-05",
            }
        )
        cls.early_payment.action_post()
        cls.inv_500 = cls.post_invoice(
            cls.customer, 500.0, "2026-01-20", due_date="2026-04-30"
        )
        early_line = cls.early_payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        cls.inv_500.js_assign_outstanding_line(early_line.id)
        cls.inv_1000 = cls.post_invoice(
            cls.customer_contact, 1000.0, "2026-02-01", due_date="2026-03-03"
        )
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": "2026-02-10",
                "date": "2026-02-10",
                "invoice_date_due": "2026-02-10",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Bill line", "price_unit": 250.0, "tax_ids": []}
                    )
                ],
            }
        )
        cls.bill.action_post()
        cls.pay(cls.inv_1000, "2026-02-15", amount=300.0)
        cls.refund = cls.post_invoice(
            cls.customer, 200.0, "2026-02-20", move_type="out_refund"
        )
        refund_line = cls.refund.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        cls.inv_1000.js_assign_outstanding_line(refund_line.id)
        cls.inv_70 = cls.post_invoice(cls.customer, 70.0, "2026-03-01")
        cls.reversal = cls.inv_70._reverse_moves(
            [
                {
                    "date": fields.Date.to_date("2026-03-01"),
                    "invoice_date": fields.Date.to_date("2026-03-01"),
                }
            ],
            cancel=True,
        )
        draft = cls.post_invoice(cls.customer, 5000.0, "2026-02-02")
        draft.button_draft()
        # Another customer's invoice must stay out.
        other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.post_invoice(other, 777.0, "2026-02-02")

    def _ledger(self, **kwargs):
        return self.customer.with_user(self.user_accountant).crm_ledger(**kwargs)

    @freeze_time("2026-03-15")
    def test_running_and_opening_balance(self):
        ledger = self._ledger(date_from="2026-01-01", date_to="2026-12-31")
        self.assertEqual(ledger["opening_balance"], 100.0)
        self.assertEqual(
            [line["balance"] for line in ledger["lines"]],
            [60.0, 560.0, 1560.0, 1310.0, 1010.0, 810.0, 880.0, 810.0],
        )
        self.assertEqual(
            [(line["debit"], line["credit"]) for line in ledger["lines"]],
            [
                (0.0, 40.0),
                (500.0, 0.0),
                (1000.0, 0.0),
                (0.0, 250.0),
                (0.0, 300.0),
                (0.0, 200.0),
                (70.0, 0.0),
                (0.0, 70.0),
            ],
        )
        self.assertEqual(ledger["closing_balance"], 810.0)
        self.assertEqual(ledger["line_count"], 8)
        self.assertEqual(ledger["debit"], 1570.0)
        self.assertEqual(ledger["credit"], 860.0)
        self.assertEqual(ledger["currency"], self.company.currency_id.name)
        self.assertEqual(
            [line["move_type"] for line in ledger["lines"]],
            [
                "entry",
                "out_invoice",
                "out_invoice",
                "in_invoice",
                "entry",
                "out_refund",
                "out_invoice",
                "out_refund",
            ],
        )

    @freeze_time("2026-03-15")
    def test_receivable_and_payable_separately_and_netted(self):
        ledger = self._ledger(date_from="2026-01-01")
        self.assertEqual(ledger["receivable"]["opening_balance"], 100.0)
        self.assertEqual(ledger["receivable"]["closing_balance"], 1060.0)
        self.assertEqual(ledger["payable"]["opening_balance"], 0.0)
        self.assertEqual(ledger["payable"]["closing_balance"], -250.0)
        self.assertEqual(ledger["payable"]["credit"], 250.0)
        self.assertEqual(
            ledger["receivable"]["closing_balance"]
            + ledger["payable"]["closing_balance"],
            ledger["closing_balance"],
        )
        types = [line["account_type"] for line in ledger["lines"]]
        self.assertEqual(types.count("liability_payable"), 1)
        self.assertEqual(types[3], "liability_payable")

    @freeze_time("2026-03-15")
    def test_residual_matching_open_and_overdue(self):
        lines = self._ledger(date_from="2026-01-01")["lines"]
        self.assertEqual(
            [line["residual"] for line in lines],
            [0.0, 460.0, 500.0, -250.0, 0.0, 0.0, 0.0, 0.0],
        )
        self.assertEqual(
            [line["is_open"] for line in lines],
            [False, True, True, True, False, False, False, False],
        )
        # The contact's 1000 invoice (due 2026-03-03) is overdue, 12 days; the
        # 500 invoice is due only in April; the bill we owe since 2026-02-10 is
        # a payable, never an overdue receivable.
        self.assertEqual(
            [line["is_overdue"] for line in lines],
            [False, False, True, False, False, False, False, False],
        )
        self.assertEqual(
            [line["days_overdue"] for line in lines],
            [None, -46, 12, 33, None, None, None, None],
        )
        payment, inv_500 = lines[0], lines[1]
        self.assertTrue(payment["matching_number"].startswith("P"))
        self.assertEqual(payment["matching_number"], inv_500["matching_number"])
        inv_70, reversal = lines[6], lines[7]
        self.assertTrue(inv_70["matching_number"])
        self.assertFalse(inv_70["matching_number"].startswith("P"))
        self.assertEqual(inv_70["matching_number"], reversal["matching_number"])
        self.assertEqual(reversal["move_id"], self.reversal.id)
        self.assertEqual(lines[2]["move_id"], self.inv_1000.id)
        self.assertEqual(lines[2]["contact"], self.customer_contact.name)

    @freeze_time("2026-03-15")
    def test_statement_as_of_a_past_date(self):
        ledger = self._ledger(date_to="2026-02-16")
        # No date_from: everything up to the date, no opening.
        self.assertEqual(ledger["opening_balance"], 0.0)
        self.assertEqual(ledger["closing_balance"], 1010.0)
        residuals = {line["move_id"]: line["residual"] for line in ledger["lines"]}
        # The credit note of 2026-02-20 is not yet matched on 2026-02-16.
        self.assertEqual(residuals[self.inv_1000.id], 700.0)
        self.assertEqual(residuals[self.inv_old.id], 100.0)
        open_total = sum(line["residual"] for line in ledger["lines"])
        self.assertAlmostEqual(open_total, ledger["closing_balance"])

    @freeze_time("2026-03-15")
    def test_contact_gives_the_company_ledger(self):
        from_contact = self.customer_contact.with_user(self.user_accountant).crm_ledger(
            date_from="2026-01-01"
        )
        self.assertEqual(from_contact["partner_id"], self.customer.id)
        self.assertEqual(from_contact["closing_balance"], 810.0)

    @freeze_time("2026-03-15")
    def test_paging_keeps_the_running_balance(self):
        page = self._ledger(date_from="2026-01-01", offset=3, limit=2)
        self.assertEqual([line["balance"] for line in page["lines"]], [1310.0, 1010.0])
        self.assertEqual(page["line_count"], 8)
        self.assertEqual(page["opening_balance"], 100.0)
        self.assertEqual(page["closing_balance"], 810.0)
        empty = self._ledger(date_from="2026-01-01", offset=50, limit=10)
        self.assertEqual(empty["lines"], [])
        self.assertEqual(empty["closing_balance"], 810.0)

    def test_empty_period_keeps_opening(self):
        ledger = self._ledger(date_from="2027-01-01", date_to="2027-12-31")
        self.assertEqual(ledger["lines"], [])
        self.assertEqual(ledger["opening_balance"], 810.0)
        self.assertEqual(ledger["closing_balance"], 810.0)

    def test_bad_period_is_refused(self):
        with self.assertRaises(UserError):
            self._ledger(date_from="2026-02-01", date_to="2026-01-01")

    def test_foreign_currency_amount_shown(self):
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        if eur == self.company.currency_id:
            eur = self.setup_other_currency("CHF", rates=[("2020-01-01", 2.0)])
        self.post_invoice(self.customer, 300.0, "2026-05-01", currency=eur)
        ledger = self._ledger(date_from="2026-05-01", date_to="2026-05-31")
        (line,) = ledger["lines"]
        self.assertEqual(line["debit"], 150.0)
        self.assertEqual(line["foreign_currency"], eur.name)
        self.assertEqual(line["amount_currency"], 300.0)
        local = self._ledger(date_from="2026-01-01", date_to="2026-01-31")["lines"]
        self.assertFalse(local[0]["foreign_currency"])

    def test_salesperson_and_internal_user_are_denied(self):
        for user in (self.user_salesperson, self.user_internal):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).crm_ledger()

    def test_manager_may_read_the_ledger(self):
        ledger = self.customer.with_user(self.user_manager).crm_ledger(
            date_from="2026-01-01"
        )
        self.assertEqual(ledger["closing_balance"], 810.0)


@tagged("post_install", "-at_install")
class TestLedgerCompanies(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(
            name="Ledger Second Co", currency_id=cls.env.company.currency_id.id
        )["company"]
        cls.post_invoice(cls.customer, 100.0, "2026-01-10")
        cls.post_invoice(cls.customer, 900.0, "2026-01-11", company=cls.company_2)
        cls.user_accountant_2 = cls.user_accountant.copy(
            {
                "login": "card_accountant_both",
                "company_ids": [Command.set((cls.company | cls.company_2).ids)],
            }
        )

    def test_each_company_has_its_own_ledger(self):
        partner = self.customer.with_user(self.user_accountant_2)
        self.assertEqual(partner.crm_ledger()["closing_balance"], 100.0)
        self.assertEqual(
            partner.crm_ledger(company=self.company_2)["closing_balance"], 900.0
        )
        self.assertEqual(
            partner.crm_ledger(company=self.company_2.id)["closing_balance"], 900.0
        )
        # The switcher's company is the default.
        other = partner.with_company(self.company_2)
        self.assertEqual(other.crm_ledger()["closing_balance"], 900.0)
        both = partner.crm_ledger(company=(self.company | self.company_2).ids)
        self.assertEqual(both["closing_balance"], 1000.0)

    def test_company_not_allowed_is_denied(self):
        partner = self.customer.with_user(self.user_accountant)
        with self.assertRaises(AccessError):
            partner.crm_ledger(company=self.company_2)


@tagged("post_install", "-at_install")
class TestLedgerContactEntries(CardTestCommon):
    def test_contact_line_counted_on_company(self):
        receivable = self.company_data["default_account_receivable"]
        revenue = self.company_data["default_account_revenue"]
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2026-06-01",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": self.customer_contact.id,
                            "debit": 42.0,
                        }
                    ),
                    Command.create({"account_id": revenue.id, "credit": 42.0}),
                ],
            }
        )
        entry.action_post()
        self.assertEqual(
            entry.line_ids.filtered("debit").partner_id, self.customer_contact
        )
        ledger = self.customer.with_user(self.user_accountant).crm_ledger()
        self.assertEqual(ledger["closing_balance"], 42.0)
        self.assertEqual(len(ledger["lines"]), 1)
