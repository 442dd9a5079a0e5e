import base64

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .test_campaign_results import CampaignTestCommon


@tagged("post_install", "-at_install")
class TestMailingTraceResponses(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": cls.env.ref("base.model_res_partner").id,
                "campaign_id": cls.mailing_campaign.id,
            }
        )
        cls.reader, cls.bouncer = cls.people[:2]
        cls.reader.email = "reader@example.com"
        cls.bouncer.email = "bouncer@example.com"

    def trace(self, partner, model="res.partner", res_id=None):
        return self.env["mailing.trace"].create(
            {
                "model": model,
                "res_id": res_id or partner.id,
                "email": partner.email,
                "mass_mailing_id": self.mailing.id,
            }
        )

    def member_of(self, partner):
        return self.env["crm_extended.campaign.member"].search(
            [
                ("campaign_id", "=", self.mailing_campaign.id),
                ("partner_id", "=", partner.id),
            ]
        )

    def test_open_click_reply_bounce_become_statuses(self):
        reading, bouncing = self.trace(self.reader), self.trace(self.bouncer)
        member = self.member_of(self.reader)
        self.assertEqual(member.status, self.st_sent)
        self.assertFalse(member.responded)
        with freeze_time("2026-03-02 08:30:00"):
            reading.set_opened()
        self.assertEqual(member.status, self.st_opened)
        self.assertTrue(member.responded)
        self.assertEqual(member.response_channel, "email")
        self.assertEqual(
            member.first_response_date,
            fields.Datetime.to_datetime("2026-03-02 08:30:00"),
        )
        with freeze_time("2026-03-02 09:00:00"):
            reading.set_clicked()
        self.assertEqual(member.status, self.st_clicked)
        with freeze_time("2026-03-03 10:00:00"):
            reading.set_replied()
        self.assertEqual(member.status, self.st_replied)
        # A later open or click never moves a reply back; the first date stays.
        reading.set_clicked()
        reading.write({"trace_status": "open"})
        self.assertEqual(member.status, self.st_replied)
        self.assertEqual(
            member.first_response_date,
            fields.Datetime.to_datetime("2026-03-02 08:30:00"),
        )
        bouncing.set_bounced(bounce_message="550 no such user")
        bounced = self.member_of(self.bouncer)
        self.assertEqual(bounced.status, self.st_bounced)
        self.assertFalse(bounced.responded)
        self.assertEqual(self.mailing_campaign.response_count, 1)
        self.assertAlmostEqual(self.mailing_campaign.response_rate, 50.0)

    def test_sending_the_mailing_makes_recipients_members(self):
        self.mailing.mailing_domain = repr([("id", "in", self.people[:3].ids)])
        self.people[2].email = "third@example.com"
        self.mailing.action_send_mail()
        members = self.env["crm_extended.campaign.member"].search(
            [("campaign_id", "=", self.mailing_campaign.id)]
        )
        self.assertEqual(members.partner_id, self.people[:3])
        self.assertEqual(set(members.status.ids), {self.st_sent.id})

    def test_other_recipients_are_found_by_email_and_leads_by_partner(self):
        contact = self.env["mailing.contact"].create(
            {"name": "List entry", "email": "Reader@Example.com"}
        )
        trace = self.env["mailing.trace"].create(
            {
                "model": "mailing.contact",
                "res_id": contact.id,
                "email": "reader@example.com",
                "mass_mailing_id": self.mailing.id,
            }
        )
        trace.set_replied()
        self.assertEqual(self.member_of(self.reader).status, self.st_replied)
        lead = self.env["crm.lead"].create(
            {"name": "Mailed lead", "partner_id": self.bouncer.id}
        )
        self.trace(self.bouncer, model="crm.lead", res_id=lead.id).set_opened()
        self.assertEqual(self.member_of(self.bouncer).status, self.st_opened)
        unknown = self.env["mailing.trace"].create(
            {
                "model": "mailing.contact",
                "res_id": contact.id,
                "email": "nobody@example.com",
                "mass_mailing_id": self.mailing.id,
            }
        )
        unknown.set_opened()
        self.assertEqual(self.mailing_campaign.member_count, 2)

    def test_recipients_are_read_in_one_query_per_model_not_per_trace(self):
        leads = self.env["crm.lead"].create(
            [{"name": f"Lead {p.name}", "partner_id": p.id} for p in self.people[4:]]
        )
        values = [
            {"model": "res.partner", "res_id": p.id, "mass_mailing_id": self.mailing.id}
            for p in self.people[:4]
        ] + [
            {"model": "crm.lead", "res_id": lead.id, "mass_mailing_id": self.mailing.id}
            for lead in leads
        ]
        Trace = self.env["mailing.trace"]
        few, many = Trace.create(values[3:5]), Trace.create(values)
        queries = []
        # The first round warms the caches (record rules); the second one counts.
        for traces in (few, many, few, many):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners = traces._crm_campaign_partners()
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(
            set(partners.values()), set(self.people[:4]) | set(leads.partner_id)
        )
        # Eight traces cost what two traces do: no query per recipient.
        self.assertEqual(queries[3], queries[2])


