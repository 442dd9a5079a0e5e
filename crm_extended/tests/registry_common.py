"""Registry tests: the shared replay server on 127.0.0.1 and partners it knows."""

from odoo import Command

from ..registries import CLIENTS
from .common import CardTestCommon
from .registry_replay import ReplayServer
from .registry_replay.server import GUS_KEY


class RegistryTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.replay = ReplayServer(slow_seconds=1.5).start()
        cls.addClassCleanup(cls.replay.stop)
        Provider = cls.env["crm_extended.registry.provider"].with_context(
            active_test=False
        )
        cls.providers = Provider.search([("code", "in", list(CLIENTS))])
        for provider in cls.providers:
            provider.write(
                {
                    "base_url": cls.replay.base_url(provider.code),
                    "timeout": 0.5,
                    "rate_limit_calls": 10000,
                    "rate_limit_period": 1,
                }
            )
        cls.provider = {provider.code: provider for provider in cls.providers}
        cls.provider["pl_gus_regon"].write({"active": True, "credentials": GUS_KEY})
        cls.provider["mk_crm"] = Provider.search([("code", "=", "mk_crm")])
        # Lists shipped with the addon stay off unless a test turns one on.
        cls.env["crm_extended.debtor.list"].search([]).write({"active": False})
        cz, sk, pl = (cls.env.ref(f"base.{code}") for code in ("cz", "sk", "pl"))
        cls.cz, cls.sk, cls.pl = cz, sk, pl
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

    @classmethod
    def new_company(cls, name, country, registry=None, vat=None, **values):
        return cls.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "is_company": True,
                    "country_id": country.id,
                    "company_registry": registry,
                    "vat": vat,
                },
                **values,
            )
        )

    @classmethod
    def use_list(cls, xmlid, url=None, **values):
        """Turn on a shipped list, served by the replay server."""
        record = cls.env.ref(f"crm_extended.{xmlid}")
        values.setdefault("active", True)
        if url:
            values.update(source_type="url", url=url)
        record.write(values)
        record.provider_id.active = True
        return record

    def setUp(self):
        super().setUp()
        self.replay.reset()

    def checks(self, partner, code=None):
        domain = [("partner_id", "=", partner.id)]
        if code:
            domain.append(("provider_code", "=", code))
        return self.env["crm_extended.registry.check"].search(domain)
