import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CardTestCommon

STATEMENT = "crm_extended.report_ledger_statement"
CONFIRMATION = "crm_extended.report_ledger_confirmation"


class LedgerReportCommon(CardTestCommon):
    """Invoice 1000 (2026-01-20), payment 250 (2026-02-10), credit note 100
    (2026-02-15): debit 1000, credit 350, closing 650; on 2026-02-12 the invoice
    is still open for 750."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("sk_SK")
        cls.customer.lang = "sk_SK"
        cls.invoice = cls.post_invoice(
            cls.customer, 1000.0, "2026-01-20", due_date="2026-02-05"
        )
        cls.pay(cls.invoice, "2026-02-10", amount=250.0)
        cls.refund = cls.post_invoice(
            cls.customer, 100.0, "2026-02-15", move_type="out_refund"
        )

    @property
    def period(self):
        return {"date_from": "2026-01-01", "date_to": "2026-12-31"}


@tagged("post_install", "-at_install")
class TestLedgerReport(LedgerReportCommon):
    def _html(self, report, data, user=None):
        env = self.env(user=user or self.user_accountant)
        html, _kind = env["ir.actions.report"]._render_qweb_html(
            report, self.customer.ids, data=data
        )
        return html.decode()

    @freeze_time("2026-03-15")
    def test_statement_in_partner_language_with_totals(self):
        html = self._html(STATEMENT, self.period)
        # The title is translated too once Slovak is loaded (the demo loads it).
        self.assertIn("o_crm_ledger_statement", html)
        self.assertIn(self.invoice.name, html)
        self.assertIn(self.refund.name, html)
        # Slovak formats: day.month.year dates, decimal comma.
        self.assertIn("20.01.2026", html)
        self.assertIn("650,00", html)  # closing balance
        self.assertIn("350,00", html)  # total credit
        self.assertNotIn("650.00", html)

    @freeze_time("2026-03-15")
    def test_confirmation_lists_open_items_as_of_the_date(self):
        html = self._html(CONFIRMATION, {"date_to": "2026-02-12"})
        self.assertIn("o_crm_ledger_confirmation", html)
        self.assertIn("12.02.2026", html)
        self.assertIn("750,00", html)
        self.assertIn("o_crm_ledger_signature", html)
        self.assertNotIn(self.refund.name, html)

    @freeze_time("2026-03-15")
    def test_statement_pdf_renders(self):
        env = self.env(
            user=self.user_accountant, context={"force_report_rendering": True}
        )
        pdf, kind = env["ir.actions.report"]._render_qweb_pdf(
            STATEMENT, self.customer.ids, data=self.period
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_salesperson_cannot_render(self):
        with self.assertRaises(AccessError):
            self._html(STATEMENT, self.period, user=self.user_salesperson)
        with self.assertRaises(AccessError):
            self._html(CONFIRMATION, {}, user=self.user_salesperson)

    @freeze_time("2026-03-15")
    def test_print_actions_carry_the_period(self):
        partner = self.customer.with_user(self.user_accountant)
        action = partner.action_crm_ledger_statement("2026-01-01", "2026-06-30")
        self.assertEqual(action["report_name"], STATEMENT)
        self.assertEqual(action["context"]["crm_ledger_date_from"], "2026-01-01")
        self.assertEqual(action["context"]["crm_ledger_date_to"], "2026-06-30")
        action = partner.action_crm_ledger_confirmation()
        self.assertEqual(action["report_name"], CONFIRMATION)
        self.assertEqual(action["context"]["crm_ledger_date_to"], "2026-03-15")
        action = partner.action_crm_ledger_confirmation("2026-12-31")
        self.assertEqual(action["context"]["crm_ledger_date_to"], "2026-03-15")
        action = partner.action_crm_ledger_confirmation("2026-02-28")
        self.assertEqual(action["context"]["crm_ledger_date_to"], "2026-02-28")

    @freeze_time("2026-03-15")
    def test_xlsx_matches_the_ledger(self):
        self.customer.commercial_partner_id.lang = "en_US"
        partner = self.customer.with_user(self.user_accountant)
        content, filename = partner._crm_ledger_xlsx(**self.period)
        # Named like the prints: document, customer, day (no "s.r.o..xlsx").
        name = self.customer.commercial_partner_id.name
        self.assertEqual(filename, f"Ledger - {name} - 2026-03-15.xlsx")
        ledger = partner.crm_ledger(**self.period)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet.freeze_panes, "A5")
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        opening, *lines, closing = rows
        self.assertEqual(opening[8], ledger["opening_balance"])
        self.assertEqual(len(lines), len(ledger["lines"]))
        for row, line in zip(lines, ledger["lines"], strict=True):
            self.assertEqual(row[0].date(), line["date"])
            self.assertEqual(row[1], line["move_name"])
            self.assertEqual(
                (row[6], row[7], row[8]),
                (line["debit"], line["credit"], line["balance"]),
            )
            self.assertEqual(row[9], line["residual"])
        self.assertEqual(closing[6:9], (1000.0, 350.0, 650.0))
        self.assertEqual(sheet.cell(row=6, column=9).number_format, "#,##0.00")
        self.assertEqual(sheet.cell(row=6, column=1).number_format, "yyyy-mm-dd")


@tagged("post_install", "-at_install")
class TestLedgerRoutes(LedgerReportCommon, HttpCase):
    def test_salesperson_denied_on_routes(self):
        self.authenticate("card_salesperson", "card_salesperson")
        response = self.url_open(f"/report/pdf/{STATEMENT}/{self.customer.id}")
        self.assertNotEqual(response.status_code, 200)
        # No closing balance (650,00) in any notation; the random token may hold "650".
        self.assertNotRegex(response.text, r"650[.,]00")
        response = self.url_open(f"/crm_extended/ledger/xlsx/{self.customer.id}")
        self.assertEqual(response.status_code, 403)

    def test_accountant_downloads_xlsx(self):
        self.authenticate("card_accountant", "card_accountant")
        response = self.url_open(
            f"/crm_extended/ledger/xlsx/{self.customer.id}"
            "?date_from=2026-01-01&date_to=2026-12-31"
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        closing = list(sheet.iter_rows(min_row=5, values_only=True))[-1]
        self.assertEqual(closing[8], 650.0)