@tagged("post_install", "-at_install")
class TestQuickEntryAndAdding(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stand_user = new_test_user(
            cls.env,
            login="campaign_stand",
            groups="sales_team.group_sale_salesman",
        )

    @freeze_time("2026-05-12 14:00:00")
    def test_stand_response_creates_opportunity_in_one_go(self):
        Member = self.env["crm_extended.campaign.member"].with_user(self.stand_user)
        member = Member.create(
            {
                "campaign_id": self.fair_campaign.id,
                "partner_id": self.customer_contact.id,
                "status": self.st_stand.id,
                "note": "Wants a quote for 3 presses",
                "create_opportunity": True,
            }
        )
        self.assertTrue(member.responded)
        self.assertEqual(member.response_channel, "stand")
        self.assertEqual(
            member.first_response_date,
            fields.Datetime.to_datetime("2026-05-12 14:00:00"),
        )
        lead = member.lead_ids
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.campaign_id, self.fair_campaign)
        self.assertEqual(lead.partner_id, self.customer_contact)
        self.assertEqual(lead.type, "opportunity")
        self.assertIn("3 presses", lead.description)
        # Marking an existing member later also works and keeps the first date.
        other = Member.create(
            {"campaign_id": self.fair_campaign.id, "partner_id": self.people[0].id}
        )
        self.assertFalse(other.responded)
        other.write({"status": self.st_call_yes.id, "create_opportunity": True})
        self.assertEqual(other.response_channel, "phone")
        self.assertEqual(len(other.lead_ids), 1)
        self.assertEqual(self.fair_campaign.crm_lead_count, 2)

    def test_add_selected_partners_or_a_filter(self):
        wizard_model = self.env["crm_extended.campaign.member.add"].with_user(
            self.user_salesperson
        )
        wizard = wizard_model.with_context(
            active_model="res.partner", active_ids=self.people[:2].ids
        ).create({"campaign_id": self.call_campaign.id})
        self.assertEqual(wizard.partner_ids, self.people[:2])
        wizard.action_add()
        self.people[5].ref = "CALL-ME"
        form = Form(
            wizard_model.with_context(
                active_model="res.partner", active_domain=[("ref", "=", "CALL-ME")]
            )
        )
        form.campaign_id = self.call_campaign
        self.assertEqual(form.mode, "domain")
        form.save().action_add()
        # Adding the same partners again does not duplicate them.
        wizard_model.create(
            {
                "campaign_id": self.call_campaign.id,
                "partner_ids": [fields.Command.set(self.people[:2].ids)],
            }
        ).action_add()
        members = self.env["crm_extended.campaign.member"].search(
            [("campaign_id", "=", self.call_campaign.id)]
        )
        self.assertEqual(members.partner_id, self.people[:2] | self.people[5])


