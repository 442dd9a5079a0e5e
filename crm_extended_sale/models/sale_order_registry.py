from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_registry_warning = fields.Text(
        string="Registry Warning",
        compute="_compute_crm_registry_warning",
        help="Shown on a quotation when a registry says the customer is in "
        "insolvency or liquidation, on a debtor list or an unreliable VAT payer.",
    )

    @api.depends("partner_id", "state", "company_id")
    def _compute_crm_registry_warning(self):
        for order in self:
            order.crm_registry_warning = (
                order.state in ("draft", "sent")
                and order.partner_id
                and order.partner_id._registry_warning_text(order.company_id)
            ) or False

    def action_confirm(self):
        """A registry risk of the customer warns (a note) or, where the company
        made that kind of risk blocking, stops the confirmation."""
        noted = {}
        for order in self:
            warnings = order.partner_id._registry_check_blocking(
                order.company_id,
                self.env._(
                    "Confirming %(order)s for %(partner)s",
                    order=order.name,
                    partner=order.partner_id.commercial_partner_id.display_name,
                ),
            )
            if warnings:
                noted[order] = warnings
        result = super().action_confirm()
        for order, warnings in noted.items():
            if order.state == "sale":
                order.message_post(
                    body=self.env._(
                        "Confirmed despite a registry warning: %(reasons)s",
                        reasons=" ".join(warnings),
                    )
                )
        return result
