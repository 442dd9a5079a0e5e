from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_datetime

from ..telephony.lifecycle import CallProgress, callback_wanted
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
    callback_activity_id = fields.Many2one(
        "mail.activity",
        string="Call-back Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The call-back planned for this missed call; removed if the call "
        "turns out answered.",
    )
    callback_planned = fields.Boolean(
        string="Call-back Planned",
        readonly=True,
        copy=False,
        help="A call-back was planned for this missed call (it may be done since).",
    )
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

        Runs as superuser after the controller authenticated ``pbx``. The call's
        state follows the events' timestamps, whatever order they arrive in
        (``telephony/lifecycle.py``). Two events of one call arriving at once are
        applied one after the other: the second request is replayed by Odoo in a
        fresh transaction (see ``_pbx_lock``). Returns a dict for the exchange:
        the call's id and state, and whether the event was a repetition.
        """
        call = self._pbx_find(pbx, event.call_id)
        if not call:
            call = self._pbx_create(pbx, event)
            call._pbx_after_change(previous_state=None)
            return call._pbx_result(duplicate=False)
        call._pbx_lock()
        previous_state = call.state
        changed = call._pbx_update(event)
        if changed:
            call._pbx_after_change(previous_state)
        return call._pbx_result(duplicate=not changed)

    @api.model
    def _pbx_find(self, pbx, call_id):
        return self.search(
            [("pbx_id", "=", pbx.id), ("external_id", "=", call_id)], limit=1
        )

    def _pbx_lock(self):
        """Lock the call's row before changing it.

        In Odoo's REPEATABLE READ transactions, a row that a concurrent request
        changed (and committed) after this transaction began makes the lock raise
        a serialization failure; a row it is changing right now makes the lock
        wait for it, then raise. Either way Odoo replays the whole request in a
        fresh transaction, which sees the other event's result. Not logged as a
        failed query: it is the expected path of two events at once.
        """
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_extended_call WHERE id IN %s FOR NO KEY UPDATE",
                tuple(self.ids),
            ),
            log_exceptions=False,
        )

    @api.model
    def _pbx_create(self, pbx, event):
        """Create the call of ``event``, unless a concurrent request did."""
        values = self._pbx_new_call_values(pbx, event)
        self._pbx_claim(pbx, event)
        try:
            with self.env.cr.savepoint():
                return self.create(values)
        except psycopg2.errors.UniqueViolation:
            # Not expected (the claim holds the call id), but never a 500 either.
            self._pbx_claim(pbx, event)
            raise

    @api.model
    def _pbx_claim(self, pbx, event):
        """Hold this call id until the transaction ends, or raise a serialization
        failure if another request created the call meanwhile.

        Requests creating the same call queue on a transaction-level advisory
        lock of the call id. The row of a call that the request before committed
        cannot be seen here (its commit came after this transaction's snapshot)
        and its INSERT would fail on the unique constraint: ``INSERT ... ON
        CONFLICT DO NOTHING`` against such a row makes PostgreSQL raise a
        serialization failure instead, on which Odoo replays the request in a
        fresh transaction; there the call is found and the event applied to it,
        or answered as a repetition. The probe's own row, when there was no
        conflict, is rolled back at once; the ORM creates the call.
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s::regclass::oid::int, hashtext(%s))",
                self._table,
                f"{pbx.id}:{event.call_id}",
            )
        )
        with cr.savepoint(flush=False) as savepoint:
            cr.execute(
                SQL(
                    "INSERT INTO crm_extended_call"
                    " (pbx_id, external_id, direction, state, date_start)"
                    " VALUES (%s, %s, 'inbound', 'ringing', %s)"
                    " ON CONFLICT (pbx_id, external_id) DO NOTHING",
                    pbx.id,
                    event.call_id,
                    event.timestamp,
                ),
                log_exceptions=False,
            )
            savepoint.rollback()

    @api.model
    def _pbx_new_call_values(self, pbx, event):
        progress = CallProgress.from_event(event)
        values = {
            "pbx_id": pbx.id,
            "external_id": event.call_id,
            "direction": event.direction,
            "extension": event.extension,
            "user_id": self._pbx_user(pbx, event.extension).id,
            **self._pbx_number_values(pbx, event),
            **self._pbx_progress_values(progress),
        }
        return values

    @api.model
    def _pbx_number_values(self, pbx, event):
        region = pbx.country_id.code or pbx.company_id.country_id.code
        normalized = normalize_phone(event.number, region) or False
        partner = self.env["res.partner"]._crm_find_caller(normalized, pbx.company_id)
        return {
            "number": event.number,
            "number_normalized": normalized,
            "partner_id": partner.id,
        }

    @api.model
    def _pbx_progress_values(self, progress):
        return {
            "state": progress.state,
            "date_start": progress.started_at,
            "date_answer": progress.answered_at or False,
            "date_end": progress.ended_at or False,
        }

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

    def _pbx_progress(self):
        self.ensure_one()
        return CallProgress(
            started_at=self.date_start,
            answered_at=self.date_answer or None,
            ended_at=self.date_end or None,
        )

    def _pbx_update(self, event):
        """Add ``event`` to the call's progress. True if anything changed."""
        self.ensure_one()
        progress = self._pbx_progress().after(event)
        values = self._pbx_progress_values(progress)
        user = self.env["res.users"]
        if event.extension and (progress.answered_by(event) or not self.user_id):
            # Whoever picked the call up owns it; otherwise the extension that rang.
            user = self._pbx_user(self.pbx_id, event.extension)
        if user:
            values["user_id"] = user.id
        if event.number and not self.number:
            # The call was opened by a later event (the ringing one arrived late),
            # which carried neither the number nor, reliably, the direction.
            values.update(self._pbx_number_values(self.pbx_id, event))
            values["direction"] = event.direction
            if self.partner_id:
                del values["partner_id"]
        if event.extension and not self.extension:
            values["extension"] = event.extension
        values = {
            name: value
            for name, value in values.items()
            if (self[name].id if self._fields[name].type == "many2one" else self[name])
            != value
        }
        if not values:
            return False
        self.write(values)
        return True

    def _pbx_after_change(self, previous_state):
        """Notify the user and keep the call-back activity in line with the state."""
        self.ensure_one()
        if self.state != previous_state:
            if self.state == "ringing" and self.direction == "inbound":
                self._crm_notify_ringing()
            elif self.state in ("missed", "done"):
                self._crm_notify_ended()
        self._crm_sync_callback()

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

    def _crm_sync_callback(self):
        """One open call-back activity for a missed inbound call, none otherwise.

        Events can arrive late: a call first seen as missed may turn out answered
        (the activity is removed), or its number and caller may only come later
        (the activity is moved to the caller, with the number).
        """
        for call in self:
            activity = call.callback_activity_id.sudo()
            wanted = call._crm_callback_values()
            if wanted and call.callback_planned and not activity.active:
                continue  # done (or cancelled) by the user: never plan it again
            if activity and wanted:
                current = {
                    "res_model": activity.res_model,
                    "res_id": activity.res_id,
                    "user_id": activity.user_id.id,
                    "summary": activity.summary,
                }
                if all(current[key] == wanted[key] for key in current):
                    continue
            if activity.active:
                activity.unlink()
            if wanted:
                call.write(
                    {
                        "callback_activity_id": call._crm_schedule_callback(wanted).id,
                        "callback_planned": True,
                    }
                )
            elif call.callback_planned or call.callback_activity_id:
                call.write({"callback_activity_id": False, "callback_planned": False})

    def _crm_callback_values(self):
        """Where, for whom and with which summary the call-back should be, or None."""
        self.ensure_one()
        if not callback_wanted(self.state, self.direction, bool(self.user_id)):
            return None
        env = self._crm_user_env_call(self.user_id).env
        number = format_international(self.number_normalized or self.number)
        target = self.partner_id or self
        return {
            "res_model": target._name,
            "res_id": target.id,
            "user_id": self.user_id.id,
            "summary": env._("Call back %(number)s", number=number or "?"),
            "note": env._(
                "Missed call on %(when)s.",
                when=format_datetime(
                    env, self.date_start, tz=self.user_id.tz, dt_format="short"
                ),
            ),
        }

    def _crm_schedule_callback(self, wanted):
        self.ensure_one()
        target = self.env[wanted["res_model"]].browse(wanted["res_id"])
        # The user was just told about the missed call: no assignment mail.
        return (
            target.sudo()
            .with_context(mail_activity_quick_update=True)
            .activity_schedule(
                act_type_xmlid="mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(self.with_user(self.user_id)),
                summary=wanted["summary"],
                note=wanted["note"],
                user_id=wanted["user_id"],
            )
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
