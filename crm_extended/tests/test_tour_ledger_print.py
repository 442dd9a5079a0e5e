import io
import re
from datetime import timedelta

import lxml.html

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import formatLang
from odoo.tools.pdf import PdfReader

STATEMENT = "crm_extended.report_ledger_statement"
CONFIRMATION = "crm_extended.report_ledger_confirmation"
OPEN_ITEMS = "crm_extended.report_ledger_open_items"


def visible_text(html):
    """The text a reader sees in an HTML page, white space collapsed."""
    text = " ".join(lxml.html.fromstring(html).itertext())
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


@tagged("post_install", "-at_install")
class TestLedgerPrintTour(HttpCase):
    """The ledger tab's print buttons (statement, balance confirmation, open items)
    download the customer's own documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("sk_SK")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tatranská tlač s.r.o.",
                "is_company": True,
                "lang": "sk_SK",
                "street": "Hlavná 12",
                "city": "Poprad",
                "zip": "058 01",
                "country_id": cls.env.ref("base.sk").id,
                "company_registry": "31333532",
                "vat": "SK2020317068",
            }
        )
        company = cls.env.company
        accounts = cls.env["account.account"].with_company(company)
        receivable = accounts.search(
            [
                ("account_type", "=", "asset_receivable"),
                ("company_ids", "in", company.id),
            ],
            limit=1,
        )
        revenue = accounts.search(
            [("account_type", "=", "income"), ("company_ids", "in", company.id)],
            limit=1,
        )
        # The tour user's today (the server answers in the user's time zone):
        # the same day for the entry and the ledger, also around midnight UTC.
        cls.accountant = new_test_user(
            cls.env,
            login="tour_print_accountant",
            tz="Europe/Bratislava",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_invoice,crm_extended.group_card_accountant",
        )
        today = fields.Date.context_today(
            cls.customer.with_context(tz=cls.accountant.tz)
        )
        entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": today,
                "ref": "PRINT-TOUR-REF",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": cls.customer.id,
                            "debit": 1234.5,
                            "date_maturity": today - timedelta(days=1),
                        }
                    ),
                    Command.create({"account_id": revenue.id, "credit": 1234.5}),
                ],
            }
        )
        entry.action_post()
        # The closing balance as the customer reads it (Slovak: "1 234,50").
        cls.closing = formatLang(
            cls.env(context={"lang": "sk_SK"}), 1234.5, digits=2
        ).replace("\xa0", " ")

    def test_print_buttons_download_the_customers_documents(self):
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf
        renders = []

        def capture(report, report_ref, res_ids=None, data=None):
            renders.append(
                (report.env.uid, dict(report.env.context), report_ref, res_ids, data)
            )
            return original(report, report_ref, res_ids=res_ids, data=dict(data or {}))

        self.patch(Report, "_render_qweb_pdf", capture)
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_ledger_print",
            login="tour_print_accountant",
        )
        self.assertEqual(
            [render[2] for render in renders], [STATEMENT, CONFIRMATION, OPEN_ITEMS]
        )
        self.patch(Report, "_render_qweb_pdf", original)
        # The same requests rendered by wkhtmltopdf (tests render HTML otherwise).
        # wkhtmltopdf draws the report's web fonts as outlines, so the text is
        # read from the pages it was given, and the PDF is checked to be one.
        original_run = Report._run_wkhtmltopdf
        bodies = []

        def run_wkhtmltopdf(report, pages, *args, **kwargs):
            bodies.extend(pages)
            return original_run(report, pages, *args, **kwargs)

        self.patch(Report, "_run_wkhtmltopdf", run_wkhtmltopdf)
        for uid, context, report_ref, res_ids, data in renders:
            self.assertEqual(uid, self.accountant.id)
            self.assertEqual(res_ids, self.customer.ids)
            bodies.clear()
            env = self.env(user=uid, context=dict(context, force_report_rendering=True))
            pdf, kind = env["ir.actions.report"]._render_qweb_pdf(
                report_ref, res_ids, data=dict(data or {})
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
            text = " ".join(visible_text(body) for body in bodies)
            self.assertIn("Tatranská tlač s.r.o.", text)
            self.assertIn("IČO: 31333532", text)
            self.assertIn(self.closing, text)
