from odoo import fields, models

CAP_FAILURE = "crm_contact_cap"


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    crm_ignore_contact_cap = fields.Boolean(
        string="Ignore Contact Caps",
        copy=False,
        help="Send also to the people already reached as often as the company's "
        "contact caps allow. Without it they are held back and listed.",
    )
    crm_held_back_count = fields.Integer(
        string="Held Back", compute="_compute_crm_held_back_count"
    )

    def _compute_crm_held_back_count(self):
        counts = dict(
            self.env["mailing.trace"]
            .sudo()
            ._read_group(
                [
                    ("mass_mailing_id", "in", self.ids),
                    ("failure_type", "=", CAP_FAILURE),
                ],
                ["mass_mailing_id"],
                ["__count"],
            )
        )
        for mailing in self:
            mailing.crm_held_back_count = counts.get(mailing, 0)

    def _crm_recipient_people(self, emails_by_res_id):
        """{res_id: partner id}: the person each recipient document stands for.

        A contact (res.partner) is the person; a lead its contact; any other
        recipient the first contact with its e-mail, as the touch counting
        resolves mailing traces."""
        self.ensure_one()
        model = self.mailing_model_real
        if model == "res.partner":
            return {res_id: res_id for res_id in emails_by_res_id}
        if model == "crm.lead":
            leads = self.env["crm.lead"].sudo().browse(list(emails_by_res_id))
            return {lead.id: lead.partner_id.id for lead in leads if lead.partner_id}
        emails = {email for email in emails_by_res_id.values() if email}
        first = {}
        for person in (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "in", list(emails))], order="id")
        ):
            first.setdefault(person.email_normalized, person.id)
        return {
            res_id: first[email]
            for res_id, email in emails_by_res_id.items()
            if email in first
        }

    def _crm_contact_holds(self, emails_by_res_id):
        """{res_id: reason} of the recipients the contact caps hold back."""
        self.ensure_one()
        if self.crm_ignore_contact_cap or self.mailing_type != "mail":
            return {}
        caps, respect_preferred = self.env[
            "crm_extended.contact.cap"
        ]._pressure_settings(self.env.company)
        if not (caps or respect_preferred):
            return {}
        people = self._crm_recipient_people(emails_by_res_id)
        holds = (
            self.env["res.partner"]
            .browse(set(people.values()))
            ._crm_contact_holds(("email",))
        )
        return {
            res_id: holds[person_id]
            for res_id, person_id in people.items()
            if person_id in holds
        }

    def action_view_crm_held_back(self):
        self.ensure_one()
        action = self._action_view_traces_filtered("canceled")
        action["name"] = self.env._("Held Back by Contact Caps")
        action["domain"] = [
            ("mass_mailing_id", "=", self.id),
            ("failure_type", "=", CAP_FAILURE),
        ]
        return action

    def action_crm_send_held_back(self):
        """Send knowingly to the people the caps held back."""
        self.crm_ignore_contact_cap = True
        traces = (
            self.env["mailing.trace"]
            .sudo()
            .search(
                [
                    ("mass_mailing_id", "in", self.ids),
                    ("failure_type", "=", CAP_FAILURE),
                ]
            )
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("mailing_id", "in", self.ids), ("failure_type", "=", CAP_FAILURE)]
            )
        )
        traces.unlink()
        mails.unlink()
        self.action_put_in_queue()
