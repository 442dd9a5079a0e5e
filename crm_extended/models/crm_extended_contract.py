from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmExtendedContract(models.Model):
    _name = "crm_extended.contract"
    _description = "Customer Contract"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date_end desc, id desc"
    _rec_name = "number"

    number = fields.Char(required=True, tracking=True, copy=False)
    subject = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(
        string="End Date", tracking=True, help="Leave empty for an open-ended contract."
    )
    value = fields.Monetary(tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    notice_days = fields.Integer(
        string="Renewal Notice (days)",
        default=30,
        help="The responsible gets a reminder activity this many days before the "
        "end date.",
    )
    reminder_date = fields.Date(compute="_compute_reminder_date", store=True)
    reminder_sent = fields.Boolean(copy=False, readonly=True)
    document = fields.Binary(string="Signed Document", attachment=True, copy=False)
    document_name = fields.Char(copy=False)
    note = fields.Html()

    _sql_constraints = (
        (
            "number_company_unique",
            "UNIQUE(number, company_id)",
            "The contract number must be unique per company.",
        ),
    )

    # Less typing: a new contract of a customer starts from its latest one.
    _CARD_INHERITED_FIELDS = ("currency_id", "notice_days", "user_id")

    def _card_previous_defaults(self, partner, fields_list):
        if not partner:
            return {}
        previous = self.search(
            [("commercial_partner_id", "=", partner.commercial_partner_id.id)],
            order="date_start desc, id desc",
            limit=1,
        )
        if not previous:
            return {}
        values = {
            "currency_id": previous.currency_id.id,
            "notice_days": previous.notice_days,
            "user_id": previous.user_id.id,
        }
        return {
            fname: values[fname]
            for fname in self._CARD_INHERITED_FIELDS
            if fname in fields_list and values[fname] is not False
        }

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        partner_id = defaults.get("partner_id") or self.env.context.get(
            "default_partner_id"
        )
        partner = self.env["res.partner"].browse(partner_id or ()).exists()
        defaults.update(self._card_previous_defaults(partner, fields_list))
        return defaults

    @api.onchange("partner_id")
    def _onchange_partner_id_previous_contract(self):
        if self._origin.id or not self.partner_id:
            return
        self.update(
            self._card_previous_defaults(
                self.partner_id, list(self._CARD_INHERITED_FIELDS)
            )
        )

    @api.depends("date_end", "notice_days")
    def _compute_reminder_date(self):
        for contract in self:
            notice = timedelta(days=max(contract.notice_days, 0))
            contract.reminder_date = contract.date_end and contract.date_end - notice

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(number)s ends before it starts.",
                        number=contract.number,
                    )
                )

    @api.constrains("notice_days")
    def _check_notice_days(self):
        if any(contract.notice_days < 0 for contract in self):
            raise ValidationError(self.env._("The renewal notice cannot be negative."))

    def write(self, vals):
        if "date_end" in vals or "notice_days" in vals:
            before = {contract: contract.reminder_date for contract in self}
            result = super().write(vals)
            moved = self.filtered(
                lambda contract: contract.reminder_date != before[contract]
            )
            if moved:
                moved.reminder_sent = False
            return result
        return super().write(vals)

    def action_run(self):
        self.write({"state": "running"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})

    @api.model
    def _cron_contract_reminders(self):
        """Remind the responsible of running contracts near their end; expire old ones.

        Idempotent: a contract gets one reminder per end date, however often the
        cron runs.
        """
        today = fields.Date.context_today(self)
        self.search(
            [("state", "=", "running"), ("date_end", "<", today)]
        ).state = "expired"
        due = self.search(
            [
                ("state", "=", "running"),
                ("reminder_sent", "=", False),
                ("reminder_date", "<=", today),
            ]
        )
        for contract in due:
            contract.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=contract.date_end,
                summary=self.env._(
                    "Contract %(number)s ends on %(date)s",
                    number=contract.number,
                    date=contract.date_end,
                ),
                user_id=(contract.user_id or self.env.user).id,
            )
        due.reminder_sent = True
        return True
