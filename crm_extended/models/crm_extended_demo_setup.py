import logging
import os
import threading
import time
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.modules.loading import load_data
from odoo.modules.module import get_manifest

from ..registries import CLIENTS
from ..registries.applicable import queries_for
from ..registries.offline import offline_client
from ..services import demo_registry_answers

_logger = logging.getLogger(__name__)

DEMO_LANGS = ("sk_SK", "cs_CZ", "pl_PL", "mk_MK")
LANG_BY_COUNTRY = {"SK": "sk_SK", "CZ": "cs_CZ", "PL": "pl_PL", "MK": "mk_MK"}
DEMO_USERS = ("demo_user_salesperson", "demo_user_accountant", "demo_user_manager")
#: Set to 1 by bin/serve on a new database, which it installs without Odoo's own demo
#: data (minutes of records the card's demo never uses): installing crm_extended
#: then loads the card's demo all the same (see ``_load_card_demo``).
CARD_DEMO_VARIABLE = "CRM_CARD_DEMO"

#: The company the demo sells from once the Slovak chart of accounts is installed.
COMPANY = {
    "name": "Dunajské strojárne s.r.o.",
    "street": "Karadžičova 16",
    "zip": "821 08",
    "city": "Bratislava",
    "company_registry": "51234564",
    "vat": "SK2121234566",
    "phone": "+421 2 5710 4400",
    "email": "info@dunajske-strojarne.example.com",
    "website": "https://dunajske-strojarne.example.com",
}
#: Fields of the Slovak localisation: DIČ and the commercial register entry.
COMPANY_L10N_SK = {
    "income_tax_id": "2121234566",
    "trade_registry": "Mestský súd Bratislava III, oddiel Sro, vložka č. 145287/B",
}

#: Units of each currency for one euro, from 19 months back (the demo history).
RATES_PER_EUR = {"EUR": 1.0, "CZK": 25.05, "PLN": 4.27, "USD": 1.08}

#: Demo customers: grade profile (services/demo_plan.py), invoice currency (None:
#: the company's), what the registries say when it is not "all fine", and the bank
#: accounts the Czech VAT register or the Polish white list publish.
CUSTOMERS = {
    "partner_cz_moravska": {
        "profile": "A",
        "currency": "CZK",
        "accounts": [("2501234567", "2010")],
    },
    "partner_cz_prazska": {
        "profile": "B",
        "currency": "CZK",
        "accounts": [("1928374655", "0300")],
    },
    "partner_cz_vltava": {
        "profile": "E",
        "credit_limit": 20000.0,
        "situation": {"cz_adis": "unreliable"},
        "accounts": [("4411223344", "0800")],
    },
    "partner_sk_tatra": {"profile": "A", "credit_limit": 30000.0},
    "partner_sk_povazske": {
        "profile": "C",
        "situation": {"eu_vies": "unavailable"},
        "credit_limit": 15000.0,
    },
    "partner_sk_sarisska": {"profile": "D", "credit_limit": 8000.0},
    "partner_pl_wisla": {
        "profile": "B",
        "currency": "PLN",
        "regon": "121345679",
        "accounts": ["31109010140000071234567890"],
    },
    "partner_pl_baltyk": {
        "profile": "C",
        "currency": "PLN",
        "regon": "356781237",
        "accounts": ["16105010251000009087654321"],
    },
    "partner_pl_mazowsze": {
        "profile": "E",
        "currency": "PLN",
        "regon": "142908761",
        "situation": {"pl_whitelist": "vat_removed", "eu_vies": "invalid"},
        "accounts": ["04124010371111001122334455"],
    },
    "partner_mk_vardar": {"profile": "A"},
    "partner_mk_ohrid": {"profile": "D"},
    "partner_mk_pelagonija": {"profile": "E"},
}

#: Demo records with an amount, created before the company got its currency.
MONEY_RECORDS = (
    "pricelist_moravska",
    "contract_moravska_service",
    "demo_campaign_newsletter",
    "demo_campaign_msv_brno",
    "demo_campaign_calls_q2",
)


