from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_reminder_run_date = fields.Date(
        string="Reminders Proposed On",
        readonly=True,
        copy=False,
        help="The day the daily run last proposed payment reminders for the company.",
    )
    crm_reminder_level_ids = fields.One2many(
        "crm_extended.reminder.level", "company_id", string="Reminder Levels"
    )
