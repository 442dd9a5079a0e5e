"""Registry tests: the shared replay server on 127.0.0.1 and partners it knows."""

from odoo import Command

from .common import CardTestCommon
from .registry_replay import ReplayServer


class RegistryTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.replay = ReplayServer(slow_seconds=1.5).start()
        cls.addClassCleanup(cls.replay.stop)
        cls.providers = cls.env["crm_extended.registry.provider"].search([])
        for provider in cls.providers:
            provider.write(
                {
                    "base_url": cls.replay.base_url(provider.code),
                    "timeout": 0.5,
                    "rate_limit_calls": 10000,
                    "rate_limit_period": 1,
                }
            )
        cz, sk, pl = (cls.env.ref(f"base.{code}") for code in ("cz", "sk", "pl"))
        Partner = cls.env["res.partner"]
        cls.cez = Partner.create(
            {
                "name": "ČEZ, a. s.",
                "is_company": True,
                "country_id": cz.id,
                "company_registry": "45274649",
                "vat": "CZ45274649",
                "user_id": cls.user_salesperson.id,
            }
        )
        cls.lidru = Partner.create(
            {
                "name": "LIDRU, a.s.",
                "is_company": True,
                "country_id": cz.id,
                "company_registry": "00121100",
                "vat": "CZ00121100",
            }
        )
        cls.eset = Partner.create(
            {
                "name": "ESET, spol. s r.o.",
                "is_company": True,
                "country_id": sk.id,
                "company_registry": "31333532",
                "vat": "SK2020317068",
            }
        )
        cls.jeden = Partner.create(
            {
                "name": "Jeden sp. z o.o.",
                "is_company": True,
                "country_id": pl.id,
                "company_registry": "0000121862",
                "vat": "PL5260202393",
                "bank_ids": [
                    Command.create({"acc_number": "PL61109010140000071219812874"})
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.replay.reset()
