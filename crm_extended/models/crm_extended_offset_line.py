from datetime import date

from odoo import api, fields, models


class CrmExtendedOffsetLine(models.Model):
    _name = "crm_extended.offset.line"
    _description = "Offset Item"
    _order = "side, date_maturity, id"

    offset_id = fields.Many2one(
        "crm_extended.offset", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="offset_id.company_id", store=True)
    currency_id = fields.Many2one(related="offset_id.currency_id")
    move_line_id = fields.Many2one(
        "account.move.line", string="Item", required=True, ondelete="restrict"
    )
    move_name = fields.Char(related="move_line_id.move_name", string="Document")
    name = fields.Char(
        string="Label",
        compute="_compute_name",
        store=True,
        readonly=False,
        help="Label of the offset entry's line of this item.",
    )
    ref = fields.Char(related="move_line_id.ref")
    date_maturity = fields.Date(related="move_line_id.date_maturity", store=True)
    side = fields.Selection(
        [("asset_receivable", "Receivable"), ("liability_payable", "Payable")],
        compute="_compute_from_item",
        store=True,
    )
    residual = fields.Monetary(
        string="Open",
        compute="_compute_from_item",
        store=True,
        help="What is open on the item when it was proposed.",
    )
    selected = fields.Boolean(string="Include", default=True)
    amount = fields.Monetary(
        string="Amount Offset",
        compute="_compute_amount",
        store=True,
        help="The part of the offset amount allocated to this item, oldest due first.",
    )

    @api.depends("move_line_id", "offset_id.partner_id")
    def _compute_name(self):
        for line in self:
            line.name = self.env._(
                "Offset with %(partner)s: %(document)s",
                partner=line.offset_id.partner_id.name or "",
                document=line.move_line_id.move_name or "",
            )

    @api.depends("move_line_id")
    def _compute_from_item(self):
        for line in self:
            item = line.move_line_id
            line.side = item.account_id.account_type
            line.residual = abs(item.amount_residual)

    @api.depends(
        "selected", "residual", "offset_id.amount", "offset_id.line_ids.selected"
    )
    def _compute_amount(self):
        for offset in self.offset_id:
            lines = offset.line_ids.sorted(_allocation_order)
            left = {
                "asset_receivable": offset.amount,
                "liability_payable": offset.amount,
            }
            for line in lines:
                if not line.selected:
                    line.amount = 0.0
                    continue
                share = min(line.residual, left[line.side])
                line.amount = share
                left[line.side] -= share
        for line in self.filtered(lambda line: not line.offset_id):
            line.amount = 0.0


def _allocation_order(line):
    # Oldest due first; new (unsaved) lines have no integer id yet.
    origin = line._origin.id or 0
    return (line.date_maturity or date.min, origin)