class CrmExtendedDemoSetup(models.AbstractModel):
    """Puts the demo in its market: a Slovak company in euros, Slovak, Czech, Polish
    and Macedonian customers with their history, registry evidence and languages.

    The demo data of ``crm_extended`` calls :meth:`schedule`; the work runs in
    :meth:`_register_hook`, once every module of the installation is loaded, so
    that the Slovak chart of accounts (``l10n_sk``, installed by ``bin/serve``
    alongside, never a dependency) is there whatever the loading order. Without
    ``l10n_sk`` the demo stays in the main company and its currency.
    """

    _name = "crm_extended.demo.setup"
    _description = "Customer card demo set-up"

    # ------------------------------------------------------------------ entry points
    @api.model
    def _post_init(self):
        """At crm_extended's installation (post-init hook): on a database installed
        without demo data, load the card's demo when bin/serve asks for it."""
        if os.environ.get(CARD_DEMO_VARIABLE) == "1":
            self._load_card_demo()

    @api.model
    def _load_card_demo(self):
        """Load crm_extended's demo records into a database installed without demo
        data, as Odoo loads a module's demo; the set-up (:meth:`_run`) follows once
        the registry is loaded, as with Odoo's demo. Returns whether it loaded them.

        The card's demo builds its own company, customers, products and users and
        relies on no demo record of Odoo's (only on their data).
        """
        if self.env.ref("crm_extended.partner_cz_moravska", raise_if_not_found=False):
            return False
        manifest = get_manifest("crm_extended")
        package = SimpleNamespace(name="crm_extended", data=manifest)
        _logger.info("Loading the customer card demo without Odoo's demo data")
        # Odoo's loader marks the thread as "testing" while it loads demo data
        # and unmarks it afterwards; keep the mark of whoever called us (a test
        # run must not start committing mails after this).
        thread = threading.current_thread()
        testing = getattr(thread, "testing", False)
        try:
            load_data(self.env(su=True), {}, "init", kind="demo", package=package)
        finally:
            thread.testing = testing
        return True

    @api.model
    def schedule(self):
        """Ask for :meth:`_run` at the end of this registry load (see the class)."""
        self.env.registry.crm_extended_demo_pending = True
        self._slovak_before_the_chart()
        return True

    @api.model
    def _slovak_before_the_chart(self):
        """When l10n_sk is installed alongside and the main company has no chart yet
        (a database without Odoo's demo data), make the company Slovak now: Odoo
        then gives it the Slovak chart on installing l10n_sk, instead of its generic
        chart that the set-up would have to replace."""
        company = self.env.ref("base.main_company")
        l10n_sk = self.env["ir.module.module"].search([("name", "=", "l10n_sk")])
        if l10n_sk.state == "to install" and not company.chart_template:
            self._slovak_identity(company)

    @api.model
    def _slovak_identity(self, company):
        # Odoo's default company is in California: its state must not follow it
        # to Bratislava (every print shows the address).
        company.write(
            dict(COMPANY, country_id=self.env.ref("base.sk").id, state_id=False)
        )

    def _register_hook(self):
        super()._register_hook()
        registry = self.env.registry
        if getattr(registry, "crm_extended_demo_pending", False):
            del registry.crm_extended_demo_pending
            self.sudo()._run()

    # ------------------------------------------------------------------ the set-up
    @api.model
    def _run(self):
        moravska = self.env.ref(
            "crm_extended.partner_cz_moravska", raise_if_not_found=False
        )
        if not moravska or self.env["account.move"].search_count(
            [("partner_id", "child_of", moravska.id)], limit=1
        ):
            return False  # no demo data, or set up by an earlier installation
        started, cpu = time.perf_counter(), time.process_time()
        steps = []

        def step(name, function, *args):
            begun = time.perf_counter()
            result = function(*args)
            steps.append(f"{name} {time.perf_counter() - begun:.1f} s")
            return result

        company = self.env.ref("base.main_company")
        # The chart before the languages: the chart's translations are then loaded
        # once, for Slovak, with every other module's (not for a chart replaced
        # moments later, nor for languages only the card's documents speak).
        slovak_market = self._slovak_chart_available()
        if slovak_market:
            step("chart", self._make_slovak, company)
        step("languages", self._install_languages)
        step("rates", self._set_rates, company)
        self._adapt_demo_records(company)
        products = self._demo_products(company)
        customers = [
            (
                self.env.ref(f"crm_extended.{xmlid}").id,
                values["profile"],
                self._currency(values.get("currency"), company).id,
            )
            for xmlid, values in CUSTOMERS.items()
        ]
        step(
            "history",
            self.env["crm_extended.demo.history"].generate,
            customers,
            products.ids,
            company,
        )
        step("complaint invoice", self._moravska_invoice, company)
        step("registries", self._registry_evidence, company)
        # Without l10n_sk the demo only adds its customers to a company that is not
        # its own (e.g. Odoo's demo company under Odoo's own tests): the company's
        # credit limit check stays as it was.
        if slovak_market:
            self._credit_limits(company)
        _logger.info(
            "Customer card demo set up in %.1f s (%.1f s CPU): %s, %s (%s)",
            time.perf_counter() - started,
            time.process_time() - cpu,
            company.name,
            company.currency_id.name,
            ", ".join(steps),
        )
        return True

    @api.model
    def _install_languages(self):
        """Slovak for every module; Czech, Polish and Macedonian for the card's own
        documents (statements and confirmations go out in the customer's language).
        The customers and the demo users get their language."""
        Lang = self.env["res.lang"]
        for code in DEMO_LANGS:
            Lang._activate_lang(code)
        Module = self.env["ir.module.module"]
        Module.search([("state", "=", "installed")])._update_translations(
            filter_lang=[DEMO_LANGS[0]]
        )
        Module.search(
            [("name", "like", "crm_extended%"), ("state", "=", "installed")]
        )._update_translations(filter_lang=list(DEMO_LANGS[1:]))
        for xmlid in CUSTOMERS:
            partner = self.env.ref(f"crm_extended.{xmlid}")
            lang = LANG_BY_COUNTRY.get(partner.country_id.code)
            if lang:
                (partner | partner.child_ids).lang = lang
        for xmlid in DEMO_USERS:
            self.env.ref(f"crm_extended.{xmlid}").lang = DEMO_LANGS[0]
        if self.env.ref("base.main_company").country_id.code == "SK":
            self.env.ref("base.main_company").partner_id.lang = DEMO_LANGS[0]

    @api.model
    def _slovak_chart_available(self):
        module = self.env["ir.module.module"].search([("name", "=", "l10n_sk")])
        return module.state == "installed"

    @api.model
    def _make_slovak(self, company):
        """The main company becomes a Slovak company with the Slovak chart in EUR.

        Odoo replaces the chart of a company whose accounting holds only demo
        entries (they are removed with it), and sets the currency of the chart's
        country.
        """
        self._slovak_identity(company)
        company.write(
            {k: v for k, v in COMPANY_L10N_SK.items() if k in company._fields}
        )
        if company.chart_template != "sk":
            self.env["account.chart.template"].try_loading(
                "sk", company, install_demo=False
            )
        # Odoo's own Slovak demo company would only add a second, empty set of books.
        other = self.env.ref("base.demo_company_sk", raise_if_not_found=False)
        if other and other != company:
            users = (
                self.env["res.users"]
                .with_context(active_test=False)
                .search([("company_ids", "in", other.ids)])
            )
            users.filtered(lambda user: user.company_id == other).company_id = company
            users.company_ids = [Command.unlink(other.id)]
            other.active = False

    @api.model
    def _export_fiscal_position(self, company):
        """Sales outside the EU (the Macedonian customers) carry no Slovak VAT; the
        Slovak chart has fiscal positions for SK and the EU only."""
        chart = self.env["account.chart.template"].with_company(company)
        vat_20 = chart.ref("vy_tuz_20", raise_if_not_found=False)
        vat_0 = chart.ref("vy_tuz_0", raise_if_not_found=False)
        if not vat_20 or not vat_0:
            return
        self.env["account.fiscal.position"].create(
            {
                "name": "Vývoz mimo EÚ",
                "company_id": company.id,
                "sequence": 90,
                "auto_apply": True,
                "country_group_id": False,
                "country_id": self.env.ref("base.mk").id,
                "tax_ids": [
                    Command.create({"tax_src_id": vat_20.id, "tax_dest_id": vat_0.id})
                ],
            }
        )

    @api.model
    def _currency(self, code, company):
        if not code:
            return company.currency_id
        currency = self.env.ref(f"base.{code}")
        currency.active = True
        return currency

    @api.model
    def _set_rates(self, company):
        """Rates of the demo's currencies against the company's, for the company."""
        start = fields.Date.context_today(self) - relativedelta(months=19)
        base = RATES_PER_EUR.get(company.currency_id.name, 1.0)
        Rate = self.env["res.currency.rate"]
        for code, per_eur in RATES_PER_EUR.items():
            currency = self._currency(code, company)
            if not Rate.search_count(
                [("currency_id", "=", currency.id), ("company_id", "=", company.id)],
                limit=1,
            ):
                Rate.create(
                    {
                        "currency_id": currency.id,
                        "company_id": company.id,
                        "name": start,
                        "rate": per_eur / base,
                    }
                )

    @api.model
    def _adapt_demo_records(self, company):
        """Amounts in the company's currency, prices list in it, taxes of its chart."""
        for xmlid in MONEY_RECORDS:
            record = self.env.ref(f"crm_extended.{xmlid}", raise_if_not_found=False)
            if record:
                record.currency_id = company.currency_id
        pricelist = self.env.ref("product.list0", raise_if_not_found=False)
        if pricelist and not pricelist.company_id:
            pricelist.currency_id = company.currency_id

    @api.model
    def _credit_limits(self, company):
        """Odoo's credit limits, so that the card's summary strip shows their use."""
        company.account_use_credit_limit = True
        for xmlid, values in CUSTOMERS.items():
            if values.get("credit_limit"):
                partner = self.env.ref(f"crm_extended.{xmlid}").with_company(company)
                partner.credit_limit = values["credit_limit"]

    @api.model
    def _demo_products(self, company):
        products = self.env["product.product"]
        for xmlid in (
            "product_demo_bearing",
            "product_demo_belt",
            "product_demo_motor",
            "product_pump",
            "product_valve",
        ):
            products |= self.env.ref(f"crm_extended.{xmlid}")
        if company.account_sale_tax_id:
            products.with_company(company).taxes_id = [
                Command.set(company.account_sale_tax_id.ids)
            ]
        return products[:3]

    @api.model
    def _moravska_invoice(self, company):
        """This week's invoice of pumps and valves, which the complaint is about."""
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            return
        contact = self.env.ref("crm_extended.partner_cz_moravska_contact_1")
        pump = self.env.ref("crm_extended.product_pump")
        valve = self.env.ref("crm_extended.product_valve")
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": contact.id,
                    "journal_id": journal.id,
                    "currency_id": self._currency("CZK", company).id,
                    "invoice_date": fields.Date.context_today(self)
                    - relativedelta(days=3),
                    "invoice_line_ids": [
                        Command.create({"product_id": pump.id, "quantity": 2}),
                        Command.create({"product_id": valve.id, "quantity": 30}),
                    ],
                }
            )
        )
        invoice.action_post()
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "crm_extended.invoice_moravska_products",
                    "record": invoice,
                    "noupdate": True,
                }
            ]
        )
        complaint = self.env.ref(
            "crm_extended.complaint_moravska_valve", raise_if_not_found=False
        )
        if complaint:
            complaint.invoice_id = invoice

    # ------------------------------------------------------------------ registries
    @api.model
    def _registry_evidence(self, company):
        """Check the demo customers against recorded registry answers.

        The real clients parse the answers and the runner records the evidence
        and the verdict, as for a live check; nothing leaves the machine.
        """
        providers = self.env["crm_extended.registry.provider"]._get_active()
        runner = self.env["crm_extended.registry.runner"].with_company(company)
        today = fields.Date.context_today(self)
        serial = 0
        for xmlid, values in CUSTOMERS.items():
            partner = self.env.ref(f"crm_extended.{xmlid}")
            queries = queries_for(
                partner.country_id.code, partner.vat, partner.company_registry
            )
            described = self._registry_description(partner, values)
            pairs = []
            for code, query in queries.items():
                if code not in providers:
                    continue
                serial += 1
                answers = demo_registry_answers.answers_for(
                    code, described, today=today, serial=serial
                )
                if not answers:  # no recorded answer: the demo does not ask it
                    continue
                client = offline_client(CLIENTS[code], answers)
                pairs.append((providers[code], client.lookup(query, today=today)))
            # Without a recorded answer (North Macedonia: extracts are entered by
            # hand) the verdict is what the nightly re-check would give it.
            runner._apply(partner, pairs)

    @api.model
    def _registry_description(self, partner, values):
        accounts = values.get("accounts", ())
        return {
            "name": partner.name,
            "street": partner.street,
            "zip": partner.zip,
            "city": partner.city,
            "country": partner.country_id.code,
            "ico": partner.company_registry
            if partner.country_id.code in ("CZ", "SK")
            else None,
            "krs": partner.company_registry
            if partner.country_id.code == "PL"
            else None,
            "regon": values.get("regon"),
            "vat": partner.vat,
            "accounts": accounts,
            "situation": values.get("situation", {}),
        }
