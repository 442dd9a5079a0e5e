from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services.ledger_query import RECEIVABLE
from ..services.reminder_query import PENDING_STATES, named_items_sql
from .crm_extended_open_item import TODAY_KEY

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
    # Not indexed: the daily run renews every pending proposal's date in place
    # (see init); lists filter by customer or state first.
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
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
    open_item_ids = fields.Many2many(
        "crm_extended.open.item",
        string="Overdue Items Now",
        compute="_compute_open_item_ids",
        groups=ACCOUNTANT,
        help="A proposal names the customer's overdue items when it is sent; "
        "until then these are the live ones.",
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

    def init(self):
        # The daily run renews the pending proposals in place (one UPDATE per
        # company). Free room on each page and no index on the columns it
        # changes let PostgreSQL keep those updates on the page (HOT): no new
        # index entries, no bloat of the partner index the run reads.
        self.env.cr.execute(
            SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(self._table))
        )
        self.env.cr.execute(
            SQL("DROP INDEX IF EXISTS %s", SQL.identifier(f"{self._table}__date_index"))
        )

    @api.depends("line_ids.move_line_ref", "state", "date", "partner_id")
    def _compute_move_line_ids(self):
        """A sent reminder: the items it named. A proposal: the customer's live
        overdue items on the reminder's date (written when it is sent)."""
        # Computed as the system: check that the reader may read the reminders.
        self.check_access("read")
        for reminder in self:
            if reminder.state in PENDING_STATES:
                refs = reminder._crm_live_items().ids
            else:
                refs = reminder.sudo().line_ids.mapped("move_line_ref")
            reminder.move_line_ids = self.env["account.move.line"].browse(refs)

    @api.depends("state", "date", "partner_id")
    def _compute_open_item_ids(self):
        self.check_access("read")
        for reminder in self:
            items = self.env["crm_extended.open.item"]
            if reminder.state in PENDING_STATES:
                items = items.browse(reminder._crm_live_items().ids)
            reminder.open_item_ids = items

    def _crm_live_items(self):
        """The overdue items the reminder names if it is sent now (the card's
        open items on the reminder's date), as ``crm_extended.open.item``."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["crm_extended.open.item"]
        return (
            self.env["crm_extended.open.item"]
            .sudo()
            .with_context(**{TODAY_KEY: self.date})
            .search(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("account_type", "=", RECEIVABLE),
                    ("overdue_amount", "!=", 0),
                ],
                order="date_maturity, id",
            )
        )

    def _crm_report_items(self):
        """The rows of the reminder's PDF: the items it named once sent, the
        live overdue items while it is a proposal (what sending would name)."""
        self.ensure_one()
        if self.state not in PENDING_STATES:
            return [
                {
                    "move_name": line.move_name,
                    "ref": line.ref,
                    "date": line.date,
                    "date_maturity": line.date_maturity,
                    "days_overdue": line.days_overdue,
                    "amount": line.amount_residual,
                }
                for line in self.line_ids
            ]
        return [
            {
                "move_name": item.move_name,
                "ref": item.ref,
                "date": item.date,
                "date_maturity": item.date_maturity,
                "days_overdue": item.days_overdue,
                "amount": item.overdue_amount,
            }
            for item in self._crm_live_items()
        ]

    def _crm_name_items(self):
        """Write the items the proposals name, with their open amounts on the
        reminder's date, as they are sent (a reprint of a sent reminder does
        not come here: it keeps them); their figures follow the same items."""
        self.env.flush_all()
        for date in set(self.mapped("date")):
            batch = self.filtered(lambda r, d=date: r.date == d)
            open_items = (
                self.env["crm_extended.open.item"]
                .with_context(**{TODAY_KEY: date})
                ._table_query
            )
            self.env.execute_query(named_items_sql(open_items, batch.ids))
        self.invalidate_recordset(["days_overdue", "amount_overdue", "amount_open"])
        self.env["crm_extended.reminder.line"].invalidate_model()
        self.invalidate_recordset(["line_ids", "move_line_ids"])

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
        self._crm_name_items()
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
            self._crm_name_items()
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
