import hmac
import secrets

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

from ..telephony.events import TEST_EVENT

#: Where the exchange posts its events (controllers/pbx.py).
EVENT_PATH = "/crm_extended/pbx/event"
#: The last event of each exchange (``_crm_record_event``), not on the exchange's row.
LAST_EVENT_TABLE = "crm_extended_pbx_last_event"


class CrmExtendedPbx(models.Model):
    """A telephone exchange that posts its call events to Odoo."""

    _name = "crm_extended.pbx"
    _description = "Telephone Exchange (PBX)"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    token = fields.Char(
        groups="crm_extended.group_card_manager",
        copy=False,
        default=lambda self: self._new_token(),
        help="Secret the exchange sends as 'Authorization: Bearer <token>' "
        "(or in the header X-PBX-Token) with every call event.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    country_id = fields.Many2one(
        "res.country",
        string="Country for Local Numbers",
        default=lambda self: self.env.company.country_id,
        help="Numbers the exchange sends without a country code are read as "
        "numbers of this country.",
    )
    call_ids = fields.One2many("crm_extended.call", "pbx_id", string="Calls")
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        help="The full address the exchange posts its call events to, from the "
        "system parameter web.base.url.",
    )
    last_event_at = fields.Datetime(
        string="Last Event Received", compute="_compute_last_event"
    )
    last_event_type = fields.Selection(
        [
            ("ringing", "Ringing"),
            ("answered", "Answered"),
            ("hungup", "Hung Up"),
            ("missed", "Missed"),
            (TEST_EVENT, "Test"),
            ("invalid", "Invalid Body"),
        ],
        compute="_compute_last_event",
    )
    last_event_error = fields.Char(
        string="Last Event Refused Because",
        compute="_compute_last_event",
        help="Why the last event that carried this exchange's token was refused.",
    )

    _sql_constraints = (
        (
            "token_unique",
            "UNIQUE(token)",
            "Two telephone exchanges cannot share a token.",
        ),
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %s (
                    pbx_id integer PRIMARY KEY
                        REFERENCES crm_extended_pbx (id) ON DELETE CASCADE,
                    received_at timestamp NOT NULL,
                    event_type varchar NOT NULL,
                    error varchar
                )
                """,
                SQL.identifier(LAST_EVENT_TABLE),
            )
        )

    def _compute_last_event(self):
        last = {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT pbx_id, received_at, event_type, error FROM %s"
                    " WHERE pbx_id = ANY(%s)",
                    SQL.identifier(LAST_EVENT_TABLE),
                    self.ids,
                )
            )
            last = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for pbx in self:
            received_at, event_type, error = last.get(pbx.id, (False, False, False))
            pbx.last_event_at = received_at
            pbx.last_event_type = event_type
            pbx.last_event_error = error or False

    def _compute_webhook_url(self):
        for pbx in self:
            pbx.webhook_url = pbx.get_base_url().rstrip("/") + EVENT_PATH

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(32)

    def action_generate_token(self):
        """Replace the token: the exchange must be given the new one."""
        for pbx in self:
            pbx.token = self._new_token()
        return True

    def action_send_test_event(self):
        """Post a test event to the webhook URL from the manager's browser.

        The browser goes through the same URL, token check and endpoint as the
        exchange does (static/src/telephony/pbx_test_event.js), then shows what
        the endpoint answered; the form then shows it as the last event received.
        """
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "crm_extended.pbx_test_event",
            "params": {"url": self.webhook_url, "token": self.token},
        }

    def _crm_record_event(self, event_type, error=False):
        """Remember the last event this exchange sent (the setup form shows it).

        Written in a short transaction of its own, in a table of its own, and
        skipped while a concurrent event holds the row: the request applying the
        event locks the exchange's row (the call's foreign key), which an update
        of that row committed meanwhile would make fail each time Odoo replays
        the request. Bookkeeping only: a concurrent update wins, never an error.
        """
        self.ensure_one()
        values = {
            "table": SQL.identifier(LAST_EVENT_TABLE),
            "id": self.id,
            "now": fields.Datetime.now(),
            "type": event_type,
            "error": (error or "")[:250] or None,
        }
        with self.env.registry.cursor() as cr:
            try:
                cr.execute(
                    SQL(
                        """
                        UPDATE %(table)s
                           SET received_at = %(now)s, event_type = %(type)s,
                               error = %(error)s
                         WHERE pbx_id IN (SELECT pbx_id FROM %(table)s
                                           WHERE pbx_id = %(id)s
                                             FOR UPDATE SKIP LOCKED)
                        """,
                        **values,
                    ),
                    log_exceptions=False,
                )
                if not cr.rowcount:
                    cr.execute(
                        SQL(
                            "INSERT INTO %(table)s"
                            " (pbx_id, received_at, event_type, error)"
                            " VALUES (%(id)s, %(now)s, %(type)s, %(error)s)"
                            " ON CONFLICT (pbx_id) DO NOTHING",
                            **values,
                        ),
                        log_exceptions=False,
                    )
            except psycopg2.errors.SerializationFailure:
                # Another event's bookkeeping committed first: it is as recent.
                cr.rollback()
        self.invalidate_recordset(
            ["last_event_at", "last_event_type", "last_event_error"]
        )

    @api.model
    def _authenticate(self, token):
        """The active PBX whose token is ``token``, or an empty recordset.

        Tokens are compared in constant time. Reads the tokens as superuser: it is
        the authentication step itself, and only the matching PBX is returned.
        """
        pbx_model = self.sudo()
        if not token or not isinstance(token, str):
            return pbx_model.browse()
        given = token.encode()
        found = pbx_model.browse()
        for pbx in pbx_model.search([("token", "!=", False)]):
            if hmac.compare_digest(pbx.token.encode(), given):
                found = pbx
        return found
