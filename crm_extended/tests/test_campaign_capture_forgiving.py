import base64

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .test_campaign_results import CampaignTestCommon

EXHIBITION_CSV = (
    "IČO;Firma;Meno;E-mail;Telefón;Poznámka;Stánok\n"
    "45317054;Veletržní s.r.o.;;;;Chce katalóg;A1\n"
    ";ACME Trading a.s.;Eva;eva@veletrzni.example.com;;Prišla s kolegom;A1\n"
    ";Nová Firma s.r.o.;Ján Nový;jan@novafirma.example.com;+421 905 000 111;"
    "Chce ponuku na 2 sústruhy;A2\n"
    ";Stály zákazník a.s.;;stale@zakaznik.example.com;;Objedná v marci;A3\n"
    ";;;hello@@broken;;;A4\n"
)


@tagged("post_install", "-at_install")
class TestForgivingCampaignCapture(CampaignTestCommon):
    """An exhibition list with new visitors, odd names and notes imports in one go."""

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
        cls.regular = Partner.create(
            {
                "name": "Stály zákazník a.s.",
                "is_company": True,
                "email": "stale@zakaznik.example.com",
            }
        )
        cls.member(cls.fair_campaign, cls.regular)
        # At the stand: a salesperson who may create contacts, as Sales users do.
        cls.stand_user = new_test_user(
            cls.env,
            login="campaign_stand",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def wizard(self, text, user=None):
        return (
            self.env["crm_extended.campaign.member.import"]
            .with_user(user or self.stand_user)
            .create(
                {
                    "campaign_id": self.fair_campaign.id,
                    "file": base64.b64encode(text.encode()),
                    "filename": "stand.csv",
                }
            )
        )

    def members(self):
        return self.env["crm_extended.campaign.member"].search(
            [("campaign_id", "=", self.fair_campaign.id)]
        )

    def test_upload_says_which_columns_it_reads(self):
        wizard = self.wizard(EXHIBITION_CSV)
        help_text = wizard.columns_help
        for header in ("ico", "email", "telefon", "nazov", "meno", "poznamka"):
            self.assertIn(header, help_text)
        self.assertIn("every other column is ignored", help_text)
        wizard.action_preview()
        self.assertIn("Company ID (IČO, NIP, ЕДБ) (IČO)", wizard.columns_read)
        self.assertIn("Note (Poznámka)", wizard.columns_read)
        self.assertIn("Ignored: Stánok", wizard.columns_read)

    def test_new_visitors_mismatched_names_and_notes(self):
        wizard = self.wizard(EXHIBITION_CSV)
        wizard.action_preview()
        lines = wizard.line_ids.sorted("row_number")
        self.assertEqual(
            lines.mapped("state"),
            ["matched", "matched", "unknown", "matched", "invalid"],
        )
        self.assertEqual(
            lines.mapped("decision"), ["add", "add", "create", "add", "skip"]
        )
        # Eva's e-mail is Veletržní's, the file says ACME: flagged, still added.
        self.assertEqual(lines[1].partner_id, self.firm_contact)
        self.assertEqual(
            lines.mapped("name_mismatch"), [False, True, False, False, False]
        )
        self.assertEqual(wizard.mismatch_count, 1)

        result = wizard.action_import()

        self.assertEqual(
            result["params"]["message"],
            "3 added, 1 already a member, 1 skipped; 2 new contacts created",
        )
        self.assertEqual(
            result["params"]["next"]["domain"],
            [("campaign_id", "=", self.fair_campaign.id)],
        )
        newcomer = self.env["res.partner"].search(
            [("email", "=", "jan@novafirma.example.com")]
        )
        self.assertEqual(newcomer.name, "Ján Nový")
        self.assertEqual(newcomer.parent_id.name, "Nová Firma s.r.o.")
        self.assertTrue(newcomer.parent_id.is_company)
        self.assertEqual(newcomer.phone, "+421 905 000 111")
        members = self.members()
        self.assertEqual(
            members.partner_id, self.firm | self.firm_contact | newcomer | self.regular
        )
        note = {member.partner_id: member.note for member in members}
        self.assertEqual(note[self.firm], "Chce katalóg")
        self.assertEqual(note[newcomer], "Chce ponuku na 2 sústruhy")
        self.assertEqual(note[self.regular], "Objedná v marci")
        self.assertEqual(set(members.mapped("status.name")), {"Visited stand"})

    def test_without_contact_creation_rights_unknown_rows_are_skipped(self):
        wizard = self.wizard(EXHIBITION_CSV, user=self.user_salesperson)
        wizard.action_preview()
        newcomer = wizard.line_ids.filtered(lambda line: line.state == "unknown")
        self.assertEqual(newcomer.decision, "skip")
        result = wizard.action_import()
        self.assertEqual(
            result["params"]["message"], "2 added, 1 already a member, 2 skipped"
        )

    def test_choosing_a_partner_for_an_unknown_row_adds_it_instead(self):
        wizard = self.wizard(
            "ico;firma;kontakt;email\n;Nová Firma s.r.o.;;jan@novafirma.example.com\n"
        )
        wizard.action_preview()
        line = wizard.line_ids
        self.assertEqual(line.decision, "create")
        with Form(wizard) as form, form.line_ids.edit(0) as row:
            row.partner_id = self.regular
            self.assertEqual(row.decision, "add")
            # The row names another company than the chosen partner's.
            self.assertTrue(row.name_mismatch)
        wizard.action_import()
        self.assertEqual(self.members().partner_id, self.regular)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email", "=", "jan@novafirma.example.com")]
            )
        )

    def test_add_partners_opens_on_customers_never_on_users(self):
        Partner = self.env["res.partner"]
        customer = Partner.create(
            {"name": "Zákazník s.r.o.", "is_company": True, "customer_rank": 1}
        )
        customer_person = Partner.create(
            {"name": "Osoba Zákazníka", "parent_id": customer.id}
        )
        prospect = Partner.create({"name": "Len adresa", "is_company": True})
        colleague = new_test_user(
            self.env, login="campaign_colleague", groups="base.group_user"
        )
        colleague.partner_id.customer_rank = 1
        wizard = Form(
            self.env["crm_extended.campaign.member.add"]
            .with_user(self.user_salesperson)
            .with_context(
                default_campaign_id=self.fair_campaign.id, default_mode="domain"
            )
        ).save()
        self.assertNotEqual(wizard.partner_domain, "[]")
        partners = wizard._partners()
        self.assertIn(customer, partners)
        self.assertIn(customer_person, partners)
        self.assertNotIn(prospect, partners)
        self.assertNotIn(colleague.partner_id, partners)
        self.assertFalse(partners.user_ids.filtered(lambda user: not user.share))
        # Even an "every partner" filter leaves the company's own users out.
        wizard.partner_domain = "[]"
        self.assertNotIn(colleague.partner_id, wizard._partners())

    def test_member_actions_carry_their_campaign_after_a_reload(self):
        self.member(self.call_campaign, self.people[0])
        fair_member = self.member(self.fair_campaign, self.people[1])
        Member = self.env["crm_extended.campaign.member"]
        for method, xmlid in (
            ("action_quick_entry", "action_campaign_member_quick_entry"),
            ("action_view_members", "action_campaign_member_of_campaign"),
        ):
            action = getattr(self.fair_campaign, method)()
            self.assertEqual(action["context"]["active_id"], self.fair_campaign.id)
            # A browser reload evaluates the stored action with the URL's active_id.
            stored = self.env.ref(f"crm_extended.{xmlid}")
            evaluation = {"active_id": self.fair_campaign.id}
            domain = safe_eval(stored.domain, evaluation)
            context = safe_eval(stored.context, evaluation)
            self.assertEqual(Member.search(domain), self.regular_member() | fair_member)
            self.assertEqual(context["default_campaign_id"], self.fair_campaign.id)

    def regular_member(self):
        return self.members().filtered(lambda member: member.partner_id == self.regular)
