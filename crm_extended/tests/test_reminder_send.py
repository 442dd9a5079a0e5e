from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .reminder_common import TODAY, ReminderTestCommon

LANGS = ("sk_SK", "cs_CZ", "pl_PL", "mk_MK")
SLOVAK_TEXT = "Dovoľujeme si Vás upozorniť na neuhradené faktúry."


@tagged("post_install", "-at_install")
class TestReminderSend(ReminderTestCommon):
    """An accountant reviews the proposals and sends them in one action: a mail
    in the customer's language with the reminder PDF (the open items), or a
    print; the sent reminder shows on the card, timeline and ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["crm_extended"], list(LANGS))
        cls.level_2.with_context(lang="sk_SK").write(
            {"name": "Druhá upomienka", "text": f"<p>{SLOVAK_TEXT}</p>"}
        )
        cls.slovak = cls.new_customer(
            "Stavby Žilina s.r.o.", lang="sk_SK", email="uctaren@stavby.example"
        )
        cls.paper = cls.new_customer("Bez Mailu s.r.o.", lang="sk_SK")
        cls.invoice = cls.overdue_invoice(cls.slovak, 1200.0, 40)
        cls.younger = cls.overdue_invoice(cls.slovak, 300.0, 9)
        cls.overdue_invoice(cls.paper, 50.0, 10)
        cls.reminders = cls.reminder_run._propose(cls.company, today=TODAY)
        cls.slovak_reminder = cls.reminders.filtered(
            lambda r: r.partner_id == cls.slovak
        )
        cls.paper_reminder = cls.reminders.filtered(lambda r: r.partner_id == cls.paper)

    def _render(self, reminder):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_accountant)
            ._render_qweb_html("crm_extended.report_crm_reminder", reminder.ids)
        )
        return html.decode()

    def test_send_as_accountant_mails_the_slovak_reminder_with_open_items(self):
        reminders = self.reminders.with_user(self.user_accountant)
        action = reminders.action_send()
        reminder = self.slovak_reminder
        self.assertEqual((reminder.state, reminder.channel), ("sent", "email"))
        self.assertEqual(reminder.sent_by_id, self.user_accountant)
        message = reminder.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.slovak)
        self.assertIn(SLOVAK_TEXT, message.body)
        self.assertIn("Druhá upomienka", message.subject)
        attachment = message.attachment_ids
        self.assertEqual(len(attachment), 1)
        document = attachment.raw.decode()
        for expected in (SLOVAK_TEXT, self.invoice.name, self.younger.name):
            self.assertIn(expected, document)
        self.assertIn("Dátum splatnosti", document, "labels in Slovak")
        # The customer without an address gets it on paper, in the same action.
        self.assertEqual(action["report_name"], "crm_extended.report_crm_reminder")
        self.assertEqual(self.paper_reminder.channel, "print")
        self.assertEqual(self.paper_reminder.state, "sent")

    def test_reminder_pdf_names_items_and_amounts_of_its_date(self):
        html = self._render(self.slovak_reminder)
        self.assertIn(self.invoice.name, html)
        self.assertIn("1\xa0200,00", html, "amounts in the Slovak format")
        self.assertIn("Druhá upomienka", html)

    def test_every_shipped_language_renders(self):
        shipped = self.env.ref("crm_extended.reminder_level_2").sudo()
        level = shipped.copy({"company_id": self.company.id, "days_after_due": 35})
        reminder = self.slovak_reminder
        reminder.level_id = level
        english = shipped.with_context(lang="en_US").text
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.slovak.lang = lang
                translated = shipped.with_context(lang=lang)
                self.assertNotEqual(translated.text, english)
                self.assertNotEqual(translated.name, shipped.name)
                html = self._render(reminder)
                self.assertIn(translated.name, html)
                self.assertIn(self.invoice.name, html)
                template = level._template()
                body = template._render_field(
                    "body_html", reminder.ids, compute_lang=True
                )[reminder.id]
                self.assertIn(str(translated.text), str(body))
                self.assertNotIn("Overdue amount", body)

    def test_sent_reminder_on_card_timeline_and_ledger(self):
        self.slovak_reminder.with_user(self.user_accountant).action_send()
        card = self.slovak.with_user(self.user_accountant)
        self.assertEqual(card.crm_reminder_level_id, self.level_2)
        self.assertEqual(card.crm_reminder_date, TODAY)
        self.assertEqual(card.crm_reminder_count, 1)
        rows = (
            self.env["crm_extended.timeline"]
            .with_user(self.user_accountant)
            .search([("partner_id", "=", self.slovak.id), ("kind", "=", "reminder")])
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.summary, "Second reminder")
        self.assertEqual(rows.res_model, "crm_extended.reminder")
        items = card.crm_ledger_open_items(company=self.company)
        reminded = {
            line["move_id"]: (line["reminder_level"], line["reminder_date"])
            for line in items["lines"]
        }
        self.assertEqual(reminded[self.invoice.id], ("Second reminder", TODAY))
        self.assertEqual(reminded[self.younger.id], ("Second reminder", TODAY))

    def test_level_two_charges_the_statutory_interest_to_date(self):
        """Slovak rule, ECB 2.15 % + 8 p.p. = 10.15 % for 2026, to 30.6.2026:
        1200 due 21.5.: 40 days, 13.348 -> 13.35; 300 due 21.6.: 9 days,
        0.751 -> 0.75; together 14.10."""
        self.company.crm_interest_rule = "sk"
        Rate = self.env["crm_extended.interest.rate"]
        Rate.search([("country_id.code", "=", "SK")]).unlink()
        Rate.create(
            {
                "country_id": self.env.ref("base.sk").id,
                "valid_from": "2025-07-01",
                "reference_rate": 2.15,
                "margin": 8.0,
            }
        )
        self.slovak_reminder.with_user(self.user_accountant).action_send()
        self.assertEqual(self.slovak_reminder.interest_amount, 14.10)
        self.assertIn("14,10", self._render(self.slovak_reminder))
        # The first level charges no interest.
        self.assertFalse(self.level_1.charge_interest)

    def test_print_marks_sent_and_reprint_keeps_it(self):
        reminder = self.slovak_reminder.with_user(self.user_accountant)
        action = reminder.action_print()
        self.assertEqual(action["report_name"], "crm_extended.report_crm_reminder")
        self.assertEqual((reminder.state, reminder.channel), ("sent", "print"))
        self.assertFalse(reminder.message_ids.attachment_ids, "printed, not mailed")
        sent_at = reminder.sent_at
        reminder.action_print()
        self.assertEqual(reminder.sent_at, sent_at, "a reprint is not a new reminder")

    def test_accountant_proposes_and_sends_from_the_card(self):
        card = self.slovak.with_user(self.user_accountant)
        with freeze_time(TODAY):
            action = card.action_crm_reminder_propose()
        reminder = self.env["crm_extended.reminder"].browse(action["res_id"])
        self.assertEqual(
            (reminder.partner_id, reminder.level_id, reminder.state),
            (self.slovak, self.level_2, "proposed"),
        )
        self.assertEqual(
            self.env["crm_extended.reminder"].search(
                [("partner_id", "=", self.slovak.id), ("state", "=", "proposed")]
            ),
            reminder,
            "its proposal is renewed, not doubled",
        )
        self.assertTrue(self.paper_reminder.exists(), "other customers' stay")
        reminder.with_user(self.user_accountant).action_send()
        self.assertEqual(card.crm_reminder_level_id, self.level_2)
        with freeze_time(TODAY), self.assertRaises(UserError):
            card.action_crm_reminder_propose()  # level 2 sent: nothing to propose
        with self.assertRaises(UserError):
            self.paper.with_user(self.user_salesperson).action_crm_reminder_propose()
