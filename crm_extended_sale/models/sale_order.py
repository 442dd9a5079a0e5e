from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_payment_warning = fields.Text(
        string="Payment Behaviour Warning",
        compute="_compute_crm_payment_warning",
        help="Shown on a quotation when the customer is graded E.",
    )

    @api.depends("partner_id", "state", "company_id")
    def _compute_crm_payment_warning(self):
        for order in self:
            order.crm_payment_warning = order._crm_payment_grade_warning() or False

    def _crm_payment_grade_warning(self):
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return ""
        return self.partner_id._crm_payment_grade_warning(self.company_id)

    def _crm_payment_risks(self):
        """Why confirming this quotation is risky: grade E and the credit limit.

        The credit limit sentence is the one sale already shows in its own
        banner (``partner_credit_warning``), not a second computation.
        """
        self.ensure_one()
        # Decide on fresh figures: the limit or other orders may have changed
        # earlier in this transaction.
        self.partner_id.commercial_partner_id.invalidate_recordset(
            ["credit", "credit_to_invoice"]
        )
        self.invalidate_recordset(["partner_credit_warning"])
        return [
            text
            for text in (
                self._crm_payment_grade_warning(),
                self.sudo().partner_credit_warning,
            )
            if text
        ]

    def action_confirm(self):
        warnings = {}
        for order in self:
            risks = order._crm_payment_risks()
            if not risks:
                continue
            if order.company_id.crm_payment_block_posting:
                raise UserError(
                    self.env._(
                        "The order %(order)s for %(partner)s cannot be confirmed: "
                        "%(reasons)s",
                        order=order.name,
                        partner=order.partner_id.display_name,
                        reasons="\n".join(risks),
                    )
                )
            warnings[order] = risks
        result = super().action_confirm()
        for order, risks in warnings.items():
            if order.state == "sale":
                order.message_post(
                    body=self.env._(
                        "Confirmed despite a payment warning: %(reasons)s",
                        reasons="\n".join(risks),
                    )
                )
        return result
