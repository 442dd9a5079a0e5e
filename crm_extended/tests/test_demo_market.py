"""The demo installed by bin/serve (and bin/test): a Slovak company in euros.

These tests read the demo data on purpose: the demo is what they check. bin/serve
and bin/test install ``l10n_sk`` alongside the addons, so the demo set-up turns
the main company into a Slovak company with the Slovak chart of accounts.
"""

from pathlib import Path

from stdnum.eu import vat as eu_vat

from odoo.tests import TransactionCase, tagged

from ..models.crm_extended_demo_setup import CUSTOMERS, DEMO_LANGS
from ..registries import identifiers

README = Path(__file__).resolve().parents[2] / "README.md"
LANG_BY_COUNTRY = {"SK": "sk_SK", "CZ": "cs_CZ", "PL": "pl_PL", "MK": "mk_MK"}
DEMO_USERS = (
    ("demo_user_salesperson", "demo.salesperson", "crm_extended.group_card_user"),
    ("demo_user_accountant", "demo.accountant", "crm_extended.group_card_accountant"),
    ("demo_user_manager", "demo.manager", "crm_extended.group_card_manager"),
)


@tagged("post_install", "-at_install")
class TestDemoMarket(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.customers = {
            xmlid: cls.env.ref(f"crm_extended.{xmlid}").with_company(cls.company)
            for xmlid in CUSTOMERS
        }

    def test_the_company_is_slovak_in_euros_with_the_slovak_chart(self):
        company = self.company
        self.assertEqual(company.country_id.code, "SK")
        self.assertEqual(company.currency_id.name, "EUR")
        self.assertEqual(company.chart_template, "sk")
        self.assertEqual(company.name, "Dunajské strojárne s.r.o.")
        identifiers.validate_ico(company.company_registry)
        identifiers.validate_sk_icdph(company.vat)
        identifiers.validate_sk_dic(company.income_tax_id)
        # Every print carries this address: no state left of Odoo's US company
        # ("Bratislava CA 821 08").
        self.assertFalse(company.state_id - company.country_id.state_ids)
        self.assertFalse(
            company.partner_id.state_id - company.partner_id.country_id.state_ids
        )
        # Odoo's own empty Slovak demo company is out of the way.
        other = self.env.ref("base.demo_company_sk", raise_if_not_found=False)
        if other:
            self.assertFalse(other.active)

    def test_customers_speak_their_language_and_have_valid_identifiers(self):
        installed = dict(self.env["res.lang"].get_installed())
        for code in DEMO_LANGS:
            self.assertIn(code, installed)
        for partner in self.customers.values():
            country = partner.country_id.code
            expected = LANG_BY_COUNTRY[country]
            self.assertEqual(partner.lang, expected, partner.name)
            self.assertEqual(set(partner.child_ids.mapped("lang")), {expected})
            if country == "MK":
                identifiers.validate_mk_edb(partner.vat)
            else:
                self.assertTrue(eu_vat.is_valid(partner.vat), partner.vat)
            identifiers.validate_company_registry(country, partner.company_registry)
        # Slovak is installed with the terms of Odoo's modules, not only ours.
        invoices_menu = self.env.ref("account.menu_finance")
        self.assertNotEqual(
            invoices_menu.with_context(lang="sk_SK").name,
            invoices_menu.with_context(lang="en_US").name,
        )

    def test_some_invoices_in_czk_and_pln(self):
        invoices = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", self.company.id),
                (
                    "commercial_partner_id",
                    "in",
                    [p.id for p in self.customers.values()],
                ),
            ]
        )
        self.assertEqual(
            set(invoices.currency_id.mapped("name")), {"EUR", "CZK", "PLN"}
        )
        pln = invoices.filtered(lambda move: move.currency_id.name == "PLN")
        self.assertEqual(
            set(pln.commercial_partner_id.country_id.mapped("code")), {"PL"}
        )

    def test_every_grade_is_present_and_explained(self):
        grades = set()
        for xmlid, partner in self.customers.items():
            expected = CUSTOMERS[xmlid]["profile"]
            reason = partner.payment_grade_reason or ""
            self.assertEqual(
                partner.payment_grade, expected, f"{partner.name}: {reason}"
            )
            self.assertTrue(reason.startswith(f"Grade {expected}"), reason)
            # The demo tag says the same thing as the grade.
            tags = partner.category_id.filtered(
                lambda tag: tag.name.startswith("Demo:")
            )
            self.assertEqual(len(tags), 1)
            self.assertIn(f"({expected})", tags.name)
            if expected == "A":
                self.assertGreaterEqual(partner.payment_on_time_ratio, 0.9, reason)
            if expected == "E":
                self.assertIn("overdue", reason)
            else:
                self.assertLessEqual(partner.payment_overdue_max_days, 90, reason)
            grades.add(partner.payment_grade)
        self.assertEqual(grades, set("ABCDE"))

    def test_registry_badges_are_backed_by_evidence(self):
        Check = self.env["crm_extended.registry.check"]
        statuses = {}
        for partner in self.customers.values():
            checks = Check.search([("partner_id", "=", partner.id)])
            if partner.country_id.code == "MK":
                # No free registry for North Macedonia: nothing was asked, and the
                # badge says so, as after the nightly re-check (not "no badge" until
                # the first night turns it "unknown").
                self.assertFalse(checks)
                self.assertEqual(partner.registry_status, "unknown", partner.name)
                self.assertIn("record an extract", partner.registry_summary)
                continue
            self.assertTrue(checks, partner.name)
            self.assertTrue(all(checks.mapped("raw_sha256")), partner.name)
            if partner.registry_status == "ok":
                self.assertEqual(set(checks.mapped("outcome")), {"found"})
            else:
                self.assertTrue(partner.registry_summary, partner.name)
            statuses[partner.name] = partner.registry_status
        self.assertEqual(
            set(statuses.values()), {"ok", "warning", "risk", "unknown"}, statuses
        )
        self.assertEqual(statuses["Vltava Food s.r.o."], "risk")
        vltava = self.customers["partner_cz_vltava"]
        self.assertIn("unreliable VAT payer", vltava.registry_summary)

    def test_one_demo_user_per_role_listed_in_the_readme(self):
        readme = README.read_text(encoding="utf-8")
        for xmlid, login, group in DEMO_USERS:
            user = self.env.ref(f"crm_extended.{xmlid}")
            self.assertEqual(user.login, login)
            self.assertTrue(user.has_group(group))
            self.assertEqual(user.lang, "sk_SK")
            self.assertIn(f"`{login}`", readme)
            # The password the README gives is the login.
            user.with_user(user)._check_credentials(
                {"login": login, "password": login, "type": "password"},
                {"interactive": False},
            )
        salesperson = self.env.ref("crm_extended.demo_user_salesperson")
        self.assertFalse(salesperson.has_group("crm_extended.group_card_accountant"))
        accountant = self.env.ref("crm_extended.demo_user_accountant")
        self.assertFalse(accountant.has_group("crm_extended.group_card_manager"))

    def test_the_salesperson_sees_the_invoices_of_his_customers(self):
        # As his orders would leave them: the card's Invoices button of his own
        # customers counts and opens their invoices, not an empty list.
        salesperson = self.env.ref("crm_extended.demo_user_salesperson")
        for xmlid in ("partner_sk_tatra", "partner_cz_vltava"):
            partner = self.customers[xmlid].with_user(salesperson)
            self.assertEqual(partner.user_id, salesperson)
            count = partner.card_invoice_total_count
            self.assertGreater(count, 10, partner.name)
            action = partner.action_card_invoices()
            moves = self.env["account.move"].with_user(salesperson)
            self.assertEqual(moves.search_count(action["domain"]), count)

    def test_the_summary_strip_shows_credit_limits(self):
        accountant = self.env.ref("crm_extended.demo_user_accountant")
        self.assertTrue(self.company.account_use_credit_limit)
        for xmlid, values in CUSTOMERS.items():
            partner = self.customers[xmlid].with_user(accountant)
            limit = values.get("credit_limit") or 0.0
            self.assertEqual(partner.card_credit_limit, limit, partner.name)
            if limit:
                self.assertAlmostEqual(
                    partner.card_credit_limit_use,
                    partner.card_open_balance * 100 / limit,
                    places=1,
                )

    def test_the_set_up_runs_once(self):
        moves = self.env["account.move"].search_count([])
        self.assertFalse(self.env["crm_extended.demo.setup"]._run())
        self.assertEqual(self.env["account.move"].search_count([]), moves)
