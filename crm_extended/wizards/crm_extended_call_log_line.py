from odoo import fields, models


class CrmExtendedCallLogLine(models.TransientModel):
    """One follow-up activity planned from the call log form."""

    _name = "crm_extended.call.log.line"
    _description = "Follow-up Activity of a Logged Call"

    wizard_id = fields.Many2one(
        "crm_extended.call.log", required=True, ondelete="cascade"
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        required=True,
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        ),
    )
    summary = fields.Char()
    date_deadline = fields.Date(
        string="Due Date", required=True, default=fields.Date.context_today
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        required=True,
        default=lambda self: self.env.user,
    )
