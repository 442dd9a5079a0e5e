"""Issue 13, case 1: the communications timeline shows a row only to users who may
read the document behind it."""

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestTimelineAccess(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Timeline B s.r.o."})
        main = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.seller = new_test_user(
            cls.env, login="tl_seller", groups="sales_team.group_sale_salesman", **main
        )
        cls.colleague = new_test_user(
            cls.env,
            login="tl_colleague",
            groups="sales_team.group_sale_salesman",
            **main,
        )
        cls.restricted = new_test_user(
            cls.env,
            login="tl_restricted",
            groups="sales_team.group_sale_salesman_all_leads,"
            "crm_extended.group_card_own_customers_only",
            **main,
        )
        cls.manager_b = new_test_user(
            cls.env(su=True),
            login="tl_manager_b",
            groups="sales_team.group_sale_manager,crm_extended.group_card_manager",
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.customer.user_id = cls.seller
        cls.own_lead = cls._lead("Own opportunity", cls.customer, cls.seller)
        cls.other_lead = cls._lead(
            "Colleague's opportunity", cls.customer, cls.colleague
        )
        cls._note(cls.own_lead, "Note on my opportunity")
        cls._note(cls.other_lead, "Note on the colleague's opportunity")
        cls.other_lead.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Colleague's follow-up",
            note="Offer 12 % discount",
            user_id=cls.colleague.id,
        )
        # Company B's customer and opportunity.
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Only in B a.s.",
                "is_company": True,
                "company_id": cls.company_b.id,
            }
        )
        cls.lead_b = cls._lead("B's opportunity", cls.customer, cls.manager_b)
        cls.lead_b.company_id = cls.company_b
        cls._note(cls.lead_b, "Note on B's opportunity")
        cls._note(cls.customer_b, "Note on B's customer")
        # Someone else's customer, with a contract and a complaint.
        cls.foreign = cls.env["res.partner"].create(
            {"name": "Foreign s.r.o.", "is_company": True, "user_id": cls.colleague.id}
        )
        contract = cls.env["crm_extended.contract"].create(
            {
                "number": "TL-1",
                "subject": "Service",
                "partner_id": cls.foreign.id,
                "date_start": "2026-01-01",
                "value": 99000,
            }
        )
        complaint = cls.env["crm_extended.complaint"].create(
            {"name": "Late delivery", "partner_id": cls.foreign.id}
        )
        cls._note(contract, "Contract note: price floor 99 000")
        cls._note(complaint, "Complaint note: refund promised")
        cls._note(cls.foreign, "Note on the foreign customer")

    @classmethod
    def _lead(cls, name, partner, user):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": user.id,
            }
        )

    @classmethod
    def _note(cls, record, body):
        record.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )

    def _details(self, user, partner, companies=None):
        user = user.sudo()
        Timeline = (
            self.env["crm_extended.timeline"]
            .with_user(user)
            .with_context(allowed_company_ids=(companies or user.company_ids).ids)
        )
        self.env.flush_all()
        return " | ".join(
            (line.summary or "") + " " + (line.detail or "")
            for line in Timeline.search([("partner_id", "=", partner.id)])
        )

    def test_own_documents_only_hides_colleagues_opportunity(self):
        seen = self._details(self.seller, self.customer)
        self.assertIn("Note on my opportunity", seen)
        self.assertNotIn("colleague's opportunity", seen)
        self.assertNotIn("12 % discount", seen)
        self.assertIn("12 % discount", self._details(self.colleague, self.customer))

    def test_other_companys_documents_are_hidden(self):
        seen = self._details(self.seller, self.customer)
        self.assertNotIn("B's opportunity", seen)
        self.assertEqual(self._details(self.user_manager, self.customer_b), "")
        self.assertIn(
            "Note on B's opportunity", self._details(self.manager_b, self.customer)
        )
        self.assertIn(
            "Note on B's customer", self._details(self.manager_b, self.customer_b)
        )

    def test_own_customers_only_hides_other_customers_contracts_and_complaints(self):
        self.assertEqual(self._details(self.restricted, self.foreign), "")
        everything = self._details(self.user_salesperson, self.foreign)
        for text in ("price floor", "refund promised", "Note on the foreign customer"):
            self.assertIn(text, everything)

    def test_accountant_without_crm_rights_reads_no_opportunity_notes(self):
        self.assertFalse(
            self.user_accountant.has_group("sales_team.group_sale_salesman")
        )
        seen = self._details(self.user_accountant, self.customer)
        self.assertNotIn("opportunity", seen)
        self.assertIn("price floor", self._details(self.user_accountant, self.foreign))

    def test_forbidden_row_cannot_be_read_by_id_or_counted(self):
        self.env.flush_all()
        rows = self.env["crm_extended.timeline"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.other_lead.id)]
        )
        self.assertTrue(rows)
        as_seller = rows.with_user(self.seller)
        with self.assertRaises(AccessError):
            as_seller.read(["detail"])
        self.assertFalse(as_seller.browse(rows.ids).has_access("read"))
        counted = as_seller._read_group(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.other_lead.id)],
            [],
            ["__count"],
        )
        self.assertEqual(counted[0][0], 0)

    def test_forbidden_row_already_in_memory_cannot_be_read(self):
        # Rows fetched with their customer (as the card's tab fetches them) are
        # checked within that customer's rows: still only the readable ones.
        self.env.flush_all()
        rows = self.env["crm_extended.timeline"].search_fetch(
            [("partner_id", "=", self.customer.id), ("res_model", "=", "crm.lead")],
            ["summary", "detail", "partner_id", "res_model", "res_id"],
        )
        own = rows.filtered(lambda row: row.res_id == self.own_lead.id)
        other = rows.filtered(lambda row: row.res_id == self.other_lead.id)
        self.assertTrue(own and other)
        self.assertIn(
            "Note on my opportunity",
            own.with_user(self.seller).read(["detail"])[0]["detail"],
        )
        for forbidden in (other, own | other):
            with self.subTest(rows=forbidden.ids), self.assertRaises(AccessError):
                forbidden.with_user(self.seller).read(["detail"])

    def test_private_meeting_shows_only_to_its_organizer_and_attendees(self):
        self.env["calendar.event"].sudo().create(
            {
                "name": "Private lunch about the merger",
                "start": fields.Datetime.to_datetime("2026-03-20 12:00:00"),
                "stop": fields.Datetime.to_datetime("2026-03-20 13:00:00"),
                "partner_ids": [Command.set(self.customer_contact.ids)],
                "user_id": self.colleague.id,
                "privacy": "private",
            }
        )
        self.assertNotIn("merger", self._details(self.seller, self.customer))
        self.assertIn("merger", self._details(self.colleague, self.customer))

    def test_phone_calls_are_on_the_timeline_of_their_company(self):
        pbx_a, pbx_b = (
            self.env["crm_extended.pbx"]
            .sudo()
            .create(
                [
                    {"name": "Timeline PBX A", "company_id": self.company.id},
                    {"name": "Timeline PBX B", "company_id": self.company_b.id},
                ]
            )
        )
        self.env["crm_extended.call"].sudo().create(
            [
                {
                    "pbx_id": pbx.id,
                    "external_id": f"tl-{pbx.id}",
                    "number": number,
                    "partner_id": self.customer_contact.id,
                    "state": "done",
                }
                for pbx, number in ((pbx_a, "+421900111222"), (pbx_b, "+421900333444"))
            ]
        )
        seen = self._details(self.user_salesperson, self.customer)
        self.assertIn("+421900111222", seen)
        self.assertNotIn("+421900333444", seen)
        self.env.flush_all()
        calls = self.env["crm_extended.timeline"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("res_model", "=", "crm_extended.call"),
            ]
        )
        self.assertEqual(set(calls.mapped("kind")), {"call"})

    def test_users_without_a_card_role_cannot_probe_who_has_communications(self):
        Partner = self.env["res.partner"].with_user(self.user_internal)
        for fname in (
            "card_timeline_ids",
            "card_contract_ids",
            "card_complaint_ids",
            "registry_check_ids",
        ):
            for domain in (
                [(fname, "!=", False)],
                [(fname, "=", False)],
                [(f"{fname}.id", ">", 0)],
            ):
                with self.subTest(domain=domain), self.assertRaises(AccessError):
                    Partner.search(domain)
        # A card user still filters customers by their communications, within
        # what they may read.
        mine = self.env["res.partner"].create(
            {"name": "Mine a.s.", "is_company": True, "user_id": self.restricted.id}
        )
        self._note(mine, "Call me back")
        self.env.flush_all()
        candidates = mine | self.customer | self.foreign
        found = (
            self.env["res.partner"]
            .with_user(self.restricted)
            .search([("card_timeline_ids", "!=", False), ("id", "in", candidates.ids)])
        )
        self.assertEqual(found, mine)
