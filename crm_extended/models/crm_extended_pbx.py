import hmac
import secrets

from odoo import api, fields, models
from odoo.tools import SQL

from ..telephony.events import TEST_EVENT

#: Where the exchange posts its events (controllers/pbx.py).
EVENT_PATH = "/crm_extended/pbx/event"


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
        string="Last Event Received", readonly=True, copy=False
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
        readonly=True,
        copy=False,
    )
    last_event_error = fields.Char(
        string="Last Event Refused Because",
        readonly=True,
        copy=False,
        help="Why the last event that carried this exchange's token was refused.",
    )

    _sql_constraints = (
        (
            "token_unique",
            "UNIQUE(token)",
            "Two telephone exchanges cannot share a token.",
        ),
    )

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

        Written in a short transaction of its own that skips the row while a
        concurrent event holds it: call events of one exchange never wait on each
        other for this bookkeeping.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    UPDATE crm_extended_pbx
                       SET last_event_at = %(now)s, last_event_type = %(type)s,
                           last_event_error = %(error)s
                     WHERE id IN (SELECT id FROM crm_extended_pbx
                                   WHERE id = %(id)s FOR UPDATE SKIP LOCKED)
                    """,
                    now=now,
                    type=event_type,
                    error=(error or "")[:250] or None,
                    id=self.id,
                )
            )
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
