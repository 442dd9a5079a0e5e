from odoo import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    failure_type = fields.Selection(
        selection_add=[("crm_contact_cap", "Contact cap reached")],
        ondelete={"crm_contact_cap": "set null"},
    )
