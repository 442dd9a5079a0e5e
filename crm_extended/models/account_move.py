from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    # The card's figures and counts select a customer's invoices by commercial
    # partner; without an index that is a scan of every journal entry.
    commercial_partner_id = fields.Many2one(index="btree_not_null")

    crm_payment_warning = fields.Text(
        string="Payment Behaviour Warning",
        compute="_compute_crm_payment_warning",
        help="Shown on a draft customer invoice when the customer is graded E.",
    )

    def init(self):
        result = super().init()
        # A customer's posted invoices and credit notes with what the card
        # reads of them (the invoice count, the sales figures' type and date):
        # an index-only scan instead of fetching each of the largest
        # customer's 32,000 entries from the table (issue 19).
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_crm_customer_invoices_idx
                ON account_move (commercial_partner_id, invoice_date)
           INCLUDE (id, company_id, move_type, invoice_user_id)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
            """
        )
        return result

    @api.depends("partner_id", "state", "move_type", "company_id")
    def _compute_crm_payment_warning(self):
        for move in self:
            move.crm_payment_warning = move._crm_payment_grade_warning() or False

    def _crm_payment_grade_warning(self):
        self.ensure_one()
        if self.state != "draft" or self.move_type != "out_invoice":
            return ""
        return self.partner_id._crm_payment_grade_warning(self.company_id)

    def _crm_payment_risks(self):
        """Why posting this invoice is risky: grade E and Odoo's credit limit."""
        self.ensure_one()
        if self.move_type != "out_invoice":
            return []
        return [
            text
            for text in (
                self._crm_payment_grade_warning(),
                self.sudo().partner_credit_warning,
            )
            if text
        ]

    def _post(self, soft=True):
        warnings = {}
        for move in self:
            risks = move._crm_payment_risks()
            if not risks:
                continue
            if move.company_id.crm_payment_block_posting:
                raise UserError(
                    self.env._(
                        "The invoice for %(partner)s cannot be posted: %(reasons)s",
                        partner=move.partner_id.display_name,
                        reasons="\n".join(risks),
                    )
                )
            warnings[move] = risks
        posted = super()._post(soft=soft)
        for move, risks in warnings.items():
            if move in posted:
                move.message_post(
                    body=self.env._(
                        "Posted despite a payment warning: %(reasons)s",
                        reasons="\n".join(risks),
                    )
                )
        posted._crm_store_line_costs()
        self._crm_payment_touch_invoices(posted)
        return posted

    def _crm_store_line_costs(self):
        """Freeze the product cost of customer invoice lines when they are posted."""
        customer_moves = self.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        lines = customer_moves.sudo().line_ids
        # One write per distinct cost, not per line: posting many invoices at once
        # (an import, the demo) would otherwise re-check every move per line.
        by_cost = defaultdict(lambda: lines.browse())
        for line, cost in lines._crm_cost_values().items():
            by_cost[cost] |= line
        for cost, cost_lines in by_cost.items():
            cost_lines.crm_cost_amount = cost

    def button_draft(self):
        result = super().button_draft()
        self._crm_payment_touch_invoices(self)
        return result

    def button_cancel(self):
        result = super().button_cancel()
        self._crm_payment_touch_invoices(self)
        return result

    def _crm_payment_touch_invoices(self, moves):
        """Posting, resetting or cancelling an entry on a receivable or payable
        account changes the open items: recompute the figures of its partners."""
        lines = moves.sudo().line_ids.filtered(
            lambda line: line.account_type in ("asset_receivable", "liability_payable")
        )
        if lines.partner_id:
            self.env["crm_extended.payment.behaviour"]._touch(lines.partner_id)
