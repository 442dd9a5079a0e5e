from freezegun import freeze_time
from markupsafe import Markup

from odoo import fields
from odoo.tests import tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardTimeline(CardTestCommon):
    def test_timeline_of_company_and_contacts_by_type(self):
        self.customer_contact.message_post(
            body="Prefers delivery on Fridays",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.customer.message_post(
            body="Offer sent", subject="Offer 2026", message_type="email"
        )
        self.customer.activity_schedule(
            "mail.mail_activity_data_call",
            summary="Call about the renewal",
            user_id=self.user_salesperson.id,
        )
        self.env["calendar.event"].create(
            {
                "name": "Visit at the plant",
                "start": fields.Datetime.to_datetime("2026-03-20 09:00:00"),
                "stop": fields.Datetime.to_datetime("2026-03-20 10:00:00"),
                "partner_ids": [(6, 0, self.customer_contact.ids)],
            }
        )
        other = self.env["res.partner"].create({"name": "Not this customer"})
        other.message_post(body="Unrelated", message_type="comment")
        self.env.flush_all()
        Timeline = self.env["crm_extended.timeline"].with_user(self.user_salesperson)
        lines = Timeline.search([("partner_id", "=", self.customer.id)])
        by_kind = {line.kind: line for line in lines}
        self.assertEqual(set(by_kind), {"note", "mail", "call", "meeting"})
        self.assertEqual(by_kind["note"].contact_id, self.customer_contact)
        self.assertIn("Fridays", by_kind["note"].detail)
        self.assertEqual(by_kind["mail"].summary, "Offer 2026")
        self.assertEqual(by_kind["call"].summary, "Call about the renewal")
        self.assertFalse(by_kind["call"].done)
        self.assertEqual(by_kind["meeting"].summary, "Visit at the plant")
        calls = Timeline.search(
            [("partner_id", "=", self.customer.id), ("kind", "=", "call")]
        )
        self.assertEqual(calls, by_kind["call"])
        self.assertEqual(
            self.customer.with_user(self.user_salesperson).card_timeline_ids, lines
        )

    def test_card_tab_shows_the_latest_page_of_the_timeline(self):
        for minute in range(25):
            with freeze_time(f"2027-03-02 10:{minute:02d}:00"):
                self.customer.message_post(
                    body=f"Note {minute}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
        self.env.flush_all()
        customer = self.customer.with_user(self.user_salesperson)
        everything = (
            self.env["crm_extended.timeline"]
            .with_user(self.user_salesperson)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertGreaterEqual(len(everything), 25)
        self.assertEqual(customer.card_timeline_ids, everything[:20])
        details = [
            detail.strip() for detail in customer.card_timeline_ids.mapped("detail")
        ]
        self.assertEqual(details[0], "Note 24")
        self.assertNotIn("Note 0", details)
        # The button opens all of them.
        action = customer.action_card_timeline()
        self.assertEqual(
            self.env["crm_extended.timeline"]
            .with_user(self.user_salesperson)
            .search(action["domain"]),
            everything,
        )

    def test_timeline_page_reads_its_rows_once_and_strips_tags(self):
        """The timeline screen's page: the rows found by the reader's search
        are read without a second access check by id (a scan of the whole
        view) and their text comes without the HTML tags; searching the text
        still works."""
        for index in range(5):
            self.customer.message_post(
                body=Markup(f"<p>Asked for <b>pallet</b> prices {index}</p>"),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.env.flush_all()
        Timeline = self.env["crm_extended.timeline"].with_user(self.user_salesperson)
        spec = {
            "date": {},
            "kind": {},
            "summary": {},
            "detail": {},
            "contact_id": {"fields": {"display_name": {}}},
            "done": {},
        }
        domain = [("partner_id", "=", self.customer.id)]
        Timeline.web_search_read(domain, spec, limit=80)  # warm the caches
        self.env.invalidate_all()
        # The reader's company and user (the cache was cleared), the page with
        # its rows' columns, the contacts' names: no second read of the rows.
        with self.assertQueryCount(4):
            page = Timeline.web_search_read(domain, spec, limit=80)
        details = [record["detail"] for record in page["records"]]
        self.assertEqual(len(details), 5)
        self.assertTrue(all("<" not in detail for detail in details))
        self.assertIn(" Asked for  pallet  prices 4 ", details)
        found = Timeline.search(domain + [("detail", "ilike", "pallet prices 2")])
        self.assertFalse(found, "the text is searched as stored, tags included")
        found = Timeline.search(domain + [("detail", "ilike", "prices 2")])
        self.assertEqual(len(found), 1)
