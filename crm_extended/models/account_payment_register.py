from odoo import api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    registry_bank_warning = fields.Char(compute="_compute_registry_bank_warning")

    @api.depends("partner_bank_id", "payment_type")
    def _compute_registry_bank_warning(self):
        for wizard in self:
            bank = wizard.partner_bank_id
            wizard.registry_bank_warning = (
                wizard.payment_type == "outbound"
                and bank
                and bank._registry_unpublished_warning()
            )
