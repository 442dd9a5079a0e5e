from odoo import fields, models

from ..registries import SOURCES
from ..registries.accounts import normalise

# Registries whose answer lists the bank accounts a VAT payer may be paid to:
# ADIS (CZ), the white list (PL), Finančná správa's ds_dph_iban (SK).
ACCOUNT_REGISTRIES = tuple(
    code for code, source in SOURCES.items() if source.publishes_accounts
)


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _registry_unpublished_warning(self):
        """A warning when the last registry answer does not publish this account.

        Only registries that publish the accounts of VAT payers count; no
        warning without such an answer. Never blocks anything.
        """
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        check = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("provider_code", "in", ACCOUNT_REGISTRIES),
                    ("outcome", "=", "found"),
                    ("vat_payer_state", "!=", "no"),
                ],
                order="checked_at desc, id desc",
                limit=1,
            )
        )
        if not check:
            return False
        published = set((check.published_bank_accounts or "").split())
        if normalise(self.acc_number, partner.country_id.code) in published:
            return False
        return self.env._(
            "The bank account %(account)s is not published for %(partner)s in "
            "%(registry)s (checked on %(date)s). Paying to an unpublished account "
            "can make you liable for the supplier's unpaid VAT.",
            account=self.acc_number,
            partner=partner.display_name,
            registry=check.provider_id.name,
            date=fields.Datetime.to_string(check.checked_at),
        )
