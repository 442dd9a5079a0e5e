from unittest.mock import patch

from odoo import sql_db
from odoo.tests import HttpCase, tagged

from odoo.addons.bus.models.bus import get_notify_payloads

from .telephony_common import setup_telephony


@tagged("post_install", "-at_install")
class TestTelephonyTour(HttpCase):
    """The browser receives the ring over the bus and opens the caller's card.

    The tour itself posts the ringing event to the PBX endpoint once the web
    client's bus is connected. Test cursors drop post-commit hooks, so the bus
    NOTIFY that wakes the websocket is sent here when a request commits.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)

    def test_ring_shows_card_and_opens_it(self):
        original_commit = sql_db.TestCursor.commit

        def commit_and_notify(cursor):
            channels = list(cursor.postcommit.data.get("bus.bus.channels", ()))
            original_commit(cursor)
            if channels:
                with sql_db.db_connect("postgres").cursor() as cr:
                    for payload in get_notify_payloads(channels):
                        cr.execute("SELECT pg_notify('imbus', %s)", [payload])

        with patch.object(sql_db.TestCursor, "commit", commit_and_notify):
            self.start_tour(
                "/odoo", "crm_extended_incoming_call", login="tel_salesperson"
            )
        self.env.invalidate_all()
        calls = self.env["crm_extended.call"].search([("pbx_id", "=", self.pbx.id)])
        known = calls.filtered(lambda call: call.external_id == "tour-call-1")
        self.assertEqual(known.partner_id, self.caller_contact)
        self.assertEqual(known.state, "done")
        self.assertEqual(known.outcome, "resolved")
        unknown = calls.filtered(lambda call: call.external_id == "tour-call-2")
        self.assertEqual(unknown.partner_id.name, "Tour New Caller")
        self.assertEqual(unknown.partner_id.crm_phone_normalized, "+421911777888")
