from odoo import api, fields, models


class CrmExtendedReminderLine(models.Model):
    """One open item a reminder named, with its amounts as of the reminder's
    date (the item may be paid later; the reminder keeps what it said).

    Written by the daily run in bulk: the journal item is kept by its id (no
    foreign key to check per row; a posted item is never deleted) and the rows
    carry no create/write stamps (the reminder has them)."""

    _name = "crm_extended.reminder.line"
    _description = "Payment Reminder Item"
    _order = "reminder_id, date_maturity, id"
    _rec_name = "move_name"
    _log_access = False

    reminder_id = fields.Many2one(
        "crm_extended.reminder", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="reminder_id.company_id")
    currency_id = fields.Many2one(
        related="reminder_id.currency_id", string="Company Currency"
    )
    move_line_ref = fields.Integer(
        string="Journal Item ID", index=True, help="Technical: the journal item named."
    )
    move_id = fields.Many2one(
        "account.move", string="Entry", compute="_compute_move_id", compute_sudo=True
    )
    move_name = fields.Char(string="Number")
    ref = fields.Char(string="Reference")
    date = fields.Date()
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    amount_residual = fields.Monetary(string="Open Amount")

    @api.depends("move_line_ref")
    def _compute_move_id(self):
        lines = self.env["account.move.line"].browse(self.mapped("move_line_ref"))
        move_of = {line.id: line.move_id for line in lines.exists()}
        for line in self:
            line.move_id = move_of.get(line.move_line_ref, False)
