from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import CardTestCommon

NOW = datetime(2026, 3, 20, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestContactPressure(CardTestCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.often = Partner.create(
            {
                "name": "Often Mailed",
                "email": "often@pressure.example.com",
                "parent_id": cls.customer.id,
            }
        )
        cls.seldom = Partner.create(
            {"name": "Seldom Mailed", "email": "seldom@pressure.example.com"}
        )
        cls.earlier = cls.env["mailing.mailing"].create(
            {
                "subject": "Earlier news",
                "body_html": "<p>Earlier</p>",
                "mailing_model_id": cls.env.ref("base.model_res_partner").id,
            }
        )
        cls.cap_model = cls.env["crm_extended.contact.cap"]

    @classmethod
    def mailed(cls, partner, when, status="sent"):
        return cls.env["mailing.trace"].create(
            {
                "model": "res.partner",
                "res_id": partner.id,
                "email": partner.email,
                "mass_mailing_id": cls.earlier.id,
                "trace_status": status,
                "sent_datetime": when,
            }
        )

    def backdate(self, records, when):
        """Creation dates come from the database clock, which freeze_time does
        not stop: hand-built histories set them directly."""
        records.flush_recordset()
        self.env.cr.execute(
            f"UPDATE {records._table} SET create_date = %s WHERE id = ANY(%s)",
            [when, records.ids],
        )
        records.invalidate_recordset(["create_date"])

    def new_mailing(self, people):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Spring</p>",
                "mailing_model_id": self.env.ref("base.model_res_partner").id,
                "mailing_domain": repr([("id", "in", people.ids)]),
            }
        )

    def email_cap(self, limit=5, period="week"):
        return self.cap_model.create(
            {"channel": "email", "period": period, "limit": limit}
        )

    def traces_of(self, mailing, partner):
        return mailing.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id), ("res_id", "=", partner.id)]
        )

    @freeze_time(NOW)
    def test_mailing_holds_back_person_mailed_five_times_this_week(self):
        self.email_cap(limit=5, period="week")
        for days in range(5):
            self.mailed(self.often, NOW - timedelta(days=days, hours=1))
        for days in range(4):
            self.mailed(self.seldom, NOW - timedelta(days=days, hours=1))
        # Mails older than the week and bounces do not count.
        self.mailed(self.seldom, NOW - timedelta(days=8))
        self.mailed(self.seldom, NOW - timedelta(hours=2), status="bounce")

        mailing = self.new_mailing(self.often | self.seldom)
        with self.mock_mail_gateway():
            mailing.action_send_mail()

        held = self.traces_of(mailing, self.often)
        self.assertEqual(held.trace_status, "cancel")
        self.assertEqual(held.failure_type, "crm_contact_cap")
        self.assertIn("5", held.failure_reason)
        self.assertIn("7", held.failure_reason)
        self.assertNotEqual(self.traces_of(mailing, self.seldom).trace_status, "cancel")
        self.assertEqual(mailing.crm_held_back_count, 1)
        listed = mailing.action_view_crm_held_back()
        self.assertEqual(
            self.env["mailing.trace"].search(listed["domain"]).res_id, self.often.id
        )

        # Knowingly: the held-back person gets the mail after all.
        mailing.crm_ignore_contact_cap = True
        mailing.action_crm_send_held_back()
        self.assertEqual(mailing.state, "in_queue")
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        sent = self.traces_of(mailing, self.often)
        self.assertEqual(len(sent), 1)
        self.assertNotEqual(sent.trace_status, "cancel")
        self.assertEqual(mailing.crm_held_back_count, 0)

    @freeze_time(NOW)
    def test_without_cap_nobody_is_held_back(self):
        for hours in range(10):
            self.mailed(self.often, NOW - timedelta(hours=hours + 1))
        mailing = self.new_mailing(self.often)
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertNotEqual(self.traces_of(mailing, self.often).trace_status, "cancel")
        self.assertEqual(mailing.crm_held_back_count, 0)

    def test_without_cap_the_check_costs_no_query(self):
        people = self.often | self.seldom
        mailing = self.new_mailing(people)
        emails = {person.id: person.email for person in people}
        # Warm the caches (the mailing, the company, the cached settings).
        self.assertEqual(mailing._crm_contact_holds(emails), {})
        self.assertEqual(people._crm_contact_holds(("email",)), {})
        with self.assertQueryCount(0):
            mailing._crm_contact_holds(emails)
            people._crm_contact_holds(("email",))
        # A new cap is seen at once.
        self.email_cap(limit=1)
        self.mailed(self.often, fields.Datetime.now())
        self.assertIn(self.often.id, mailing._crm_contact_holds(emails))

    @freeze_time(NOW)
    def test_cap_on_all_channels_and_preferred_channel(self):
        self.cap_model.create({"channel": "all", "period": "month", "limit": 3})
        self.mailed(self.seldom, NOW - timedelta(days=3))
        member = self.env["crm_extended.campaign.member"].create(
            {
                "campaign_id": self.env["utm.campaign"]
                .create({"name": "Fair", "campaign_type": "exhibition"})
                .id,
                "partner_id": self.seldom.id,
            }
        )
        self.backdate(member, NOW - timedelta(days=10))
        people = self.often | self.seldom
        self.assertFalse(people._crm_contact_holds(("email",)))
        self.mailed(self.seldom, NOW - timedelta(days=20))
        holds = people._crm_contact_holds(("email",))
        self.assertEqual(list(holds), [self.seldom.id])
        self.assertIn("3", holds[self.seldom.id])

        self.often.crm_preferred_channel = "phone"
        self.assertNotIn(self.often.id, people._crm_contact_holds(("email",)))
        self.env.company.crm_touch_respect_preferred = True
        holds = people._crm_contact_holds(("email",))
        self.assertIn(self.often.id, holds)
        self.assertNotIn(self.often.id, people._crm_contact_holds(("phone",)))

    def test_touch_counts_per_channel_on_card(self):
        pbx = self.env["crm_extended.pbx"].create(
            {"name": "Pressure exchange", "token": "pressure-token"}
        )
        exhibition = self.env["utm.campaign"].create(
            {"name": "Autumn fair", "campaign_type": "exhibition"}
        )
        with freeze_time(NOW - timedelta(days=60)):
            self.mailed(self.often, NOW - timedelta(days=60))
            member = self.env["crm_extended.campaign.member"].create(
                {"campaign_id": exhibition.id, "partner_id": self.often.id}
            )
            self.backdate(member, NOW - timedelta(days=60))
        with freeze_time(NOW - timedelta(days=5)):
            self.mailed(self.often, NOW - timedelta(days=5))
            with self.mock_mail_gateway():
                self.customer.message_post(
                    body="Your order shipped",
                    partner_ids=self.often.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            for state, direction in (
                ("done", "outbound"),
                ("missed", "outbound"),
                ("done", "inbound"),
            ):
                self.env["crm_extended.call"].create(
                    {
                        "pbx_id": pbx.id,
                        "external_id": f"call-{state}-{direction}",
                        "partner_id": self.often.id,
                        "direction": direction,
                        "state": state,
                        "date_start": NOW - timedelta(days=5),
                    }
                )
        with freeze_time(NOW):
            counts = self.env["crm_extended.touch"]._touch_counts(
                self.often.ids, [30, 90]
            )[self.often.id]
            self.assertEqual(counts[("email", 30)], 2)
            self.assertEqual(counts[("email", 90)], 3)
            self.assertEqual(counts[("phone", 30)], 1)
            self.assertEqual(counts[("campaign", 30)], 0)
            self.assertEqual(counts[("campaign", 90)], 1)

            self.often.crm_preferred_channel = "phone"
            card = self.customer.with_user(self.user_manager)
            html = str(card.card_touch_html)
            self.assertIn("Often Mailed", html)
            # The manager reads no mailing (no marketing rights): the card
            # counts the message, the call and the campaign contact only.
            self.assertIn('<td class="text-end">1 / 1</td>', html)
            self.assertIn('<td class="text-end fw-bold">1 / 1</td>', html)
            self.assertIn('<td class="text-end">0 / 1</td>', html)
            admin_html = str(self.customer.card_touch_html)
            self.assertIn('<td class="text-end">2 / 3</td>', admin_html)

    @freeze_time(NOW)
    def test_campaign_member_selection_skips_and_lists(self):
        self.cap_model.create({"channel": "campaign", "period": "month", "limit": 1})
        fair = self.env["utm.campaign"].create(
            {"name": "Spring fair", "campaign_type": "exhibition"}
        )
        calls = self.env["utm.campaign"].create(
            {"name": "Call round", "campaign_type": "call"}
        )
        member = self.env["crm_extended.campaign.member"].create(
            {"campaign_id": fair.id, "partner_id": self.often.id}
        )
        self.backdate(member, NOW - timedelta(days=2))
        wizard_form = Form(
            self.env["crm_extended.campaign.member.add"].with_user(
                self.user_salesperson
            )
        )
        wizard_form.campaign_id = calls
        wizard_form.partner_ids.add(self.often)
        wizard_form.partner_ids.add(self.seldom)
        self.assertEqual(wizard_form.held_back_partner_ids[:], self.often)
        self.assertIn("Often Mailed", wizard_form.held_back_reasons)
        wizard = wizard_form.save()
        result = wizard.action_add()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("Often Mailed", result["params"]["message"])
        self.assertEqual(calls.member_ids.partner_id, self.seldom)

        wizard = self.env["crm_extended.campaign.member.add"].create(
            {
                "campaign_id": calls.id,
                "partner_ids": [(6, 0, self.often.ids)],
                "override_contact_cap": True,
            }
        )
        wizard.action_add()
        self.assertEqual(calls.member_ids.partner_id, self.often | self.seldom)

    def test_roles(self):
        cap = self.email_cap()
        # Salespeople see the caps, only managers set them.
        self.assertTrue(cap.with_user(self.user_salesperson).display_name)
        with self.assertRaises(AccessError):
            cap.with_user(self.user_salesperson).limit = 9
        with self.assertRaises(AccessError):
            self.cap_model.with_user(self.user_accountant).create(
                {"channel": "sms", "period": "day", "limit": 2}
            )
        cap.with_user(self.user_manager).limit = 9
        self.assertEqual(cap.limit, 9)
        self.assertTrue(self.customer.with_user(self.user_accountant).card_touch_html)
        self.assertTrue(self.customer.with_user(self.user_salesperson).card_touch_html)
        # Without a card role, or from the portal: no touches, no caps.
        portal = new_test_user(
            self.env, login="touch_portal", groups="base.group_portal"
        )
        for user in (self.user_internal, portal):
            with self.assertRaises(AccessError):
                self.env["crm_extended.touch"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.cap_model.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.customer.with_user(user).read(["card_touch_html"])
