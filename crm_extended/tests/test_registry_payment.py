from odoo import Command
from odoo.tests import tagged

from .registry_common import RegistryTestCommon


@tagged("post_install", "-at_install")
class TestRegistryPaymentWarning(RegistryTestCommon):
    def _register(self, bank):
        bill = self.post_invoice(self.cez, 500, "2026-10-01", move_type="in_invoice")
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"payment_date": "2026-10-05"})
        )
        wizard.partner_bank_id = bank
        return wizard

    def test_unpublished_account_warns_published_does_not(self):
        self.cez.write(
            {
                "bank_ids": [
                    Command.create({"acc_number": "2001260209/2600"}),
                    Command.create({"acc_number": "CZ65 0800 0000 1920 0014 5399"}),
                ]
            }
        )
        published, other = self.cez.bank_ids
        # No registry answer yet: nothing to warn about.
        self.assertFalse(self._register(other).registry_bank_warning)
        self.cez.action_registry_check()
        self.assertFalse(self._register(published).registry_bank_warning)
        wizard = self._register(other)
        self.assertIn("is not published", wizard.registry_bank_warning)
        # Non-blocking: the payment is still created, and it warns too.
        payment = wizard._create_payments()
        self.assertIn("is not published", payment.registry_bank_warning)

    def test_polish_white_list_accounts(self):
        self.jeden.action_registry_check()
        bank = self.jeden.bank_ids
        self.assertFalse(bank._registry_unpublished_warning())
        other = self.env["res.partner.bank"].create(
            {"partner_id": self.jeden.id, "acc_number": "PL27114020040000300201355388"}
        )
        self.assertTrue(other._registry_unpublished_warning())
