from odoo.tests import HttpCase, new_test_user, tagged

from ..registries import CLIENTS
from .registry_replay import ReplayServer


@tagged("post_install", "-at_install")
class TestRegistryBadgeTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.replay = ReplayServer().start()
        cls.addClassCleanup(cls.replay.stop)
        providers = cls.env["crm_extended.registry.provider"].search(
            [("code", "in", list(CLIENTS))]
        )
        for provider in providers:
            provider.write(
                {"base_url": cls.replay.base_url(provider.code), "timeout": 5}
            )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "ČEZ, a. s.",
                "is_company": True,
                "country_id": cls.env.ref("base.cz").id,
                "company_registry": "45274649",
                "vat": "CZ45274649",
            }
        )
        new_test_user(
            cls.env,
            login="tour_salesperson",
            groups="base.group_user,crm_extended.group_card_user",
        )

    def test_salesperson_checks_registries_from_the_card(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_registry_badge",
            login="tour_salesperson",
        )
        self.assertEqual(self.customer.registry_status, "ok")
        self.assertEqual(
            {r["code"] for r in self.replay.requests},
            {"cz_ares", "cz_adis", "cz_isir", "eu_vies"},
        )
