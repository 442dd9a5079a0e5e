"""One book, every surface: the card header, the summary strip, the payment tab,
the grade's inputs, the ledger and its open items, the PDFs, the XLSX files and
the reports show the same open, overdue, ageing and turnover figures (issue 14).

The book of Jedna Kniha s.r.o. on 2026-06-30 (company currency, no taxes; EUR is
worth half a company currency unit):

* invoice 1000, due 2026-03-31, 400 paid on 2026-04-15: 600 open, 91 days over;
* invoice 500 to its contact, due 2026-05-31, a credit note of 100 matched with
  it: 400 open, 30 days over;
* invoice 600 EUR (300), due 2026-07-15: not due;
* a vendor bill 250, due 2026-06-01: payable, never an overdue receivable.

Open receivable 1300, payable -250, open 1050, overdue 1000, oldest overdue 91
days; ageing: not due 300, 1-30 400, over 90 600. Turnover this year 1700.
"""

import io

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .payment_common import PaymentTestCommon

TODAY = "2026-06-30"


@tagged("post_install", "-at_install")
class TestFiguresOneBook(PaymentTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.book = cls.env["res.partner"].create(
            {"name": "Jedna Kniha s.r.o.", "is_company": True}
        )
        cls.book_contact = cls.env["res.partner"].create(
            {"name": "Eva Knihová", "parent_id": cls.book.id}
        )
        cls.partial = cls.post_invoice(cls.book, 1000.0, "2026-03-01", "2026-03-31")
        cls.pay(cls.partial, "2026-04-15", amount=400.0)
        cls.contact_invoice = cls.post_invoice(
            cls.book_contact, 500.0, "2026-05-01", "2026-05-31"
        )
        cls.credit_note = cls.post_invoice(
            cls.book, 100.0, "2026-05-10", "2026-05-10", move_type="out_refund"
        )
        cls.reconcile(cls.contact_invoice, cls.credit_note)
        cls.in_euro = cls.post_invoice(
            cls.book, 600.0, "2026-06-01", "2026-07-15", currency=cls.eur
        )
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.book.id,
                "invoice_date": "2026-05-20",
                "invoice_date_due": "2026-06-01",
                "invoice_line_ids": [
                    Command.create({"name": "Bill", "price_unit": 250.0, "tax_ids": []})
                ],
            }
        )
        cls.bill.action_post()
        other = cls.new_customer("Iná Kniha a.s.")
        cls.post_invoice(other, 777.0, "2026-03-01", "2026-03-31")
        cls.env.company.account_use_credit_limit = True
        cls.book.credit_limit = 2600.0
        with freeze_time(TODAY):
            cls.env.cr.flush()  # the pre-commit refresh of the stored figures

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_time(TODAY))
        self.env.invalidate_all()

    def as_accountant(self, record):
        return record.with_user(self.user_accountant)

    def test_every_surface_shows_the_same_figures(self):
        book = self.as_accountant(self.book)
        currency = self.env.company.currency_id

        # The card header and the summary strip.
        header = {
            "open": book.card_open_balance,
            "receivable": book.card_receivable_balance,
            "overdue": book.card_overdue_balance,
        }
        self.assertEqual(
            header, {"open": 1050.0, "receivable": 1300.0, "overdue": 1000.0}
        )
        self.assertEqual(book.card_credit_limit, 2600.0)
        self.assertEqual(book.card_credit_limit_use, 50.0)
        self.assertEqual(str(book.card_last_payment_date), "2026-04-15")
        self.assertEqual(book.card_last_payment_amount, 400.0)
        # A contact's card shows its company's figures.
        contact = self.as_accountant(self.book_contact)
        self.assertEqual(contact.card_overdue_balance, 1000.0)

        # Core's own receivable and payable hold the same amounts.
        core = self.book.sudo()
        self.assertEqual(core.credit, header["receivable"])
        self.assertEqual(core.credit - core.debit, header["open"])

        # The payment tab and the grade's inputs.
        ageing = {
            bucket: book[f"payment_ageing_{bucket}"]
            for bucket in ("not_due", "1_30", "31_60", "61_90", "over_90")
        }
        self.assertEqual(
            ageing,
            {"not_due": 300.0, "1_30": 400.0, "31_60": 0.0, "61_90": 0.0,
             "over_90": 600.0},
        )  # fmt: skip
        self.assertEqual(sum(ageing.values()), header["receivable"])
        self.assertEqual(book.payment_overdue_amount, header["overdue"])
        self.assertEqual(book.payment_open_amount, header["open"])
        self.assertEqual(book.payment_overdue_max_days, 91)
        self.assertEqual(book.payment_grade, "E")
        self.assertIn("overdue for 91 days", book.payment_grade_reason)

        # The ledger: all time to today closes on the open balance; the lines
        # marked overdue are the two invoices past due, with their days.
        ledger = book.crm_ledger(date_to=TODAY)
        self.assertEqual(ledger["closing_balance"], header["open"])
        self.assertAlmostEqual(
            sum(line["residual"] for line in ledger["lines"]), header["open"]
        )
        overdue_lines = {
            line["move_id"]: line["days_overdue"]
            for line in ledger["lines"]
            if line["is_overdue"]
        }
        self.assertEqual(
            overdue_lines, {self.partial.id: 91, self.contact_invoice.id: 30}
        )
        self.assertAlmostEqual(
            sum(
                line["residual"]
                for line in ledger["lines"]
                if line["account_type"] == "asset_receivable"
                and line["days_overdue"]
                and line["days_overdue"] > 0
            ),
            header["overdue"],
        )
        euro_line = next(
            line for line in ledger["lines"] if line["move_id"] == self.in_euro.id
        )
        self.assertEqual(euro_line["currency"], "EUR")
        self.assertEqual(euro_line["amount_currency"], 600.0)
        self.assertEqual(euro_line["debit"], 300.0)

        # The ledger's open items, most overdue first, with the card's totals.
        items = book.crm_ledger_open_items()
        self.assertEqual(
            [line["move_id"] for line in items["lines"]],
            [self.partial.id, self.contact_invoice.id, self.bill.id, self.in_euro.id],
        )
        self.assertEqual(
            [line["days_overdue"] for line in items["lines"]], [91, 30, 29, -15]
        )
        self.assertEqual(
            [line["is_overdue"] for line in items["lines"]],
            [True, True, False, False],
        )
        self.assertEqual(
            (items["open"], items["receivable"], items["payable"], items["overdue"]),
            (1050.0, 1300.0, -250.0, 1000.0),
        )
        self.assertEqual(items["ageing"], ageing)
        self.assertEqual(items["overdue_days"], 91)
        self.assertEqual(
            (items["lines"][-1]["currency"], items["lines"][-1]["amount_currency"]),
            ("EUR", 600.0),
        )

        # The PDFs: the statement closes on the open balance, the open items
        # list shows the open and overdue totals.
        env = self.env(user=self.user_accountant)
        statement = env["report.crm_extended.report_ledger_statement"]
        values = statement._get_report_values(self.book.ids, {"date_to": TODAY})
        self.assertEqual(values["ledgers"][self.book.id]["closing_balance"], 1050.0)
        open_report = env["report.crm_extended.report_ledger_open_items"]
        values = open_report._get_report_values(self.book.ids, {})
        pdf_items = values["open_items"][self.book.id]
        self.assertEqual((pdf_items["open"], pdf_items["overdue"]), (1050.0, 1000.0))
        html, _kind = env["ir.actions.report"]._render_qweb_html(
            "crm_extended.report_ledger_open_items", self.book.ids, data={}
        )
        html = html.decode()
        for amount in ("1,050.00", "1,000.00", "600.00"):
            self.assertIn(amount, html)
        self.assertIn(self.partial.name, html)

        # The XLSX files.
        content, _name = book._crm_ledger_open_items_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header_row = rows[3]
        days_col = header_row.index("Days overdue")
        residual_col = header_row.index("Open amount")
        self.assertEqual([row[days_col] for row in rows[4:8]], [91, 30, 29, -15])
        totals = {row[1]: row[residual_col] for row in rows[8:] if row[1]}
        self.assertEqual(totals["Open balance"], 1050.0)
        self.assertEqual(totals["Overdue"], 1000.0)
        content, _name = book._crm_ledger_xlsx(date_to=TODAY)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        balance_col = rows[3].index("Balance")
        self.assertEqual(rows[-1][balance_col], 1050.0)
        currency_col = rows[3].index("Currency")
        self.assertEqual(
            {row[currency_col] for row in rows[5:-1]}, {currency.name, "EUR"}
        )

        # The receivables analysis and the sales analysis.
        items_report = env["crm_extended.open.item"]
        [(residual, overdue, days)] = items_report._read_group(
            [("partner_id", "=", self.book.id)],
            [],
            ["residual:sum", "overdue_amount:sum", "overdue_days:max"],
        )
        self.assertEqual((residual, overdue, days), (1050.0, 1000.0, 91))
        [(turnover,)] = env["crm_extended.sale.report"]._read_group(
            [("partner_id", "=", self.book.id), ("invoice_date", ">=", "2026-01-01")],
            [],
            ["turnover:sum"],
        )
        self.assertEqual(turnover, 1700.0)
        self.assertEqual(book.card_turnover_this_year, turnover)
        [(core_turnover,)] = (
            self.env["account.invoice.report"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "=", self.book.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                [],
                ["price_subtotal:sum"],
            )
        )
        self.assertEqual(core_turnover, turnover)

        # Contacts grouped by grade sum the same amounts.
        groups = (
            env["res.partner"]
            .with_context(active_test=False)
            ._read_group(
                [("id", "=", self.book.id)],
                ["payment_grade"],
                ["payment_open_amount:sum", "payment_overdue_amount:sum"],
            )
        )
        self.assertEqual(groups, [("E", 1050.0, 1000.0)])

    def test_figures_move_with_time_and_postings(self):
        """A fortnight later the euro invoice is overdue too, on every surface."""
        with freeze_time("2026-07-20"):
            book = self.as_accountant(self.book)
            self.assertEqual(book.card_overdue_balance, 1300.0)
            self.assertEqual(book.payment_ageing_1_30, 300.0)
            items = book.crm_ledger_open_items()
            self.assertEqual(items["overdue"], 1300.0)
            self.assertEqual(items["lines"][-1]["days_overdue"], 5)
        # Paying the rest of the oldest invoice: the header and, at commit, the
        # stored figures of the grade follow.
        self.pay(self.partial, "2026-06-30", amount=600.0)
        self.env.cr.flush()  # runs the pre-commit refresh
        self.env.invalidate_all()
        book = self.as_accountant(self.book)
        self.assertEqual(book.card_overdue_balance, 400.0)
        self.assertEqual(book.payment_overdue_amount, 400.0)
        self.assertEqual(book.payment_overdue_max_days, 30)
        self.assertEqual(book.payment_open_amount, 450.0)

    def test_unmatched_credit_reduces_the_overdue_amount(self):
        """An unreconciled payment or credit note whose date has passed reduces
        the overdue amount (as in core's aged receivable), not the oldest days."""
        self.receive_payment(self.book, 150.0, "2026-06-20")
        self.env.cr.flush()
        self.env.invalidate_all()
        book = self.as_accountant(self.book)
        self.assertEqual(book.card_overdue_balance, 850.0)
        self.assertEqual(book.payment_overdue_amount, 850.0)
        self.assertEqual(book.payment_ageing_1_30, 250.0)
        self.assertEqual(book.payment_overdue_max_days, 91)
        items = book.crm_ledger_open_items()
        payment = next(line for line in items["lines"] if line["residual"] == -150.0)
        self.assertFalse(payment["is_overdue"])
        self.assertEqual(items["overdue"], 850.0)
