from odoo import api, models

from .crm_extended_reminder import ACCOUNTANT

REMINDER = "crm_extended.reminder"


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        # The mail of a payment reminder carries the amounts: it is the
        # accountant's, although a salesperson may read the reminder itself
        # (crm_extended.reminder._get_mail_message_access says the same on read).
        if doc_model == REMINDER and not self.env.user.has_group(ACCOUNTANT):
            return set()
        return super()._find_allowed_model_wise(doc_model, doc_dict)
