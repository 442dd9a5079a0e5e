"""Finančná správa: with an API key per company, without one from the daily files."""

import base64

from odoo import Command
from odoo.tests import tagged

from .registry_common import RegistryTestCommon
from .registry_replay.server import FS_KEY


@tagged("post_install", "-at_install")
class TestFinancnaSprava(RegistryTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fs = cls.provider["sk_financna_sprava"]
        cls.agro = cls.new_company(
            "Agro Trnava s.r.o.",
            cls.sk,
            "46200029",
            "SK2020000004",
            zip="91701",
            bank_ids=[
                Command.create({"acc_number": "SK89 7500 0000 0000 1234 5671"}),
                Command.create({"acc_number": "SK12 0200 0000 0012 3456 7890"}),
            ],
        )
        cls.drevo = cls.new_company(
            "Drevo Prešov, s.r.o.", cls.sk, "46200037", "SK2020000015", zip="08001"
        )

    def test_with_an_api_key_each_company_is_asked(self):
        self.fs.credentials = FS_KEY
        self.agro.action_registry_check()
        check = self.checks(self.agro, "sk_financna_sprava")
        self.assertEqual(check.outcome, "found")
        self.assertEqual(
            (check.vat_payer_state, check.unreliable_state), ("yes", "yes")
        )
        self.assertEqual(self.agro.registry_status, "risk")
        self.assertIn("grounds for VAT deregistration", self.agro.registry_summary)
        self.assertIn(b"--- ds_dphz", base64.b64decode(check.raw_payload))
        # The tax-debtor list has no IČO: matched by name and PSČ, and said so.
        self.drevo.action_registry_check()
        debt = self.checks(self.drevo, "sk_financna_sprava")
        self.assertEqual(debt.match_quality, "name_zip")
        self.assertEqual(debt.finding_ids.amount, 8765.40)

    def test_published_accounts_warn_payments_in_slovakia_too(self):
        self.fs.credentials = FS_KEY
        self.agro.action_registry_check()
        published, other = self.agro.bank_ids
        self.assertFalse(published._registry_unpublished_warning())
        self.assertIn("is not published", other._registry_unpublished_warning())

    def test_without_a_key_the_daily_files_answer(self):
        self.assertFalse(self.fs.sudo().credentials)
        dphz = self.use_list("debtor_list_fs_dphz", url=self.replay.dump_url("ds_dphz"))
        dsdd = self.use_list("debtor_list_fs_dsdd", url=self.replay.dump_url("ds_dsdd"))
        (dphz | dsdd).with_user(self.user_manager).action_download()
        self.assertEqual(dphz.current_version_id.row_count, 2)  # cp1250 CSV in a ZIP
        self.assertEqual(dsdd.current_version_id.row_count, 2)  # XML in a ZIP
        # Both hits are evidence of one provider, Finančná správa.
        self.assertEqual(self.checks(self.agro).provider_id, self.fs)
        self.assertEqual(self.agro.registry_status, "risk")
        self.assertEqual(self.drevo.registry_status, "risk")
        # A regular check answers from the files, without the API.
        self.agro.action_registry_check()
        self.assertFalse(
            [r for r in self.replay.requests if r["path"].startswith("/data")]
        )
        newest = self.checks(self.agro, "sk_financna_sprava")[0]
        self.assertEqual(newest.unreliable_state, "yes")
        self.assertEqual(newest.finding_ids.kind, "unreliable_vat")
        # The Poprad company of the same name is not Drevo Prešov's debt.
        self.assertEqual(
            self.checks(self.drevo).finding_ids.mapped("listed_zip"), ["08001"]
        )