@tagged("post_install", "-at_install")
class TestCsvImport(CampaignTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.firm = Partner.create(
            {
                "name": "Veletržní s.r.o.",
                "is_company": True,
                "company_registry": "45317054",
            }
        )
        cls.firm_contact = Partner.create(
            {
                "name": "Eva Veletržní",
                "parent_id": cls.firm.id,
                "email": "eva@veletrzni.example.com",
            }
        )
        cls.caller = Partner.create(
            {"name": "Telefonní a.s.", "is_company": True, "phone": "+420 777 123 456"}
        )
        cls.twin_a, cls.twin_b = Partner.create(
            [
                {"name": "Twin A", "email": "info@twins.example.com"},
                {"name": "Twin B", "email": "info@twins.example.com"},
            ]
        )

    def test_partners_the_user_cannot_see_are_not_matched(self):
        other_company = self.env["res.company"].create({"name": "Other Fair Co"})
        self.env["res.partner"].create(
            {
                "name": "Cizí s.r.o.",
                "is_company": True,
                "company_registry": "25596641",
                "phone": "+420 602 111 222",
                "company_id": other_company.id,
            }
        )
        wizard = self.wizard("ico;email;phone\n25596641;;\n;;602111222\n")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("state"), ["unknown", "unknown"])
        self.assertFalse(wizard.line_ids.candidate_ids)

    def wizard(self, text):
        return (
            self.env["crm_extended.campaign.member.import"]
            .with_user(self.user_salesperson)
            .create(
                {
                    "campaign_id": self.fair_campaign.id,
                    "file": base64.b64encode(text.encode()),
                    "filename": "fair.csv",
                }
            )
        )

    def members(self):
        return self.env["crm_extended.campaign.member"].search(
            [("campaign_id", "=", self.fair_campaign.id)]
        )

    def test_preview_then_import_all_in_one_go(self):
        wizard = self.wizard(
            "ico;email;phone\n"
            "45317054;;\n"
            ";eva@veletrzni.example.com;\n"
            ";;777123456\n"
            ";info@twins.example.com;\n"
            "99999999;;\n"
        )
        wizard.action_preview()
        states = {line.row_number: line.state for line in wizard.line_ids}
        self.assertEqual(
            states,
            {2: "matched", 3: "matched", 4: "matched", 5: "ambiguous", 6: "unknown"},
        )
        self.assertEqual(
            (wizard.matched_count, wizard.ambiguous_count, wizard.unknown_count),
            (3, 1, 1),
        )
        lines = wizard.line_ids.sorted("row_number")
        self.assertEqual(lines[0].partner_id, self.firm)
        self.assertEqual(lines[1].partner_id, self.firm_contact)
        self.assertEqual(lines[2].partner_id, self.caller)
        self.assertEqual(lines[3].candidate_ids, self.twin_a | self.twin_b)
        # Only the ambiguous row needs a choice; the unknown one is skipped, as this
        # salesperson may not create contacts (test_campaign_capture_forgiving.py
        # covers creating them).
        self.assertEqual(lines[4].decision, "skip")
        with self.assertRaisesRegex(UserError, "row 5") as error:
            wizard.action_import()
        self.assertNotIn("row 6", str(error.exception))
        self.assertFalse(self.members())
        # The user picks the twin: everything else is written.
        lines[3].partner_id = self.twin_b
        result = wizard.action_import()
        self.assertEqual(
            result["params"]["message"], "4 added, 0 already a member, 1 skipped"
        )
        members = self.members()
        self.assertEqual(
            members.partner_id,
            self.firm | self.firm_contact | self.caller | self.twin_b,
        )
        self.assertEqual(set(members.mapped("status.name")), {"Visited stand"})
        self.assertTrue(all(members.mapped("responded")))
        self.assertEqual(set(members.mapped("response_channel")), {"stand"})

    def test_a_bad_row_is_skipped_the_others_imported(self):
        wizard = self.wizard(
            "IČO,E-mail,Telefon\n45317054,,\n,eva@@broken,\n12AB,,\n,,\n,,777123456\n"
        )
        wizard.action_preview()
        invalid = wizard.line_ids.filtered(lambda line: line.state == "invalid")
        # Row 5 is empty and skipped; rows 3 and 4 are malformed.
        self.assertEqual(invalid.mapped("row_number"), [3, 4])
        self.assertEqual(set(invalid.mapped("decision")), {"skip"})
        self.assertEqual(len(wizard.line_ids), 4)
        self.assertEqual(wizard.matched_count, 2)
        result = wizard.action_import()
        self.assertEqual(
            result["params"]["message"], "2 added, 0 already a member, 2 skipped"
        )
        self.assertEqual(self.members().partner_id, self.firm | self.caller)

    def test_file_without_identifier_column(self):
        with self.assertRaisesRegex(UserError, "No IČO, e-mail or phone column"):
            self.wizard("name,city\nA,B\n").action_preview()
