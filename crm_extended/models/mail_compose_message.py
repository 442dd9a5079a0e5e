from odoo import models

from .mailing_mailing import CAP_FAILURE


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _process_mail_values_state(self, mail_values_dict):
        """A mass mailing holds back the people above the contact caps: their
        mail is cancelled with the reason, so that the mailing lists them."""
        mail_values_dict = super()._process_mail_values_state(mail_values_dict)
        mailing = self.mass_mailing_id
        if self.composition_mode != "mass_mail" or not mailing:
            return mail_values_dict
        if mailing.crm_ignore_contact_cap or mailing.mailing_type != "mail":
            return mail_values_dict
        caps, respect_preferred = self.env[
            "crm_extended.contact.cap"
        ]._pressure_settings(self.env.company)
        if not (caps or respect_preferred):
            # Nothing configured: not one query more than Odoo's own sending.
            return mail_values_dict
        pending = {
            res_id: values
            for res_id, values in mail_values_dict.items()
            if values.get("state") != "cancel"
        }
        if not pending:
            return mail_values_dict
        recipients = self._get_recipients_data(pending)
        emails = {
            res_id: (info["mail_to_normalized"] or [False])[0]
            for res_id, info in recipients.items()
        }
        for res_id, reason in mailing._crm_contact_holds(emails).items():
            mail_values_dict[res_id].update(
                state="cancel",
                failure_type=CAP_FAILURE,
                failure_reason=reason,
                is_notification=False,
            )
        return mail_values_dict

    def _prepare_mail_values_mailing_traces(self, mail_values_all):
        trace_values_all = super()._prepare_mail_values_mailing_traces(mail_values_all)
        for res_id, mail_values in mail_values_all.items():
            trace_values = trace_values_all.get(res_id)
            if trace_values and mail_values.get("failure_type") == CAP_FAILURE:
                trace_values["failure_reason"] = mail_values.get("failure_reason")
        return trace_values_all
