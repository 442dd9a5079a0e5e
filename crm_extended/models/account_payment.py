from odoo import api, fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    registry_bank_warning = fields.Char(compute="_compute_registry_bank_warning")
    crm_registry_warning = fields.Text(
        string="Registry Warning", compute="_compute_crm_registry_warning"
    )

    @api.depends("partner_bank_id", "payment_type", "partner_id")
    def _compute_registry_bank_warning(self):
        for payment in self:
            bank = payment.partner_bank_id
            payment.registry_bank_warning = (
                payment.payment_type == "outbound"
                and bank
                and bank._registry_unpublished_warning()
            )

    def _crm_registry_applies(self):
        self.ensure_one()
        return (
            self.payment_type == "outbound"
            and self.partner_type == "supplier"
            and self.partner_id
        )

    @api.depends("partner_id", "payment_type", "partner_type", "state", "company_id")
    def _compute_crm_registry_warning(self):
        for payment in self:
            payment.crm_registry_warning = (
                payment.state == "draft"
                and payment._crm_registry_applies()
                and payment.partner_id._registry_warning_text(payment.company_id)
            ) or False

    def action_post(self):
        """Paying a supplier with a registry risk warns (a note) or, where the
        company made that kind of risk blocking, is refused."""
        noted = {}
        for payment in self.filtered(lambda payment: payment._crm_registry_applies()):
            warnings = payment.partner_id._registry_check_blocking(
                payment.company_id,
                self.env._(
                    "Paying %(partner)s",
                    partner=payment.partner_id.commercial_partner_id.display_name,
                ),
            )
            if warnings:
                noted[payment] = warnings
        result = super().action_post()
        for payment, warnings in noted.items():
            payment.message_post(
                body=self.env._(
                    "Paid despite a registry warning: %(reasons)s",
                    reasons=" ".join(warnings),
                )
            )
        return result
