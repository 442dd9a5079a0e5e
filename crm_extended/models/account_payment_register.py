from odoo import api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    registry_bank_warning = fields.Char(compute="_compute_registry_bank_warning")
    crm_registry_warning = fields.Text(
        string="Registry Warning", compute="_compute_crm_registry_warning"
    )

    @api.depends("partner_bank_id", "payment_type")
    def _compute_registry_bank_warning(self):
        for wizard in self:
            bank = wizard.partner_bank_id
            wizard.registry_bank_warning = (
                wizard.payment_type == "outbound"
                and bank
                and bank._registry_unpublished_warning()
            )

    @api.depends("partner_id", "payment_type", "partner_type", "company_id")
    def _compute_crm_registry_warning(self):
        for wizard in self:
            wizard.crm_registry_warning = (
                wizard.payment_type == "outbound"
                and wizard.partner_type == "supplier"
                and wizard.partner_id
                and wizard.partner_id._registry_warning_text(wizard.company_id)
            ) or False
