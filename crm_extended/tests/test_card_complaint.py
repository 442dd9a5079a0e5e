from freezegun import freeze_time

from odoo.tests import tagged

from .common import CardTestCommon

MAIL = """Return-Path: <jana@card-customer.example.com>
From: Jana Card <jana@card-customer.example.com>
To: complaints@card.example.com
Subject: Broken valves in delivery 42
Message-ID: <card-complaint-1@card-customer.example.com>
Date: Tue, 10 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Three of the ten valves leak.
"""


@tagged("post_install", "-at_install")
class TestCardComplaint(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact.email = "jana@card-customer.example.com"
        alias_domain = cls.env["mail.alias.domain"].create({"name": "card.example.com"})
        cls.alias = cls.env.ref("crm_extended.mail_alias_complaint")
        cls.alias.alias_domain_id = alias_domain
        cls.stage_new = cls.env.ref("crm_extended.complaint_stage_new")
        cls.stage_resolved = cls.env.ref("crm_extended.complaint_stage_resolved")

    def test_mail_to_alias_opens_complaint(self):
        complaint_id = self.env["mail.thread"].message_process(False, MAIL)
        complaint = self.env["crm_extended.complaint"].browse(complaint_id)
        self.assertEqual(complaint._name, "crm_extended.complaint")
        self.assertEqual(complaint.name, "Broken valves in delivery 42")
        self.assertEqual(complaint.partner_id, self.customer_contact)
        self.assertEqual(complaint.commercial_partner_id, self.customer)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertIn("valves leak", str(complaint.description))
        self.assertIn("valves leak", complaint.message_ids[-1].body)
        customer = self.customer.with_user(self.user_salesperson)
        self.assertEqual(customer.card_complaint_count, 1)
        self.assertEqual(customer.card_complaint_open_count, 1)

    def test_resolution_time_on_card(self):
        Complaint = self.env["crm_extended.complaint"]
        with freeze_time("2026-03-01 08:00:00"):
            first = Complaint.create({"name": "Late", "partner_id": self.customer.id})
            second = Complaint.create(
                {"name": "Wrong", "partner_id": self.customer_contact.id}
            )
            Complaint.create({"name": "Open", "partner_id": self.customer.id})
        with freeze_time("2026-03-03 08:00:00"):
            first.stage_id = self.stage_resolved
        with freeze_time("2026-03-07 08:00:00"):
            second.stage_id = self.stage_resolved
        self.assertEqual(str(first.date_resolved), "2026-03-03 08:00:00")
        self.assertAlmostEqual(first.resolution_days, 2.0)
        customer = self.customer.with_user(self.user_salesperson)
        self.assertEqual(customer.card_complaint_count, 3)
        self.assertEqual(customer.card_complaint_open_count, 1)
        self.assertAlmostEqual(customer.card_complaint_avg_days, 4.0)
        # Reopening clears the resolution date.
        first.stage_id = self.stage_new
        self.assertFalse(first.date_resolved)

    def test_defaults_from_the_card(self):
        self.customer.user_id = self.user_salesperson
        older = self.post_invoice(self.customer, 100.0, "2026-01-10")
        latest = self.post_invoice(self.customer_contact, 200.0, "2026-03-05")
        self.post_invoice(self.customer, 50.0, "2026-04-01", move_type="out_refund")
        draft = latest.copy({"invoice_date": "2026-05-01"})
        self.assertEqual(draft.state, "draft")
        self.assertTrue(older.invoice_date < latest.invoice_date)
        Complaint = self.env["crm_extended.complaint"]
        action = self.customer.action_card_complaints()
        defaults = Complaint.with_context(**action["context"]).default_get(
            ["partner_id", "user_id", "invoice_id"]
        )
        self.assertEqual(
            defaults,
            {
                "partner_id": self.customer.id,
                "user_id": self.user_salesperson.id,
                "invoice_id": latest.id,
            },
        )
        # created by hand elsewhere: the ordinary defaults
        defaults = Complaint.default_get(["user_id", "invoice_id"])
        self.assertEqual(defaults, {"user_id": self.env.user.id})
