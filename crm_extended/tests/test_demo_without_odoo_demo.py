"""The card's demo on a database installed without Odoo's demo data (bin/serve).

bin/serve installs Odoo's modules without their demo data and sets CRM_CARD_DEMO=1:
installing crm_extended then loads the card's own demo, and the main company turns
Slovak before l10n_sk is installed, so that Odoo gives it the Slovak chart at once.
"""

import os
import threading
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from ..models.crm_extended_demo_setup import CARD_DEMO_VARIABLE, COMPANY


@tagged("post_install", "-at_install")
class TestCardDemoWithoutOdooDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup = cls.env["crm_extended.demo.setup"]
        cls.company = cls.env.ref("base.main_company")

    def tearDown(self):
        # _load_card_demo asks for the set-up at the end of the next registry load.
        if hasattr(self.env.registry, "crm_extended_demo_pending"):
            del self.env.registry.crm_extended_demo_pending
        super().tearDown()

    def test_installing_loads_the_card_demo_only_when_asked(self):
        with patch.object(type(self.setup), "_load_card_demo") as load:
            with patch.dict(os.environ, {CARD_DEMO_VARIABLE: ""}):
                self.setup._post_init()
            load.assert_not_called()
            with patch.dict(os.environ, {CARD_DEMO_VARIABLE: "1"}):
                self.setup._post_init()
            load.assert_called_once_with()

    def test_the_card_demo_is_loaded_where_it_is_missing(self):
        # As on a database installed without any demo data: no demo customer.
        self.env["ir.model.data"].search(
            [("module", "=", "crm_extended"), ("name", "=", "partner_cz_moravska")]
        ).unlink()
        self.assertFalse(
            self.env.ref("crm_extended.partner_cz_moravska", raise_if_not_found=False)
        )
        testing = getattr(threading.current_thread(), "testing", False)
        self.assertTrue(self.setup._load_card_demo())
        # Odoo's loader unmarks the thread as testing after demo data; a test run
        # that lost the mark would commit mails (mass mailing) from then on.
        self.assertEqual(getattr(threading.current_thread(), "testing", False), testing)
        moravska = self.env.ref("crm_extended.partner_cz_moravska")
        self.assertEqual(moravska.name, "Moravská strojírna s.r.o.")
        self.assertEqual(moravska.country_id.code, "CZ")
        # The set-up (company, history, registries) follows the registry load.
        self.assertTrue(self.env.registry.crm_extended_demo_pending)

    def test_the_card_demo_is_not_loaded_twice(self):
        with patch(
            "odoo.addons.crm_extended.models.crm_extended_demo_setup.load_data"
        ) as load:
            self.assertFalse(self.setup._load_card_demo())
        load.assert_not_called()

    def _company_before_the_demo(self, chart_template):
        self.company.write(
            {
                "name": "My Company",
                "country_id": self.env.ref("base.us").id,
                "state_id": self.env.ref("base.state_us_5").id,
                "chart_template": chart_template,
            }
        )
        self.env["ir.module.module"].search(
            [("name", "=", "l10n_sk")]
        ).state = "to install"

    def test_the_company_turns_slovak_before_odoo_picks_its_chart(self):
        self._company_before_the_demo(False)
        self.setup._slovak_before_the_chart()
        self.assertEqual(self.company.name, COMPANY["name"])
        self.assertEqual(self.company.country_id.code, "SK")
        self.assertFalse(self.company.state_id)
        self.assertEqual(self.company.company_registry, COMPANY["company_registry"])

    def test_a_company_with_a_chart_is_left_to_the_set_up(self):
        # With Odoo's demo data the company already has Odoo's generic chart: the
        # set-up replaces it later (_make_slovak), nothing changes now.
        self._company_before_the_demo("generic_coa")
        self.setup._slovak_before_the_chart()
        self.assertEqual(self.company.name, "My Company")
        self.assertEqual(self.company.country_id.code, "US")
