from odoo import api, fields, models


class CrmExtendedReminderLevel(models.Model):
    """A payment reminder level of a company (upomienka / upomínka / wezwanie do
    zapłaty): from how many days after the due date it applies, the letter's
    text in each language, and what it does beyond the letter."""

    _name = "crm_extended.reminder.level"
    _description = "Payment Reminder Level"
    _order = "company_id, days_after_due, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    days_after_due = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="The level applies when the oldest overdue item of the customer is at "
        "least this many days past its due date.",
    )
    subject = fields.Char(
        translate=True,
        help="Subject of the reminder mail, in the customer's language.",
    )
    text = fields.Html(
        string="Reminder Text",
        translate=True,
        sanitize=True,
        help="The letter above the list of open items, in the customer's language.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "crm_extended.reminder")],
        help="Leave empty to send the standard reminder mail with the open items "
        "as PDF.",
    )
    charge_interest = fields.Boolean(
        help="The reminder states the late-payment interest to date.",
    )
    escalate_on_risk = fields.Boolean(
        string="Escalate Risky Customers",
        help="A customer graded E or with a registry risk gets the next level "
        "instead of this one.",
    )

    _sql_constraints = (
        (
            "days_after_due_positive",
            "CHECK (days_after_due >= 0)",
            "A reminder level applies some days after the due date, not before.",
        ),
    )

    @api.model
    def _default_template(self):
        return self.env.ref(
            "crm_extended.mail_template_crm_reminder", raise_if_not_found=False
        )

    def _template(self):
        self.ensure_one()
        return self.mail_template_id or self._default_template()
