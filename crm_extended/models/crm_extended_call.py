from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools.misc import format_amount, format_datetime

from ..telephony.phone import format_international
from ..telephony.phone import normalize as normalize_phone

# How long after it started a ringing call is still shown to a user who opens Odoo.
RINGING_SHOWN_FOR = timedelta(minutes=2)


class CrmExtendedCall(models.Model):
    """One telephone call reported by a PBX, with its caller, user and outcome."""

    _name = "crm_extended.call"
    _description = "Phone Call"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date_start desc, id desc"
    _rec_names_search = ("number", "partner_id")

    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")],
        required=True,
        default="inbound",
    )
    number = fields.Char(
        help="The other party's number as the exchange sent it.",
    )
    number_normalized = fields.Char(
        string="Number (E.164)",
        index="btree_not_null",
        help="The number in international E.164 form, used to find the caller.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index="btree_not_null",
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    user_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        help="Whose extension rang (inbound) or dialled (outbound).",
    )
    extension = fields.Char(help="The internal extension the exchange reported.")
    pbx_id = fields.Many2one(
        "crm_extended.pbx",
        string="Exchange",
        required=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        related="pbx_id.company_id",
        store=True,
        index=True,
    )
    external_id = fields.Char(
        string="Exchange Call ID",
        required=True,
        help="The call's identifier on the exchange; events carry it.",
    )
    state = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("answered", "Answered"),
            ("missed", "Missed"),
            ("done", "Done"),
        ],
        required=True,
        default="ringing",
        tracking=True,
    )
    date_start = fields.Datetime(
        string="Start", required=True, default=fields.Datetime.now, index=True
    )
    date_answer = fields.Datetime(string="Answered At")
    date_end = fields.Datetime(string="End")
    duration = fields.Integer(
        string="Duration (s)",
        compute="_compute_duration",
        store=True,
        aggregator="sum",
        help="Seconds from answering to hanging up.",
    )
    outcome = fields.Selection(
        [
            ("resolved", "Resolved"),
            ("follow_up", "Follow-up Needed"),
            ("no_answer", "No Answer"),
            ("voicemail", "Voicemail"),
            ("wrong_number", "Wrong Number"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    note = fields.Html()
    missed_count = fields.Integer(
        string="Missed Calls",
        compute="_compute_missed_count",
        store=True,
        aggregator="sum",
        help="1 for a missed call, so that reports can add missed calls up.",
    )

    _sql_constraints = (
        (
            "external_id_pbx_unique",
            "UNIQUE(pbx_id, external_id)",
            "A call id is unique per telephone exchange.",
        ),
    )

    @api.depends("date_answer", "date_end")
    def _compute_duration(self):
        for call in self:
            if call.date_answer and call.date_end and call.date_end > call.date_answer:
                call.duration = int((call.date_end - call.date_answer).total_seconds())
            else:
                call.duration = 0

    @api.depends("state")
    def _compute_missed_count(self):
        for call in self:
            call.missed_count = 1 if call.state == "missed" else 0

    @api.depends("number", "number_normalized", "partner_id")
    def _compute_display_name(self):
        for call in self:
            who = call.partner_id.display_name or format_international(
                call.number_normalized or call.number or ""
            )
            call.display_name = who or self.env._("Unknown number")

    # ------------------------------------------------------------------
    # Events from the exchange
    # ------------------------------------------------------------------

    @api.model
    def _pbx_apply_event(self, pbx, event):
        """Apply one validated event of ``pbx``; the same event twice changes nothing.

        Runs as superuser after the controller authenticated ``pbx``. Returns a
        dict for the exchange: the call's id and state, and whether the event was
        a repetition.
        """
        domain = [("pbx_id", "=", pbx.id), ("external_id", "=", event.call_id)]
        call = self.search(domain, limit=1)
        changed = False
        if not call:
            try:
                with self.env.cr.savepoint():
                    call = self.create(self._pbx_new_call_values(pbx, event))
                changed = True
            except psycopg2.errors.UniqueViolation:
                # The same event arrived twice at once: the other one created it.
                call = self.search(domain, limit=1)
            if changed:
                call._pbx_after_transition(event)
                return call._pbx_result(duplicate=False)
        changed = call._pbx_transition(event)
        if changed:
            call._pbx_after_transition(event)
        return call._pbx_result(duplicate=not changed)

    @api.model
    def _pbx_new_call_values(self, pbx, event):
        region = pbx.country_id.code or pbx.company_id.country_id.code
        normalized = normalize_phone(event.number, region) or False
        partner = self.env["res.partner"]._crm_find_caller(normalized, pbx.company_id)
        state = {
            "ringing": "ringing",
            "answered": "answered",
            "hungup": "done",
            "missed": "missed",
        }[event.event]
        values = {
            "pbx_id": pbx.id,
            "external_id": event.call_id,
            "direction": event.direction,
            "number": event.number,
            "number_normalized": normalized,
            "partner_id": partner.id,
            "extension": event.extension,
            "user_id": self._pbx_user(pbx, event.extension).id,
            "state": state,
            "date_start": event.timestamp,
        }
        if state == "answered":
            values["date_answer"] = event.timestamp
        if state in ("done", "missed"):
            values["date_end"] = event.timestamp
        return values

    @api.model
    def _pbx_user(self, pbx, extension):
        if not extension:
            return self.env["res.users"]
        return self.env["res.users"].search(
            [
                ("crm_pbx_extension", "=", extension),
                ("company_ids", "in", pbx.company_id.ids),
            ],
            limit=1,
        )

    def _pbx_transition(self, event):
        """Move the call on: ringing, answered, done (or missed). True if it moved."""
        self.ensure_one()
        values = {}
        if self.state == "ringing" and event.event == "answered":
            values = {"state": "answered", "date_answer": event.timestamp}
            user = self._pbx_user(self.pbx_id, event.extension)
            if user:
                # Whoever picked the call up owns it.
                values["user_id"] = user.id
        elif self.state == "ringing" and event.event in ("hungup", "missed"):
            values = {"state": "missed", "date_end": event.timestamp}
        elif self.state == "answered" and event.event == "hungup":
            values = {"state": "done", "date_end": event.timestamp}
        if not values:
            return False
        if not self.user_id and "user_id" not in values and event.extension:
            values["user_id"] = self._pbx_user(self.pbx_id, event.extension).id
        self.write(values)
        return True

    def _pbx_after_transition(self, event):
        self.ensure_one()
        if self.state == "ringing" and self.direction == "inbound":
            self._crm_notify_ringing()
        elif self.state == "missed":
            self._crm_schedule_callback()
            self._crm_notify_ended()
        elif self.state == "done":
            self._crm_notify_ended()

    @api.model
    def _crm_link_orphan_calls(self, partners):
        """Give earlier calls from a then unknown number to the partner who has it now.

        Called when partners get a phone or mobile number (e.g. the contact created
        from an unknown caller's notification), in one query on the indexed number.
        """
        by_number = {}
        for partner in partners.sorted(lambda p: p.is_company):
            for number in (partner.crm_phone_normalized, partner.crm_mobile_normalized):
                if number:
                    by_number.setdefault(number, partner)
        if not by_number:
            return
        orphans = self.search(
            [("partner_id", "=", False), ("number_normalized", "in", list(by_number))]
        )
        for partner in set(by_number.values()):
            calls = orphans.filtered(
                lambda call, partner=partner: (
                    by_number[call.number_normalized] == partner
                    and (
                        not partner.company_id or partner.company_id == call.company_id
                    )
                )
            )
            if calls:
                calls.partner_id = partner

    def _pbx_result(self, duplicate):
        return {
            "ok": True,
            "call": self.id,
            "state": self.state,
            "partner": self.partner_id.id or None,
            "duplicate": duplicate,
        }

    # ------------------------------------------------------------------
    # What the user sees
    # ------------------------------------------------------------------

    def _crm_user_env_call(self, user):
        """This call as ``user`` sees it, in the user's language and company."""
        # Superuser reads, the user's env (language, time zone, groups): what the
        # user may see is decided explicitly below (amounts, restricted fields).
        call = self.with_user(user).sudo().with_context(lang=user.lang or self.env.lang)
        if self.company_id in user.company_ids:
            call = call.with_company(self.company_id)
        return call

    def _crm_incoming_payload(self, user):
        """The notification shown to ``user`` while this call rings."""
        self.ensure_one()
        call = self._crm_user_env_call(user)
        env = call.env
        partner = call.partner_id
        number = format_international(self.number_normalized or self.number)
        lines = []
        if partner:
            commercial = partner.commercial_partner_id
            title = env._("Incoming call: %(name)s", name=partner.name)
            if commercial != partner:
                lines.append(env._("Company: %(company)s", company=commercial.name))
            lines.append(env._("Number: %(number)s", number=number))
            lines.extend(call._crm_card_lines(commercial, user))
        else:
            commercial = partner
            title = env._("Incoming call: %(number)s", number=number)
            lines.append(env._("Unknown number"))
        return {
            "call_id": self.id,
            "title": title,
            "lines": lines,
            "number": number or "",
            "partner_id": partner.id or False,
            "card_id": commercial.id or False,
        }

    def _crm_card_lines(self, commercial, user):
        """Grade with its reason, balances (if the user may see amounts) and the
        last interaction."""
        env = self.env
        lines = []
        grade_field = commercial._fields.get("payment_grade")
        if (
            grade_field
            and (not grade_field.groups or user.has_groups(grade_field.groups))
            and commercial.payment_grade
        ):
            # The reason reads "Grade E: an amount has been overdue for 120 days...".
            reason = commercial.payment_grade_reason
            grade = commercial.payment_grade
            if grade_field.type == "selection":
                grade = dict(grade_field._description_selection(env)).get(grade, grade)
            lines.append(reason or env._("Grade: %(grade)s", grade=grade))
        if user.has_group("crm_extended.group_card_accountant"):
            currency = commercial.card_currency_id
            lines.append(
                env._(
                    "Open balance: %(amount)s",
                    amount=format_amount(env, commercial.card_open_balance, currency),
                )
            )
            if commercial.card_overdue_balance:
                lines.append(
                    env._(
                        "Overdue: %(amount)s, the oldest for %(days)s days",
                        amount=format_amount(
                            env, commercial.card_overdue_balance, currency
                        ),
                        days=commercial.payment_overdue_max_days,
                    )
                )
        last = self._crm_last_interaction(commercial)
        if last:
            lines.append(last)
        return lines

    def _crm_last_interaction(self, commercial):
        """'Last interaction: <when> (<what>)' from earlier calls and messages."""
        env = self.env
        last_call = (
            self.sudo()
            .search(
                [
                    ("commercial_partner_id", "=", commercial.id),
                    ("id", "!=", self.id),
                ],
                order="date_start desc, id desc",
                limit=1,
            )
            .with_env(env)
        )
        last_message = (
            env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", (commercial | commercial.child_ids).ids),
                    ("message_type", "in", ("comment", "email")),
                ],
                order="date desc, id desc",
                limit=1,
            )
        )
        candidates = []
        if last_call:
            state = dict(self._fields["state"]._description_selection(env))
            candidates.append(
                (
                    last_call.date_start,
                    env._("call, %(state)s", state=state[last_call.state]),
                )
            )
        if last_message:
            what = (
                env._("email")
                if last_message.message_type == "email"
                else env._("note or message")
            )
            candidates.append((last_message.date, what))
        if not candidates:
            return False
        when, what = max(candidates, key=lambda item: item[0])
        return env._(
            "Last interaction: %(when)s (%(what)s)",
            when=format_datetime(env, when, tz=self.env.user.tz, dt_format="short"),
            what=what,
        )

    def _crm_notify_ringing(self):
        for call in self.filtered("user_id"):
            payload = call._crm_incoming_payload(call.user_id)
            self.env["bus.bus"]._sendone(
                call.user_id.partner_id, "crm_extended/incoming_call", payload
            )

    def _crm_notify_ended(self):
        for call in self.filtered("user_id"):
            env_call = call._crm_user_env_call(call.user_id)
            env = env_call.env
            who = call.display_name
            if call.state == "missed":
                message = env._("Missed call: %(who)s", who=who)
            else:
                message = env._("Call ended: %(who)s", who=who)
            self.env["bus.bus"]._sendone(
                call.user_id.partner_id,
                "crm_extended/call_ended",
                {"call_id": call.id, "state": call.state, "message": message},
            )

    def _crm_schedule_callback(self):
        """A call-back activity for the user of each missed inbound call."""
        for call in self.filtered(
            lambda c: c.direction == "inbound" and c.user_id and c.state == "missed"
        ):
            env = call._crm_user_env_call(call.user_id).env
            number = format_international(call.number_normalized or call.number)
            target = call.partner_id or call
            # The user was just told about the missed call: no assignment mail.
            target.sudo().with_context(
                mail_activity_quick_update=True
            ).activity_schedule(
                act_type_xmlid="mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(call.with_user(call.user_id)),
                summary=env._("Call back %(number)s", number=number or "?"),
                note=env._(
                    "Missed call on %(when)s.",
                    when=format_datetime(
                        env, call.date_start, tz=call.user_id.tz, dt_format="short"
                    ),
                ),
                user_id=call.user_id.id,
            )

    @api.model
    def crm_ringing_calls(self):
        """Notifications of the calls ringing now for the current user.

        The web client asks for them when it starts, so a call that began to ring
        before the page was loaded is shown too.
        """
        calls = self.search(
            [
                ("user_id", "=", self.env.uid),
                ("state", "=", "ringing"),
                ("direction", "=", "inbound"),
                ("date_start", ">=", fields.Datetime.now() - RINGING_SHOWN_FOR),
            ],
            limit=5,
        )
        return [call.sudo()._crm_incoming_payload(self.env.user) for call in calls]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_caller(self):
        """The caller's card, or a new contact with the number filled in."""
        self.ensure_one()
        if self.commercial_partner_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": self.commercial_partner_id.id,
                "views": [(False, "form")],
                "target": "current",
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Contact"),
            "res_model": "res.partner",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_phone": format_international(
                    self.number_normalized or self.number
                ),
            },
        }

    def action_log_call(self):
        """Open the quick form to write the note and plan follow-ups."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Call"),
            "res_model": "crm_extended.call.log",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_call_id": self.id},
        }
