from odoo import fields, models


class CrmExtendedReminderLine(models.Model):
    """One open item a reminder named, with its amounts as of the reminder's
    date (the item may be paid later; the reminder keeps what it said)."""

    _name = "crm_extended.reminder.line"
    _description = "Payment Reminder Item"
    _order = "reminder_id, date_maturity, id"
    _rec_name = "move_name"

    reminder_id = fields.Many2one(
        "crm_extended.reminder", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="reminder_id.company_id", store=True)
    currency_id = fields.Many2one(
        related="reminder_id.currency_id", string="Company Currency"
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Journal Item", ondelete="set null", index=True
    )
    move_id = fields.Many2one("account.move", string="Entry", ondelete="set null")
    move_name = fields.Char(string="Number")
    ref = fields.Char(string="Reference")
    date = fields.Date()
    date_maturity = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    amount_residual = fields.Monetary(string="Open Amount")
    document_currency_id = fields.Many2one("res.currency", string="Currency")
    amount_residual_currency = fields.Monetary(
        string="Open in Currency", currency_field="document_currency_id"
    )
