from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestComplaintSatisfaction(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact.email = "jana@satisfied.example.com"
        cls.stage_resolved = cls.env.ref("crm_extended.complaint_stage_resolved")
        cls.Complaint = cls.env["crm_extended.complaint"]
        cls.complaint_model_id = cls.env["ir.model"]._get_id("crm_extended.complaint")

    @classmethod
    def rated(cls, when, value, feedback=False, company=None):
        with freeze_time(when):
            complaint = cls.Complaint.create(
                {
                    "name": f"Complaint {when}",
                    "partner_id": cls.customer_contact.id,
                    "company_id": (company or cls.env.company).id,
                }
            )
            rating = cls.env["rating.rating"].create(
                {
                    "res_model_id": cls.complaint_model_id,
                    "res_id": complaint.id,
                    "partner_id": cls.customer_contact.id,
                    "rating": value,
                    "feedback": feedback,
                    "consumed": True,
                }
            )
        # The database clock sets write dates; freeze_time does not stop it.
        rating.flush_recordset()
        cls.env.cr.execute(
            "UPDATE rating_rating SET write_date = %s WHERE id = %s",
            [when, rating.id],
        )
        rating.invalidate_recordset(["write_date"])
        return rating

    def test_resolving_a_complaint_asks_for_a_rating_once(self):
        complaint = self.Complaint.create(
            {
                "name": "Leaking valves",
                "partner_id": self.customer_contact.id,
                "category_id": self.env.ref(
                    "crm_extended.complaint_category_quality"
                ).id,
            }
        )
        self.assertFalse(complaint.rating_ids)
        complaint.with_user(self.user_salesperson).write(
            {
                "stage_id": self.stage_resolved.id,
                "root_cause_id": self.env.ref(
                    "crm_extended.complaint_cause_production"
                ).id,
            }
        )
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer_contact)
        self.assertFalse(rating.consumed)
        request = complaint.message_ids.filtered(
            lambda message: rating.access_token in (message.body or "")
        )
        self.assertTrue(request, "the request mail carries the rating links")
        self.assertIn(self.customer_contact, request.partner_ids)

        # The customer answers from the mail; reopening and resolving again
        # does not ask a second time.
        complaint.rating_apply(5, token=rating.access_token, feedback="Fast and fair")
        self.assertEqual(complaint.rating_last_value, 5)
        complaint.stage_id = self.env.ref("crm_extended.complaint_stage_new")
        complaint.stage_id = self.stage_resolved
        self.assertEqual(len(complaint.rating_ids), 1)
        self.assertEqual(self.customer.card_csat, 100.0)
        self.assertIn("Fast and fair", str(self.customer.card_satisfaction_html))

    def test_no_request_without_email_or_when_turned_off(self):
        nobody = self.env["res.partner"].create({"name": "No Mail s.r.o."})
        complaint = self.Complaint.create({"name": "Dent", "partner_id": nobody.id})
        complaint.stage_id = self.stage_resolved
        self.assertFalse(complaint.rating_ids)
        self.env.company.crm_complaint_rating_request = False
        other = self.Complaint.create(
            {"name": "Scratch", "partner_id": self.customer_contact.id}
        )
        other.stage_id = self.stage_resolved
        self.assertFalse(other.rating_ids)

    def test_csat_with_trend_and_last_comments(self):
        self.rated(datetime(2026, 1, 10), 1, "Too slow")
        self.rated(datetime(2026, 5, 10), 5, "Replaced at once")
        self.rated(datetime(2026, 6, 1), 1, "Still broken")
        self.rated(datetime(2026, 6, 20), 5)
        self.rated(datetime(2026, 6, 25), 3)
        with freeze_time("2026-06-30 12:00:00"):
            card = self.customer.with_user(self.user_salesperson)
            # Last 90 days: 5, 1, 5, 3 -> 2 of 4 satisfied; before: 1 -> 0 %.
            self.assertEqual(card.card_rating_count, 4)
            self.assertAlmostEqual(card.card_csat, 50.0)
            self.assertAlmostEqual(card.card_csat_trend, 50.0)
            html = str(card.card_satisfaction_html)
            self.assertIn("Still broken", html)
            self.assertIn("Replaced at once", html)
            self.assertLess(html.index("Still broken"), html.index("Replaced at once"))
            self.assertIn("+50", html)

    def test_ratings_follow_the_rated_document_access(self):
        other_company = self.env["res.company"].create({"name": "Other Card Co"})
        self.rated(datetime(2026, 6, 20), 5)
        self.rated(datetime(2026, 6, 21), 1, "Hidden remark", company=other_company)
        with freeze_time("2026-06-30 12:00:00"):
            seller = self.customer.with_user(self.user_salesperson)
            self.assertEqual(seller.card_rating_count, 1)
            self.assertEqual(seller.card_csat, 100.0)
            self.assertNotIn("Hidden remark", str(seller.card_satisfaction_html))
            accountant = self.customer.with_user(self.user_accountant)
            self.assertEqual(accountant.card_csat, 100.0)
            both = self.customer.with_context(
                allowed_company_ids=(self.env.company | other_company).ids
            )
            self.assertEqual(both.card_rating_count, 2)
            self.assertEqual(both.card_csat, 50.0)

    def test_no_card_role_and_portal_see_no_satisfaction(self):
        portal = new_test_user(
            self.env, login="satisfaction_portal", groups="base.group_portal"
        )
        for user in (self.user_internal, portal):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).read(["card_csat"])
            with self.assertRaises(AccessError):
                self.env["crm_extended.complaint.category"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["crm_extended.complaint.cause"].with_user(
                self.user_salesperson
            ).create({"name": "Guesswork"})

    def test_complaint_analysis_by_product_category_and_cause(self):
        product = self.env["product.product"].create({"name": "Valve DN50"})
        quality = self.env.ref("crm_extended.complaint_category_quality")
        delivery = self.env.ref("crm_extended.complaint_category_delivery")
        production = self.env.ref("crm_extended.complaint_cause_production")
        for category in (quality, quality, delivery):
            self.Complaint.create(
                {
                    "name": "Valve",
                    "partner_id": self.customer.id,
                    "product_id": product.id,
                    "category_id": category.id,
                    "root_cause_id": production.id,
                }
            )
        groups = self.Complaint.with_user(self.user_salesperson)._read_group(
            [("product_id", "=", product.id)],
            ["category_id", "root_cause_id"],
            ["__count"],
        )
        self.assertEqual(
            sorted((cat.name, cause.name, n) for cat, cause, n in groups),
            [
                ("Delivery", "Production defect", 1),
                ("Product quality", "Production defect", 2),
            ],
        )

    def test_nps_shows_when_answers_exist(self):
        # The NPS comes from a survey glue through _crm_nps_answers; without
        # answers the card shows no NPS line at all.
        with freeze_time("2026-06-30 12:00:00"):
            self.assertNotIn("NPS", str(self.customer.card_satisfaction_html))
        Partner = type(self.env["res.partner"])
        answers = [
            (datetime(2026, 6, 1).date(), 10),
            (datetime(2026, 6, 2).date(), 9),
            (datetime(2026, 6, 3).date(), 3),
            (datetime(2026, 6, 4).date(), 8),
            (datetime(2026, 2, 1).date(), 2),
        ]
        with (
            freeze_time("2026-06-30 12:00:00"),
            patch.object(Partner, "_crm_nps_answers", return_value=answers),
        ):
            self.customer.invalidate_recordset(["card_satisfaction_html"])
            html = str(self.customer.card_satisfaction_html)
        # Last 90 days: 2 promoters, 1 detractor of 4 -> 25; before: -100.
        self.assertIn("<strong>NPS</strong> 25", html)
        self.assertIn("+125", html)

    def test_paid_invoice_asks_for_a_rating_when_the_company_wants_it(self):
        self.customer.email = "office@satisfied.example.com"
        unpaid = self.post_invoice(self.customer, 100.0, "2026-03-01")
        paid_quietly = self.post_invoice(self.customer, 100.0, "2026-03-01")
        self.pay(paid_quietly, "2026-03-05")
        self.assertFalse(paid_quietly.rating_ids, "off by default")

        self.env.company.crm_invoice_rating_request = True
        self.pay(unpaid, "2026-03-10")
        rating = unpaid.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertFalse(rating.consumed)
        unpaid.rating_apply(3, token=rating.access_token, feedback="Fine")
        self.assertAlmostEqual(self.customer.card_csat, 0.0)
        self.assertIn("Fine", str(self.customer.card_satisfaction_html))
