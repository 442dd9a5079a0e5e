from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._crm_store_line_costs()
        return posted

    def _crm_store_line_costs(self):
        """Freeze the product cost of customer invoice lines when they are posted."""
        customer_moves = self.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        lines = customer_moves.sudo().line_ids
        for line, cost in lines._crm_cost_values().items():
            line.crm_cost_amount = cost
