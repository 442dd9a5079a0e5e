from odoo import api, fields, models
from odoo.exceptions import UserError

STATES = [
    ("proposed", "Proposed"),
    ("excluded", "Excluded"),
    ("sent", "Sent"),
    ("cancelled", "Cancelled"),
]
ACCOUNTANT = "crm_extended.group_card_accountant"


class CrmExtendedReminder(models.Model):
    """A payment reminder to a customer: proposed by the daily run, reviewed and
    sent (mail with the open items as PDF, or print) by an accountant.

    Salespeople see sent reminders, their level and date, never the amounts
    (fields and items are the accountant's) nor the mail that carried them."""

    _name = "crm_extended.reminder"
    _description = "Payment Reminder"
    _inherit = "mail.thread"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "crm_extended.reminder.level",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('company_id', '=', company_id)]",
    )
    date = fields.Date(
        required=True, readonly=True, default=fields.Date.context_today, index=True
    )
    state = fields.Selection(
        STATES, required=True, default="proposed", readonly=True, tracking=True
    )
    exclusion_reason = fields.Text(
        readonly=True,
        help="Why the daily run did not propose this reminder for sending.",
    )
    days_overdue = fields.Integer(
        readonly=True,
        help="Days past the due date of the oldest overdue item on the date.",
    )
    channel = fields.Selection(
        [("email", "Mail"), ("print", "Print")], readonly=True, copy=False
    )
    sent_at = fields.Datetime(string="Sent On", readonly=True, copy=False)
    sent_by_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many(
        "crm_extended.reminder.line",
        "reminder_id",
        string="Open Items",
        readonly=True,
        groups=ACCOUNTANT,
    )
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Journal Items",
        compute="_compute_move_line_ids",
        groups=ACCOUNTANT,
        help="The open items the reminder named.",
    )
    amount_overdue = fields.Monetary(string="Overdue", readonly=True, groups=ACCOUNTANT)
    amount_open = fields.Monetary(
        string="Open Receivable", readonly=True, groups=ACCOUNTANT
    )
    interest_amount = fields.Monetary(
        string="Interest to Date",
        readonly=True,
        groups=ACCOUNTANT,
        help="Late-payment interest to the reminder's date, when its level "
        "charges interest.",
    )
    note = fields.Text(
        groups=ACCOUNTANT, help="The accountant's note on the review (internal)."
    )
    recipient_id = fields.Many2one(
        "res.partner",
        compute="_compute_recipient_id",
        help="Who receives the mail: the customer's invoice address when it has "
        "an e-mail, else the customer.",
    )

    @api.depends("line_ids.move_line_ref")
    def _compute_move_line_ids(self):
        # Computed as the system: check that the reader may read the reminders.
        self.check_access("read")
        for reminder in self:
            refs = reminder.sudo().line_ids.mapped("move_line_ref")
            reminder.move_line_ids = self.env["account.move.line"].browse(refs)

    @api.depends("partner_id")
    def _compute_recipient_id(self):
        for reminder in self:
            partner = reminder.partner_id
            invoice_contacts = partner.child_ids.filtered(
                lambda child: child.type == "invoice" and child.email
            )
            reminder.recipient_id = invoice_contacts[:1] or partner

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = self.env._(
                "%(level)s - %(partner)s",
                level=reminder.level_id.name or "",
                partner=reminder.partner_id.display_name or "",
            )

    # -- Access: the mail carried the amounts ------------------------------------
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        # Reading a reminder's messages takes what changing it takes: the
        # accountant's. A salesperson reads the reminder (level, date), not the
        # mail with the amounts.
        operation = super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )
        return "write" if operation == "read" else operation

    # -- Review and send ---------------------------------------------------------
    def _check_can_send(self):
        self.check_access("write")
        if not self.env.user.has_group(ACCOUNTANT):
            raise UserError(self.env._("Only accountants send payment reminders."))
        not_proposed = self.filtered(lambda r: r.state != "proposed")
        if not_proposed:
            raise UserError(
                self.env._(
                    "Only proposed reminders can be sent; these are not: %(reminders)s",
                    reminders=", ".join(not_proposed.mapped("display_name")),
                )
            )

    def action_send(self):
        """Send the reviewed reminders in one go: by mail (the open items as PDF,
        in the customer's language) where the customer has an address, the rest
        printed. Returns the print action when some are printed."""
        self._check_can_send()
        by_mail = self.filtered(lambda r: r.recipient_id.email)
        to_print = self - by_mail
        by_mail._send_by_mail()
        if to_print:
            return to_print.action_print()
        return True

    def action_print(self):
        """Print the reminders (PDF) and keep them as sent on paper."""
        proposed = self.filtered(lambda r: r.state == "proposed")
        if proposed:
            proposed._check_can_send()
            proposed._mark_sent("print")
        self.check_access("read")
        return self.env.ref("crm_extended.action_report_crm_reminder").report_action(
            self
        )

    def action_cancel(self):
        self.check_access("write")
        if any(r.state == "sent" for r in self):
            raise UserError(self.env._("A sent reminder cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def _send_by_mail(self):
        if not self:
            return
        self._crm_refresh_interest()
        for level in self.level_id:
            reminders = self.filtered(lambda r, level=level: r.level_id == level)
            template = level._template()
            if not template:
                raise UserError(
                    self.env._(
                        "The reminder level %(level)s has no mail template.",
                        level=level.display_name,
                    )
                )
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=reminders.ids,
                    default_template_id=template.id,
                    default_email_layout_xmlid="mail.mail_notification_light",
                )
                .create({})
            )
            composer._action_send_mail()
            reminders._mark_sent("email")

    def _mark_sent(self, channel):
        if channel == "print":
            self._crm_refresh_interest()
        self.write(
            {
                "state": "sent",
                "channel": channel,
                "sent_at": fields.Datetime.now(),
                "sent_by_id": self.env.uid,
            }
        )
        for reminder in self:
            partner = reminder.partner_id.sudo().with_company(reminder.company_id)
            if (partner.crm_reminder_sent_date or reminder.date) <= reminder.date:
                partner.crm_reminder_sent_date = reminder.date

    def _crm_refresh_interest(self):
        """Statutory interest to the reminder's date where its level charges
        interest (the card's own computation, not yet invoiced)."""
        charging = self.filtered(lambda r: r.level_id.charge_interest)
        for company, date in {(r.company_id, r.date) for r in charging}:
            batch = charging.filtered(
                lambda r, c=company, d=date: r.company_id == c and r.date == d
            )
            partners = batch.partner_id.commercial_partner_id.sudo()
            amounts = partners._crm_late_interest_amounts(company, date)
            for reminder in batch:
                partner = reminder.partner_id.commercial_partner_id
                reminder.sudo().interest_amount = amounts.get(partner.id, 0.0)

    def _crm_report_lang(self):
        return self.partner_id.lang or self.env.lang

    @api.model
    def action_propose_now(self):
        """Run today's proposal for the current company now (as the night does)."""
        if not self.env.user.has_group(ACCOUNTANT):
            raise UserError(self.env._("Only accountants propose payment reminders."))
        self.env["crm_extended.reminder.run"]._propose(self.env.company)
        return {"type": "ir.actions.client", "tag": "reload"}
