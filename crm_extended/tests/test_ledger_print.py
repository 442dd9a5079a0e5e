import re

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval, time

from .test_ledger_report import CONFIRMATION, STATEMENT, LedgerReportCommon


@tagged("post_install", "-at_install")
class TestLedgerPrint(LedgerReportCommon):
    """What the ledger tab's buttons print: the customer's documents, saying who
    they are from and for, named after the customer, in the customer's language,
    on A4 and without the layout configurator in the way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(["crm_extended"], ["sk_SK"])
        slovakia = cls.env.ref("base.sk")
        cls.customer.write(
            {
                "street": "Hlavná 12",
                "city": "Poprad",
                "zip": "058 01",
                "country_id": slovakia.id,
                "company_registry": "31333532",
                "vat": "SK2020317068",
            }
        )
        cls.company.write(
            {
                "name": "Dodávateľ Print a.s.",
                "street": "Priemyselná 3",
                "city": "Žilina",
                "country_id": slovakia.id,
                "company_registry": "36421928",
                "vat": "SK2120046808",
            }
        )

    def _download(self, action, user=None):
        """Render a report action the way the web client downloads it: the
        action's record ids in the URL, its context as the request's context
        (``data`` would drop the ids, see getReportUrl)."""
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertFalse(action.get("data"))
        context = action["context"]
        env = self.env(user=user or self.user_accountant, context=context)
        html, _kind = env["ir.actions.report"]._render_qweb_html(
            action["report_name"], context["active_ids"], data={"context": context}
        )
        return re.sub(r"\s+", " ", html.decode().replace("\xa0", " "))

    @freeze_time("2026-03-15")
    def test_buttons_print_the_partner_and_its_period(self):
        partner = self.customer.with_user(self.user_accountant)
        action = partner.action_crm_ledger_statement("2026-02-01", "2026-02-28")
        self.assertEqual(action["context"]["active_ids"], self.customer.ids)
        html = self._download(action)
        self.assertIn("Card Customer s.r.o.", html)
        # February only: the payment and the credit note, not the January invoice.
        self.assertIn(self.refund.name, html)
        self.assertNotIn("20.01.2026", html)
        self.assertIn("01.02.2026", html)
        self.assertIn("28.02.2026", html)
        self.assertIn("650,00", html)  # closing balance
        action = partner.action_crm_ledger_confirmation("2026-02-12")
        html = self._download(action)
        self.assertIn("750,00", html)
        self.assertIn("12.02.2026", html)

    @freeze_time("2026-03-15")
    def test_open_items_button_prints_the_partner(self):
        # The web client drops the record ids of a report action that has data:
        # the open items must travel like the statement, ids and context only.
        partner = self.customer.with_user(self.user_accountant)
        action = partner.action_crm_ledger_open_items_pdf()
        self.assertEqual(action["context"]["active_ids"], self.customer.ids)
        html = self._download(action)
        self.assertIn("Card Customer s.r.o.", html)
        self.assertIn("31333532", html)

    @freeze_time("2026-03-15")
    def test_statement_says_who_it_is_from_and_for(self):
        partner = self.customer.with_user(self.user_accountant)
        html = self._download(
            partner.action_crm_ledger_statement("2026-01-01", "2026-12-31")
        )
        # The customer: name, address and identifiers.
        customer = html[html.index("o_crm_ledger_customer") :]
        for text in ("Card Customer s.r.o.", "Hlavná 12", "Poprad", "058 01"):
            self.assertIn(text, customer)
        self.assertRegex(customer, r"IČO:</span> ?<span>31333532")
        self.assertRegex(customer, r"DIČ:</span> ?<span>2020317068")
        self.assertRegex(customer, r"IČ DPH:</span> ?<span>SK2020317068")
        # The company itself with its identifiers.
        supplier = html[html.index("o_crm_ledger_supplier") :]
        for text in ("Dodávateľ Print a.s.", "Priemyselná 3", "36421928"):
            self.assertIn(text, supplier)
        self.assertIn("SK2120046808", supplier)
        # A stable reference and the period.
        reference = f"ST-{self.company.id}-{self.customer.id:06d}-20260101-20261231"
        self.assertIn(reference, html)
        self.assertRegex(
            html, r"01\.01\.2026</span> ?<span>–</span> ?<span[^>]*>31\.12\.2026"
        )
        again = self._download(
            partner.action_crm_ledger_statement("2026-01-01", "2026-12-31")
        )
        self.assertIn(reference, again)

    @freeze_time("2026-03-15")
    def test_confirmation_names_the_customer_where_it_asks_for_the_stamp(self):
        partner = self.customer.with_user(self.user_accountant)
        html = self._download(partner.action_crm_ledger_confirmation("2026-02-12"))
        signature = html[html.index("o_crm_ledger_signature") :]
        self.assertRegex(
            signature, r'o_crm_ledger_signatory">Card Customer s\.r\.o\.</strong>'
        )
        reference = f"BC-{self.company.id}-{self.customer.id:06d}-20260212"
        self.assertIn(reference, html)
        self.assertRegex(html, r'o_crm_ledger_as_of"[^>]*>12\.02\.2026<')
        self.assertRegex(html, r"IČO:</span> ?<span>31333532")

    @freeze_time("2026-03-15")
    def test_printed_in_the_customers_language(self):
        partner = self.customer.with_user(self.user_accountant)
        self.assertEqual(self.user_accountant.lang, "en_US")
        html = self._download(partner.action_crm_ledger_statement())
        self.assertIn("Výpis z účtu", html)
        self.assertNotIn("Account Statement", html)
        html = self._download(partner.action_crm_ledger_confirmation())
        self.assertIn("Potvrdenie salda", html)
        self.assertIn("Pečiatka a podpis", html)

    @freeze_time("2026-03-15")
    def test_file_named_after_the_customer_and_the_day(self):
        partner = self.customer.with_user(self.user_accountant)
        names = {}
        for xmlid in (
            "crm_extended.action_report_ledger_statement",
            "crm_extended.action_report_ledger_confirmation",
        ):
            report = self.env.ref(xmlid)
            names[xmlid] = safe_eval(
                report.print_report_name, {"object": partner, "time": time}
            )
        self.assertEqual(
            names["crm_extended.action_report_ledger_statement"],
            "Výpis z účtu - Card Customer s.r.o. - 2026-03-15",
        )
        self.assertEqual(
            names["crm_extended.action_report_ledger_confirmation"],
            "Potvrdenie salda - Card Customer s.r.o. - 2026-03-15",
        )

    @freeze_time("2026-03-15")
    def test_file_name_whatever_the_users_language(self):
        # print_report_name is translated: in every language it must still be the
        # expression that names the document after the customer and the day.
        langs = ["sk_SK", "cs_CZ", "pl_PL", "mk_MK"]
        for lang in langs:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["crm_extended"], langs, overwrite=True
        )
        self.assertEqual(self.customer.lang, "sk_SK")
        for xmlid, title in (
            ("crm_extended.action_report_ledger_statement", "Výpis z účtu"),
            ("crm_extended.action_report_ledger_confirmation", "Potvrdenie salda"),
            ("crm_extended.action_report_ledger_open_items", "Otvorené položky"),
        ):
            for lang in langs:
                report = self.env.ref(xmlid).with_context(lang=lang)
                name = safe_eval(
                    report.print_report_name,
                    {"object": self.customer.with_context(lang=lang), "time": time},
                )
                self.assertEqual(
                    name, f"{title} - Card Customer s.r.o. - 2026-03-15", lang
                )

    @freeze_time("2026-03-15")
    def test_first_print_is_a4_without_the_layout_configurator(self):
        admin = new_test_user(
            self.env,
            login="card_print_admin",
            groups="base.group_user,base.group_system,"
            "crm_extended.group_card_accountant",
            company_id=self.company.id,
        )
        self.company.write(
            {
                "external_report_layout_id": False,
                "paperformat_id": self.env.ref("base.paperformat_us").id,
            }
        )
        partner = self.customer.with_user(admin)
        self.assertTrue(partner.env.is_admin())
        for action in (
            partner.action_crm_ledger_statement(),
            partner.action_crm_ledger_confirmation(),
            partner.action_crm_ledger_open_items_pdf(),
        ):
            self.assertEqual(action["type"], "ir.actions.report")
            report = self.env["ir.actions.report"]._get_report(action["report_name"])
            self.assertEqual(report.get_paperformat().format, "A4")
        for report in (STATEMENT, CONFIRMATION):
            report = self.env["ir.actions.report"]._get_report(report)
            self.assertEqual(report.get_paperformat().format, "A4")
