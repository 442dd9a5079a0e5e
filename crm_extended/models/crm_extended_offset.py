"""Offsetting ("zápočet", "kompensace", "kompensata") of a partner who is both
customer and supplier.

The offset proposes the open receivable and payable items (from
``crm_extended.open.item``), allocates the offset amount to them by due date
and, once confirmed, posts one miscellaneous entry with one line per item,
each reconciled with its item through Odoo's reconciliation: both residuals
drop by what was offset. The agreement for both parties prints from it.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

RECEIVABLE = "asset_receivable"
PAYABLE = "liability_payable"


class CrmExtendedOffset(models.Model):
    _name = "crm_extended.offset"
    _description = "Offset of Receivables and Payables"
    _inherit = ("mail.thread",)
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(default="/", readonly=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('parent_id', '=', False)]",
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        default=lambda self: self._default_journal_id(),
        check_company=True,
        help="Miscellaneous journal of the offset entry.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Offset")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    line_ids = fields.One2many("crm_extended.offset.line", "offset_id", string="Items")
    receivable_total = fields.Monetary(compute="_compute_totals")
    payable_total = fields.Monetary(compute="_compute_totals")
    amount = fields.Monetary(
        string="Amount Offset",
        compute="_compute_amount",
        store=True,
        help="The smaller of the selected receivable and payable totals.",
    )
    move_id = fields.Many2one("account.move", string="Offset Entry", readonly=True)
    note = fields.Text(help="Printed on the agreement.")

    @api.model
    def _default_journal_id(self):
        # The company's miscellaneous journal, whatever the user's Invoicing
        # rights (confirming the offset needs them).
        Journal = self.env["account.journal"].sudo()
        return Journal.search(
            [
                *Journal._check_company_domain(self.env.company),
                ("type", "=", "general"),
            ],
            limit=1,
        )

    @api.depends("line_ids.selected", "line_ids.residual", "line_ids.side")
    def _compute_totals(self):
        for offset in self:
            chosen = offset.line_ids.filtered("selected")
            receivable = sum(
                chosen.filtered(lambda line: line.side == RECEIVABLE).mapped("residual")
            )
            payable = sum(
                chosen.filtered(lambda line: line.side == PAYABLE).mapped("residual")
            )
            offset.receivable_total = receivable
            offset.payable_total = payable

    @api.depends("line_ids.selected", "line_ids.residual", "line_ids.side")
    def _compute_amount(self):
        for offset in self:
            offset.amount = offset.currency_id.round(
                min(offset.receivable_total, offset.payable_total)
            )

    # ------------------------------------------------------------------ flow
    def _check_crm_offset_access(self):
        if not (
            self.env.user.has_group("crm_extended.group_card_accountant")
            and self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only card accountants who may post entries may offset.")
            )

    def action_propose(self):
        """Propose every open item of the partner in the company currency:
        what they owe us (receivable) and what we owe them (payable)."""
        self._check_crm_offset_access()
        for offset in self:
            if offset.state != "draft":
                raise UserError(self.env._("Only a draft offset can be changed."))
            items = self.env["crm_extended.open.item"].search(
                [
                    ("partner_id", "=", offset.partner_id.commercial_partner_id.id),
                    ("company_id", "=", offset.company_id.id),
                ],
                order="date_maturity, id",
            )
            commands = [Command.clear()]
            for item in items:
                line = self.env["account.move.line"].browse(item.id)
                foreign = line.currency_id != offset.currency_id
                if foreign:
                    continue
                owed = (
                    item.residual > 0
                    if item.account_type == RECEIVABLE
                    else item.residual < 0
                )
                if owed:
                    commands.append(Command.create({"move_line_id": line.id}))
            offset.line_ids = commands
        return True

    def action_confirm(self):
        """Post the offset entry and reconcile each item with its line."""
        self._check_crm_offset_access()
        for offset in self:
            offset._confirm()
        return True

    def _confirm(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This offset is already done."))
        if not self.journal_id:
            raise UserError(self.env._("Choose the journal of the offset entry."))
        chosen = self.line_ids.filtered(lambda line: line.selected and line.amount)
        chosen = chosen.sorted("id")
        sides = set(chosen.mapped("side"))
        if sides != {RECEIVABLE, PAYABLE}:
            raise UserError(
                self.env._(
                    "Select at least one receivable and one payable item to offset."
                )
            )
        for line in chosen:
            # Residuals may have moved since the proposal.
            live = abs(line.move_line_id.amount_residual)
            if line.move_line_id.reconciled or self.currency_id.compare_amounts(
                live, line.residual
            ):
                raise UserError(
                    self.env._(
                        "%(item)s changed since it was proposed: propose the items "
                        "again.",
                        item=line.move_line_id.move_name,
                    )
                )
        label = self.env._("Offset with %(partner)s", partner=self.partner_id.name)
        entry_lines = []
        for line in chosen:
            item = line.move_line_id
            debit = line.amount if line.side == PAYABLE else 0.0
            credit = line.amount if line.side == RECEIVABLE else 0.0
            entry_lines.append(
                Command.create(
                    {
                        "name": line.name or f"{label}: {item.move_name}",
                        "account_id": item.account_id.id,
                        "partner_id": item.partner_id.id,
                        "debit": debit,
                        "credit": credit,
                    }
                )
            )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "company_id": self.company_id.id,
                "date": self.date,
                "ref": label,
                "line_ids": entry_lines,
            }
        )
        move.action_post()
        counterparts = move.line_ids.sorted("id")
        for line, counterpart in zip(chosen, counterparts, strict=True):
            (line.move_line_id + counterpart).reconcile()
        self.write({"move_id": move.id, "state": "done", "name": move.name})

    def action_print_agreement(self):
        self.ensure_one()
        self._check_crm_offset_access()
        return self.env.ref(
            "crm_extended.action_report_offset_agreement"
        ).report_action(self)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(offset.state == "done" for offset in self):
            raise UserError(
                self.env._("A done offset stays: reverse its entry instead.")
            )
