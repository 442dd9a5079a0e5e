from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def init(self):
        result = super().init()
        # The payment behaviour's refresh keeps an instalment's reconciliations
        # dated in its range (``max_date``, the later of both lines' dates) from
        # an index alone, before reading the payment line (issue 19: two thirds
        # of them are older than the range): looked up by instalment for a few
        # partners, read by date for a nightly batch.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_partial_reconcile_crm_paid_idx
                ON account_partial_reconcile (debit_move_id)
           INCLUDE (max_date, credit_move_id, amount)
            """
        )
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_partial_reconcile_crm_paid_date_idx
                ON account_partial_reconcile (max_date)
           INCLUDE (debit_move_id, credit_move_id, amount)
            """
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._crm_payment_touch()
        partials._crm_payment_rating()
        return partials

    def unlink(self):
        self._crm_payment_touch()
        return super().unlink()

    def _crm_payment_touch(self):
        """Only the partners on either side of these reconciliations are recomputed."""
        partials = self.sudo()
        lines = partials.debit_move_id | partials.credit_move_id
        self.env["crm_extended.payment.behaviour"]._touch(lines.partner_id)

    def _crm_payment_rating(self):
        """A paid customer invoice may ask for a rating (company setting)."""
        wanted = (
            self.env["res.company"]
            .sudo()
            .search_count([("crm_invoice_rating_request", "=", True)], limit=1)
        )
        if not wanted:
            return
        partials = self.sudo()
        moves = (partials.debit_move_id | partials.credit_move_id).move_id
        moves._crm_request_payment_rating()
