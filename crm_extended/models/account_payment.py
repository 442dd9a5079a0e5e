from odoo import api, fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    registry_bank_warning = fields.Char(compute="_compute_registry_bank_warning")

    @api.depends("partner_bank_id", "payment_type", "partner_id")
    def _compute_registry_bank_warning(self):
        for payment in self:
            bank = payment.partner_bank_id
            payment.registry_bank_warning = (
                payment.payment_type == "outbound"
                and bank
                and bank._registry_unpublished_warning()
            )
