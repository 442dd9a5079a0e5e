from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        self._crm_drift_touch(posted)
        return posted

    def button_draft(self):
        result = super().button_draft()
        self._crm_drift_touch(self)
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self._crm_drift_touch(self)
        return result

    def _crm_drift_touch(self, moves):
        """A customer invoice or credit note posted, reset or cancelled changes
        its customer's buying rhythm: recompute it before the commit."""
        customer_moves = moves.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        if customer_moves:
            self.env["crm_extended.drift.engine"]._touch(
                customer_moves.sudo().commercial_partner_id
            )
