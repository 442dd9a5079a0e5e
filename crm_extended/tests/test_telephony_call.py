from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from ..telephony.events import CallEvent
from .common import CardTestCommon
from .telephony_common import setup_telephony


def event(kind, call_id, number="", extension="201", when="2026-03-10 09:00:00"):
    return CallEvent(
        event=kind,
        call_id=call_id,
        number=number,
        extension=extension,
        direction="inbound",
        timestamp=datetime.fromisoformat(when),
    )


@tagged("post_install", "-at_install")
class TestTelephonyCall(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)
        cls.call_model = cls.env["crm_extended.call"]
        cls.post_invoice(cls.caller_company, 500.0, "2026-02-01", "2026-02-15")

    def apply(self, *args, **kwargs):
        return self.call_model._pbx_apply_event(self.pbx, event(*args, **kwargs))

    def get_call(self, call_id):
        return self.call_model.search([("external_id", "=", call_id)])

    @freeze_time("2026-03-10 09:00:00")
    def test_accountant_sees_open_balance_salesperson_does_not(self):
        self.apply("ringing", "p-1", "0905123456", extension="202")
        call = self.get_call("p-1")
        payload = call._crm_incoming_payload(self.user_phone_accountant)
        self.assertIn("Open balance", " ".join(payload["lines"]))
        self.assertIn("500.00", " ".join(payload["lines"]))
        payload = call._crm_incoming_payload(self.user_phone_sales)
        self.assertNotIn("balance", " ".join(payload["lines"]))

    @freeze_time("2026-03-10 09:00:00")
    def test_grade_shown_only_when_the_field_exists(self):
        self.apply("ringing", "g-1", "0905123456")
        payload = self.get_call("g-1")._crm_incoming_payload(self.user_phone_sales)
        has_grade = "payment_grade" in self.env["res.partner"]._fields
        if not has_grade:
            self.assertFalse([line for line in payload["lines"] if "Grade" in line])

    def test_last_interaction_is_the_previous_call(self):
        self.apply("ringing", "l-1", "0905123456", when="2026-03-01 08:00:00")
        self.apply("hungup", "l-1", when="2026-03-01 08:00:30")
        self.apply("ringing", "l-2", "0905123456", when="2026-03-10 09:00:00")
        payload = self.get_call("l-2")._crm_incoming_payload(self.user_phone_sales)
        last = [line for line in payload["lines"] if line.startswith("Last")]
        self.assertEqual(len(last), 1)
        self.assertIn("Missed", last[0])
        self.assertIn("3/1/26", last[0])
        # A later note on the company's chatter is the newer interaction.
        with freeze_time("2026-03-05 12:00:00"):
            self.caller_company.message_post(
                body="Sent the price list.", message_type="comment"
            )
        payload = self.get_call("l-2")._crm_incoming_payload(self.user_phone_sales)
        last = [line for line in payload["lines"] if line.startswith("Last")]
        self.assertIn("note or message", last[0])
        self.assertIn("3/5/26", last[0])

    def test_call_statistics_on_the_card(self):
        self.apply("ringing", "s-1", "0905123456", when="2026-03-01 08:00:00")
        self.apply("missed", "s-1", when="2026-03-01 08:00:30")
        self.apply("ringing", "s-2", "02 1234 5678", when="2026-03-02 08:00:00")
        self.apply("answered", "s-2", when="2026-03-02 08:00:05")
        self.apply("hungup", "s-2", when="2026-03-02 08:01:05")
        self.apply("ringing", "s-3", "0911000222", when="2026-03-03 08:00:00")
        card = self.caller_company.with_user(self.user_salesperson)
        self.assertEqual(card.crm_call_count, 2)
        self.assertEqual(card.crm_call_missed_count, 1)
        self.assertEqual(card.crm_call_last_date, datetime(2026, 3, 2, 8, 0, 0))
        self.assertEqual(self.caller_contact.crm_call_count, 2)
        action = card.action_crm_view_calls()
        self.assertEqual(
            self.call_model.search(action["domain"]),
            self.get_call("s-1") | self.get_call("s-2"),
        )
        with self.assertRaises(AccessError):
            self.caller_company.with_user(self.user_internal).crm_call_count  # noqa: B018

    def test_stats_query_count_does_not_grow_with_partners(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Stat {n}", "is_company": True} for n in range(10)]
        )
        env = self.env(user=self.user_salesperson)
        partners[:1].with_env(env).mapped("crm_call_count")
        for batch in (partners[:1], partners):
            env.invalidate_all()
            batch.with_env(env).mapped("commercial_partner_id")
            with self.assertQueryCount(1):
                batch.with_env(env).mapped("crm_call_count")

    def test_log_call_wizard_writes_note_and_plans_follow_ups(self):
        self.apply("ringing", "w-1", "0905123456")
        self.apply("answered", "w-1", when="2026-03-10 09:00:10")
        self.apply("hungup", "w-1", when="2026-03-10 09:05:10")
        call = self.get_call("w-1").with_user(self.user_phone_sales)
        action = call.action_log_call()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_phone_sales)
            .with_context(**action["context"])
        )
        form.outcome = "follow_up"
        form.note = "<p>Wants an offer for 20 pallets.</p>"
        with form.line_ids.new() as line:
            line.summary = "Send the offer"
            line.date_deadline = datetime(2026, 3, 12).date()
        with form.line_ids.new() as line:
            line.activity_type_id = self.env.ref("mail.mail_activity_data_call")
            line.summary = "Call about delivery"
            line.date_deadline = datetime(2026, 3, 20).date()
            line.user_id = self.user_phone_accountant
        form.save().action_save()
        self.assertEqual(call.outcome, "follow_up")
        self.assertIn("20 pallets", call.note)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.caller_contact.id)]
        )
        self.assertEqual(
            sorted(activities.mapped("summary")),
            ["Call about delivery", "Send the offer"],
        )
        self.assertEqual(
            activities.filtered(lambda a: a.summary == "Call about delivery").user_id,
            self.user_phone_accountant,
        )
        self.assertEqual(call.duration, 300)

    def test_pending_ringing_calls_for_the_user(self):
        with freeze_time("2026-03-10 09:00:30"):
            self.apply("ringing", "r-1", "0905123456", when="2026-03-10 09:00:00")
            ringing = self.call_model.with_user(
                self.user_phone_sales
            ).crm_ringing_calls()
            self.assertEqual([p["call_id"] for p in ringing], self.get_call("r-1").ids)
            self.assertFalse(
                self.call_model.with_user(
                    self.user_phone_accountant
                ).crm_ringing_calls()
            )
        with freeze_time("2026-03-10 09:10:00"):
            self.assertFalse(
                self.call_model.with_user(self.user_phone_sales).crm_ringing_calls()
            )

    def test_extension_unique_per_company(self):
        with self.assertRaises(ValidationError):
            self.user_manager.crm_pbx_extension = "201"
        self.user_manager.crm_pbx_extension = "203"
        self.assertEqual(self.user_manager.crm_pbx_extension, "203")

    def test_token_is_for_managers_only(self):
        pbx = self.pbx.with_user(self.user_salesperson)
        self.assertEqual(pbx.name, "Test exchange")
        with self.assertRaises(AccessError):
            pbx.read(["token"])
        self.assertEqual(self.pbx.with_user(self.user_manager).token, self.pbx.token)
        self.assertTrue(self.env["crm_extended.pbx"]._authenticate(self.pbx.token))
        self.assertFalse(self.env["crm_extended.pbx"]._authenticate("nope"))
        self.assertFalse(self.env["crm_extended.pbx"]._authenticate(""))
        old = self.pbx.token
        self.pbx.with_user(self.user_manager).action_generate_token()
        self.assertNotEqual(self.pbx.token, old)
        self.assertFalse(self.env["crm_extended.pbx"]._authenticate(old))

    def test_new_contact_takes_over_the_calls_of_its_number(self):
        self.apply("ringing", "o-1", "0911 222 333")
        self.apply("missed", "o-1")
        call = self.get_call("o-1")
        self.assertFalse(call.partner_id)
        action = call.with_user(self.user_phone_sales).action_open_caller()
        contact = (
            self.env["res.partner"]
            .with_user(self.user_phone_sales)
            .with_context(**action["context"])
            .create({"name": "New Caller", "country_id": self.slovakia.id})
        )
        self.assertEqual(contact.phone, "+421 911 222 333")
        self.assertEqual(call.partner_id, contact)
        self.assertEqual(contact.crm_call_count, 1)
        # A number typed later on an existing partner links its calls too.
        self.apply("ringing", "o-2", "0911 444 555")
        self.caller_company.mobile = "0911 444 555"
        self.assertEqual(self.get_call("o-2").partner_id, self.caller_company)

    def test_views_open_for_each_role(self):
        for user in (self.user_salesperson, self.user_manager):
            calls = self.env["crm_extended.call"].with_user(user)
            views = calls.get_views(
                [(False, "list"), (False, "form"), (False, "pivot"), (False, "graph")]
            )
            self.assertIn("crm_extended.call", views["models"])
            self.env["crm_extended.call.log"].with_user(user).get_views(
                [(False, "form")]
            )
        self.env["crm_extended.pbx"].with_user(self.user_manager).get_views(
            [(False, "list"), (False, "form")]
        )
        # Users without a card role still open partners, without the call figures.
        arch = (
            self.env["res.partner"]
            .with_user(self.user_internal)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("crm_call_count", arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.user_salesperson)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("crm_call_count", arch)


@tagged("post_install", "-at_install")
class TestTelephonyEventOrder(CardTestCommon):
    """A call's final state follows the events' timestamps, not their arrival order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_telephony(cls)
        cls.call_model = cls.env["crm_extended.call"]

    def apply(self, *args, **kwargs):
        return self.call_model._pbx_apply_event(self.pbx, event(*args, **kwargs))

    def get_call(self, call_id):
        return self.call_model.search([("external_id", "=", call_id)])

    def call_backs(self, record):
        return self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_answer_after_hang_up_leaves_the_call_answered_without_call_back(self):
        self.apply("ringing", "a-1", "0905123456", when="2026-03-10 09:00:00")
        result = self.apply("hungup", "a-1", when="2026-03-10 09:01:05")
        self.assertEqual(result["state"], "missed")
        call = self.get_call("a-1")
        self.assertEqual(
            self.call_backs(self.caller_contact), call.callback_activity_id
        )
        self.assertEqual(call.callback_activity_id.user_id, self.user_phone_sales)

        result = self.apply("answered", "a-1", when="2026-03-10 09:00:05")
        self.assertEqual((result["state"], result["duplicate"]), ("done", False))
        self.assertEqual(call.state, "done")
        self.assertEqual(call.duration, 60)
        self.assertEqual(call.missed_count, 0)
        self.assertFalse(self.call_backs(self.caller_contact))
        self.assertFalse(call.callback_activity_id)
        self.assertEqual(self.caller_company.crm_call_missed_count, 0)
        # The same answer again is a repetition and changes nothing.
        again = self.apply("answered", "a-1", when="2026-03-10 09:00:05")
        self.assertTrue(again["duplicate"])

    def test_reverse_arrival_gives_the_same_call_as_the_right_order(self):
        steps = [
            ("ringing", "0905123456", "2026-03-10 09:00:00"),
            ("answered", "", "2026-03-10 09:00:05"),
            ("hungup", "", "2026-03-10 09:02:05"),
        ]
        for call_id, order in (("in-order", steps), ("reversed", steps[::-1])):
            for kind, number, when in order:
                self.apply(kind, call_id, number, when=when)
        fields_ = [
            "state",
            "number_normalized",
            "partner_id",
            "user_id",
            "date_start",
            "date_answer",
            "date_end",
            "duration",
        ]
        [in_order] = self.get_call("in-order").read(fields_)
        [reversed_] = self.get_call("reversed").read(fields_)
        in_order.pop("id"), reversed_.pop("id")
        self.assertEqual(reversed_, in_order)
        self.assertEqual(in_order["state"], "done")
        self.assertEqual(in_order["partner_id"][0], self.caller_contact.id)
        # No call-back was left behind, on the caller or on the call.
        self.assertFalse(self.call_backs(self.caller_contact))
        self.assertFalse(self.call_backs(self.get_call("reversed")))

    def test_late_ringing_moves_the_call_back_to_the_caller(self):
        self.apply("missed", "late-1", when="2026-03-10 09:00:30")
        call = self.get_call("late-1")
        self.assertEqual(call.state, "missed")
        [on_call] = self.call_backs(call)
        self.assertEqual(on_call.summary, "Call back ?")

        result = self.apply(
            "ringing", "late-1", "0905123456", when="2026-03-10 09:00:00"
        )
        self.assertFalse(result["duplicate"])
        self.assertEqual(call.state, "missed")
        self.assertEqual(call.partner_id, self.caller_contact)
        self.assertEqual(call.date_start, datetime(2026, 3, 10, 9, 0, 0))
        self.assertFalse(self.call_backs(call))
        [on_caller] = self.call_backs(self.caller_contact)
        self.assertEqual(on_caller.summary, "Call back +421 905 123 456")
        self.assertEqual(call.callback_activity_id, on_caller)

    def test_outbound_call_known_late_gets_no_call_back(self):
        self.apply("hungup", "out-1", when="2026-03-10 09:00:30")
        self.assertTrue(self.get_call("out-1").callback_activity_id)
        self.call_model._pbx_apply_event(
            self.pbx,
            CallEvent(
                event="ringing",
                call_id="out-1",
                number="0905123456",
                extension="201",
                direction="outbound",
                timestamp=datetime(2026, 3, 10, 9, 0, 0),
            ),
        )
        call = self.get_call("out-1")
        self.assertEqual((call.direction, call.state), ("outbound", "missed"))
        self.assertFalse(call.callback_activity_id)
        self.assertFalse(self.call_backs(call) | self.call_backs(self.caller_contact))

    def test_call_back_already_done_is_not_planned_again(self):
        self.apply("hungup", "d-1", when="2026-03-10 09:00:30")
        call = self.get_call("d-1")
        call.callback_activity_id.with_user(self.user_phone_sales).action_feedback(
            feedback="Called back."
        )
        self.assertFalse(call.callback_activity_id)
        # The ringing arriving late changes the call (number, caller, start) but
        # the user has called back already.
        result = self.apply("ringing", "d-1", "0905123456", when="2026-03-10 09:00:00")
        self.assertFalse(result["duplicate"])
        self.assertEqual(call.partner_id, self.caller_contact)
        self.assertFalse(self.call_backs(self.caller_contact) | self.call_backs(call))

    def test_answer_owner_is_the_earliest_answer_whatever_the_arrival(self):
        self.apply("ringing", "o-1", "0905123456", when="2026-03-10 09:00:00")
        self.apply("answered", "o-1", extension="202", when="2026-03-10 09:00:09")
        self.apply("answered", "o-1", extension="201", when="2026-03-10 09:00:04")
        self.apply("answered", "o-1", extension="202", when="2026-03-10 09:00:09")
        call = self.get_call("o-1")
        self.assertEqual(call.user_id, self.user_phone_sales)
        self.assertEqual(call.date_answer, datetime(2026, 3, 10, 9, 0, 4))
