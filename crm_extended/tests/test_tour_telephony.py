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
        call = self.env["crm_extended.call"].search(
            [("pbx_id", "=", self.pbx.id), ("external_id", "=", "tour-call-1")]
        )
        self.assertEqual(call.partner_id, self.caller_contact)
