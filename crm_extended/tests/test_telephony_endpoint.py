import json

from odoo.tests import HttpCase, tagged

from .telephony_common import EVENT_URL, PBX_TOKEN, json_body, setup_telephony

LOGGER = "odoo.addons.crm_extended.controllers.pbx"


@tagged("post_install", "-at_install")
class TestTelephonyEndpoint(HttpCase):
    """The PBX endpoint, over real HTTP requests to the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)

    def post(self, body, token=PBX_TOKEN, header="Authorization"):
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers[header] = f"Bearer {token}" if header == "Authorization" else token
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        return self.opener.post(
            self.base_url() + EVENT_URL, data=body, headers=headers, timeout=12
        )

    def ring(self, call_id, number, extension="201", token=PBX_TOKEN, **extra):
        return self.post(
            {
                "event": "ringing",
                "call_id": call_id,
                "number": number,
                "extension": extension,
                **extra,
            },
            token=token,
        )

    def call(self, call_id):
        return self.env["crm_extended.call"].search(
            [("pbx_id", "=", self.pbx.id), ("external_id", "=", call_id)]
        )

    def bus_messages(self, user, notification_type):
        messages = self.env["bus.bus"].sudo().search([], order="id")
        channel = json.dumps(
            [self.env.cr.dbname, "res.partner", user.partner_id.id],
            separators=(",", ":"),
        )
        found = []
        for message in messages.filtered(lambda m: m.channel == channel):
            content = json.loads(message.message)
            if content["type"] == notification_type:
                found.append(content["payload"])
        return found

    # -- authentication -------------------------------------------------

    def test_missing_token_is_refused_and_logged(self):
        with self.assertLogs(LOGGER, "WARNING") as logs:
            response = self.ring("c-1", "0905123456", token=None)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(response.json()["ok"])
        self.assertIn("missing token", logs.output[0])
        self.assertFalse(self.call("c-1"))

    def test_wrong_token_is_refused_and_not_logged(self):
        wrong = "wrong-token-that-must-not-be-logged"
        with self.assertLogs(LOGGER, "WARNING") as logs:
            response = self.ring("c-2", "0905123456", token=wrong)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(
            response.headers["WWW-Authenticate"], 'Bearer realm="crm_extended"'
        )
        self.assertIn("wrong token", logs.output[0])
        self.assertNotIn(wrong, "\n".join(logs.output))
        self.assertFalse(self.call("c-2"))

    def test_archived_exchange_is_refused(self):
        self.pbx.active = False
        with self.assertLogs(LOGGER, "WARNING"):
            response = self.ring("c-3", "0905123456")
        self.assertEqual(response.status_code, 401)

    def test_token_in_x_pbx_token_header(self):
        response = self.post(
            {"event": "ringing", "call_id": "c-4", "number": "0905123456"},
            header="X-PBX-Token",
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(self.call("c-4"))

    def test_get_is_not_allowed(self):
        response = self.url_open(
            EVENT_URL, headers={"Authorization": f"Bearer {PBX_TOKEN}"}
        )
        self.assertEqual(response.status_code, 405)

    # -- bodies -----------------------------------------------------------

    def test_bad_bodies_get_400_with_a_reason(self):
        cases = [
            (b"{not json", "not JSON"),
            (b"", "JSON object"),
            (json_body(event="ringing", number="0905123456"), "'call_id' is required"),
            (json_body(event="ringing", call_id="x"), "'number' is required"),
            (json_body(event="boom", call_id="x", number="1"), "'event' must be"),
            (
                json_body(event="hungup", call_id="x", timestamp="noon"),
                "ISO 8601",
            ),
        ]
        for body, reason in cases:
            with self.subTest(body=body):
                response = self.post(body)
                self.assertEqual(response.status_code, 400)
                self.assertIn(reason, response.json()["error"])
        self.assertFalse(
            self.env["crm_extended.call"].search([("pbx_id", "=", self.pbx.id)])
        )

    # -- callers ----------------------------------------------------------

    def test_local_and_international_numbers_find_the_caller(self):
        for call_id, number in [
            ("n-local", "0905 123 456"),
            ("n-plus", "+421905123456"),
            ("n-00", "00421 905 123 456"),
            ("n-sip", "sip:+421905123456@pbx.local"),
        ]:
            with self.subTest(number=number):
                response = self.ring(call_id, number)
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.json()["partner"], self.caller_contact.id)
                call = self.call(call_id)
                self.assertEqual(call.number_normalized, "+421905123456")
                self.assertEqual(call.commercial_partner_id, self.caller_company)
                self.assertEqual(call.user_id, self.user_phone_sales)
                self.assertEqual(call.state, "ringing")

    def test_unknown_number_is_logged_without_partner(self):
        response = self.ring("u-1", "0911 999 888")
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.json()["partner"])
        call = self.call("u-1")
        self.assertEqual(call.number_normalized, "+421911999888")
        self.assertFalse(call.partner_id)
        [payload] = self.bus_messages(
            self.user_phone_sales, "crm_extended/incoming_call"
        )
        self.assertFalse(payload["partner_id"])
        self.assertEqual(payload["number"], "+421 911 999 888")
        action = call.action_open_caller()
        self.assertEqual(action["context"]["default_phone"], "+421 911 999 888")
        self.assertFalse(action.get("res_id"))

    def test_ringing_notifies_the_user_of_the_extension(self):
        self.ring("b-1", "+421905123456")
        [payload] = self.bus_messages(
            self.user_phone_sales, "crm_extended/incoming_call"
        )
        self.assertEqual(payload["partner_id"], self.caller_contact.id)
        self.assertEqual(payload["card_id"], self.caller_company.id)
        self.assertIn("Peter Phone", payload["title"])
        self.assertIn("Company: Tatra Phone s.r.o.", payload["lines"])
        # A salesperson sees no amounts.
        self.assertFalse([line for line in payload["lines"] if "balance" in line])
        self.assertFalse(
            self.bus_messages(self.user_phone_accountant, "crm_extended/incoming_call")
        )

    # -- lifecycle and idempotency ---------------------------------------------

    def test_repeated_events_are_idempotent(self):
        first = self.ring("i-1", "0905123456")
        again = self.ring("i-1", "0905123456")
        self.assertEqual(first.status_code, 200)
        self.assertEqual(again.status_code, 200)
        self.assertFalse(first.json()["duplicate"])
        self.assertTrue(again.json()["duplicate"])
        self.assertEqual(first.json()["call"], again.json()["call"])
        self.assertEqual(len(self.call("i-1")), 1)
        self.assertEqual(
            len(self.bus_messages(self.user_phone_sales, "crm_extended/incoming_call")),
            1,
        )
        answered = {
            "event": "answered",
            "call_id": "i-1",
            "timestamp": "2026-03-01T10:00:05Z",
        }
        self.assertFalse(self.post(answered).json()["duplicate"])
        self.assertTrue(self.post(answered).json()["duplicate"])
        hungup = {
            "event": "hungup",
            "call_id": "i-1",
            "timestamp": "2026-03-01T10:02:05Z",
        }
        self.assertFalse(self.post(hungup).json()["duplicate"])
        self.assertTrue(self.post(hungup).json()["duplicate"])
        # A late "missed" for a finished call changes nothing either.
        late = self.post({"event": "missed", "call_id": "i-1"})
        self.assertTrue(late.json()["duplicate"])
        call = self.call("i-1")
        self.assertEqual(call.state, "done")
        self.assertEqual(call.duration, 120)
        self.assertEqual(
            len(self.bus_messages(self.user_phone_sales, "crm_extended/call_ended")), 1
        )

    def test_answered_by_another_extension_moves_the_call(self):
        self.ring("t-1", "0905123456", extension="201")
        self.post({"event": "answered", "call_id": "t-1", "extension": "202"})
        self.assertEqual(self.call("t-1").user_id, self.user_phone_accountant)

    def test_missed_call_creates_a_call_back_activity(self):
        self.ring("m-1", "0905123456")
        response = self.post({"event": "hungup", "call_id": "m-1"})
        self.assertEqual(response.json()["state"], "missed")
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.caller_contact.id),
                ("user_id", "=", self.user_phone_sales.id),
            ]
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("+421 905 123 456", activity.summary)
        [ended] = self.bus_messages(self.user_phone_sales, "crm_extended/call_ended")
        self.assertEqual(ended["state"], "missed")
        # The exchange repeats itself: still one activity.
        self.post({"event": "missed", "call_id": "m-1"})
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.caller_contact.id),
                ]
            ),
            1,
        )

    def test_missed_call_of_unknown_number_keeps_the_activity_on_the_call(self):
        response = self.post(
            {
                "event": "missed",
                "call_id": "m-2",
                "number": "0911 000 111",
                "extension": "201",
            }
        )
        self.assertEqual(response.status_code, 200)
        call = self.call("m-2")
        self.assertEqual(call.state, "missed")
        self.assertEqual(len(call.activity_ids), 1)
        self.assertEqual(call.activity_ids.user_id, self.user_phone_sales)

    def test_outbound_call_rings_nobody(self):
        response = self.ring("o-1", "0905123456", direction="outbound")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.call("o-1").direction, "outbound")
        self.assertFalse(
            self.bus_messages(self.user_phone_sales, "crm_extended/incoming_call")
        )
        self.post({"event": "missed", "call_id": "o-1"})
        self.assertFalse(self.call("o-1").activity_ids)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.caller_contact.id),
                ]
            )
        )

    def test_same_call_id_on_two_exchanges_are_two_calls(self):
        other = self.env["crm_extended.pbx"].create(
            {"name": "Branch exchange", "token": "branch-token-abc"}
        )
        self.ring("same", "0905123456")
        self.post(
            {"event": "ringing", "call_id": "same", "number": "0905123456"},
            token="branch-token-abc",
        )
        calls = self.env["crm_extended.call"].search([("external_id", "=", "same")])
        self.assertEqual(calls.pbx_id, self.pbx | other)
