from odoo import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    failure_type = fields.Selection(
        selection_add=[("crm_contact_cap", "Contact cap reached")],
        ondelete={"crm_contact_cap": "set null"},
    )
