import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..telephony.events import CallEvent
from .common import CardTestCommon
from .telephony_common import EVENT_URL, PBX_TOKEN, setup_telephony


@tagged("post_install", "-at_install")
class TestTelephonySetup(CardTestCommon):
    """What a manager and each user need to connect the exchange."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)

    def test_webhook_url_is_the_full_address_from_the_base_url(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://odoo.example.com"
        )
        self.assertEqual(
            self.pbx.webhook_url, "https://odoo.example.com/crm_extended/pbx/event"
        )

    def test_users_set_their_own_extension_only(self):
        salesperson = self.user_phone_sales.with_user(self.user_phone_sales)
        salesperson.write({"crm_pbx_extension": "209"})
        self.assertEqual(self.user_phone_sales.crm_pbx_extension, "209")
        self.assertEqual(
            salesperson.read(["crm_pbx_extension"])[0]["crm_pbx_extension"], "209"
        )
        with self.assertRaises(AccessError):
            self.user_phone_accountant.with_user(self.user_phone_sales).write(
                {"crm_pbx_extension": "210"}
            )

    @freeze_time("2026-06-10 09:00:00")
    def test_ringing_card_shows_grade_reason_and_overdue_to_accountants(self):
        invoice = self.post_invoice(
            self.caller_company, 800.0, "2026-01-05", due_date="2026-02-04"
        )
        self.assertTrue(invoice)
        self.env["crm_extended.payment.behaviour"]._refresh(self.caller_company.ids)
        self.call_event = CallEvent(
            event="ringing",
            call_id="setup-1",
            number="0905123456",
            extension="202",
            direction="inbound",
            timestamp=datetime(2026, 6, 10, 9, 0),
        )
        call_model = self.env["crm_extended.call"]
        call_model._pbx_apply_event(self.pbx, self.call_event)
        call = call_model.search([("external_id", "=", "setup-1")])
        accountant_lines = call._crm_incoming_payload(self.user_phone_accountant)[
            "lines"
        ]
        text = "\n".join(accountant_lines)
        # 126 days overdue: grade E, and the reason says why.
        self.assertIn(
            "Grade E: an amount has been overdue for 126 days, more than the limit "
            "of 90 days.",
            accountant_lines,
        )
        self.assertIn("Overdue: $\xa0800.00, the oldest for 126 days", text)
        sales_lines = call._crm_incoming_payload(self.user_phone_sales)["lines"]
        self.assertIn(
            "Grade E: an amount has been overdue for 126 days, more than the limit "
            "of 90 days.",
            sales_lines,
        )
        self.assertNotIn("800", "\n".join(sales_lines))
        self.assertFalse([line for line in sales_lines if line.startswith("Overdue")])


@tagged("post_install", "-at_install")
class TestTelephonySetupHttp(HttpCase):
    """The test event goes through the real endpoint; the form shows what came."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)
        cls.manager = new_test_user(
            cls.env,
            login="tel_manager",
            groups="base.group_user,crm_extended.group_card_manager",
        )

    def post(self, body):
        return self.opener.post(
            self.base_url() + EVENT_URL,
            data=body if isinstance(body, bytes) else json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {PBX_TOKEN}",
            },
            timeout=12,
        )

    def test_test_event_is_answered_and_recorded_without_a_call(self):
        self.assertFalse(self.pbx.last_event_at)
        response = self.post({"event": "test"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["test"], True)
        self.pbx.invalidate_recordset()
        self.assertEqual(self.pbx.last_event_type, "test")
        self.assertTrue(self.pbx.last_event_at)
        self.assertFalse(
            self.env["crm_extended.call"].search([("pbx_id", "=", self.pbx.id)])
        )
        response = self.post({"event": "ringing", "call_id": "x-1"})
        self.assertEqual(response.status_code, 400)
        self.pbx.invalidate_recordset()
        self.assertEqual(self.pbx.last_event_type, "invalid")
        self.assertIn("'number' is required", self.pbx.last_event_error)

    def test_manager_sends_a_test_event_from_the_form(self):
        self.start_tour(
            f"/odoo/action-crm_extended.action_crm_extended_pbx/{self.pbx.id}",
            "crm_extended_pbx_setup",
            login="tel_manager",
        )
        self.pbx.invalidate_recordset()
        self.assertEqual(self.pbx.last_event_type, "test")

    def test_user_sets_the_extension_in_preferences(self):
        self.start_tour("/odoo", "crm_extended_own_extension", login="tel_salesperson")
        self.assertEqual(self.user_phone_sales.crm_pbx_extension, "215")
