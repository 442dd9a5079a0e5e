"""The endpoint a telephone exchange (PBX) posts its call events to."""

import json
import logging

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..telephony.events import TEST_EVENT, EventError, parse_event

_logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024


def _request_token(headers):
    """The token from ``Authorization: Bearer <token>`` or ``X-PBX-Token``."""
    authorization = headers.get("Authorization", "")
    scheme, _sep, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("X-PBX-Token", "").strip()


def _json(payload, status=200, headers=None):
    return request.make_json_response(payload, status=status, headers=headers)


class PbxController(http.Controller):
    @http.route(
        "/crm_extended/pbx/event",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def pbx_event(self, **_kwargs):
        """Apply one call event (ringing, answered, hungup, missed) of a PBX.

        401 without a valid token, 400 for a body that is not a valid event,
        otherwise 200 with the call's id and state; repeating an event is harmless.
        """
        httprequest = request.httprequest
        token = _request_token(httprequest.headers)
        pbx = request.env["crm_extended.pbx"]._authenticate(token)
        if not pbx:
            # Never log the token itself, only that it was missing or wrong.
            _logger.warning(
                "PBX event refused from %s: %s token",
                httprequest.remote_addr,
                "wrong" if token else "missing",
            )
            return _json(
                {"ok": False, "error": "Missing or wrong PBX token."},
                status=401,
                headers=[("WWW-Authenticate", 'Bearer realm="crm_extended"')],
            )
        if (httprequest.content_length or 0) > MAX_BODY:
            return _json({"ok": False, "error": "The body is too large."}, status=413)
        # Cached: Odoo replays the whole request after a serialization failure
        # (two events of one call at once), and the replay must read the body too.
        body = httprequest.get_data(cache=True)
        if len(body) > MAX_BODY:
            return _json({"ok": False, "error": "The body is too large."}, status=413)
        try:
            data = json.loads(body or b"null")
        except ValueError:
            pbx._crm_record_event("invalid", "The body is not JSON.")
            return _json({"ok": False, "error": "The body is not JSON."}, status=400)
        try:
            event = parse_event(data, fields.Datetime.now())
        except EventError as error:
            pbx._crm_record_event("invalid", str(error))
            return _json({"ok": False, "error": str(error)}, status=400)
        pbx._crm_record_event(event.event)
        if event.event == TEST_EVENT:
            # The set-up check of the exchange form: authenticated, no call changed.
            return _json({"ok": True, "test": True, "exchange": pbx.name})
        # Authenticated: act for the exchange as superuser, in its company.
        env = request.env(
            user=SUPERUSER_ID,
            context=dict(
                request.env.context,
                allowed_company_ids=pbx.company_id.ids,
                tracking_disable=True,
                mail_create_nosubscribe=True,
                mail_create_nolog=True,
            ),
        )
        result = env["crm_extended.call"]._pbx_apply_event(pbx.with_env(env), event)
        return _json(result)
