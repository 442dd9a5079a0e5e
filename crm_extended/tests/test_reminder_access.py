from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .reminder_common import TODAY, ReminderTestCommon


@tagged("post_install", "-at_install")
class TestReminderAccess(ReminderTestCommon):
    """Accountants and managers handle reminders; salespeople see that one was
    sent and at which level, never the amounts or the mail; users without a
    card role and portal users see nothing; companies stay apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal = new_test_user(
            cls.env, login="reminder_portal", groups="base.group_portal"
        )
        cls.customer.email = "billing@card.example"
        cls.invoice = cls.overdue_invoice(cls.customer, 700.0, 35)
        cls.late = cls.new_customer("Later s.r.o.")
        cls.overdue_invoice(cls.late, 90.0, 8)
        reminders = cls.reminder_run._propose(cls.company, today=TODAY)
        cls.sent = reminders.filtered(lambda r: r.partner_id == cls.customer)
        cls.proposed = reminders - cls.sent
        cls.sent.with_user(cls.user_accountant).action_send()

    def test_salesperson_sees_level_and_date_not_amounts(self):
        Reminder = self.env["crm_extended.reminder"].with_user(self.user_salesperson)
        visible = Reminder.search([])
        self.assertEqual(visible, self.sent, "only sent reminders, not proposals")
        self.assertEqual(visible.level_id, self.level_2)
        self.assertEqual(visible.date, TODAY)
        self.assertEqual(visible.level_id.name, "Second reminder")
        for field in ("amount_overdue", "amount_open", "interest_amount", "line_ids"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                visible.read([field])
        with self.assertRaises(AccessError):
            self.env["crm_extended.reminder.line"].with_user(
                self.user_salesperson
            ).search([])
        card = self.customer.with_user(self.user_salesperson)
        self.assertEqual(card.crm_reminder_level_id, self.level_2)
        self.assertEqual(card.crm_reminder_date, TODAY)
        rows = (
            self.env["crm_extended.timeline"]
            .with_user(self.user_salesperson)
            .search([("partner_id", "=", self.customer.id), ("kind", "=", "reminder")])
        )
        self.assertEqual(rows.summary, "Second reminder")
        self.assertFalse(rows.detail, "no amounts in the timeline row")

    def test_salesperson_cannot_read_the_mail_nor_send(self):
        self.assertTrue(self.sent.message_ids.filtered("attachment_ids"))
        Message = self.env["mail.message"].with_user(self.user_salesperson)
        self.assertFalse(
            Message.search(
                [("model", "=", "crm_extended.reminder"), ("res_id", "=", self.sent.id)]
            )
        )
        with self.assertRaises(AccessError):
            self.sent.message_ids.with_user(self.user_salesperson).read(["body"])
        with self.assertRaises(AccessError):
            self.proposed.with_user(self.user_salesperson).action_send()
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.user_salesperson
            )._render_qweb_html("crm_extended.report_crm_reminder", self.sent.ids)
        with self.assertRaises(UserError):
            self.env["crm_extended.reminder"].with_user(
                self.user_salesperson
            ).action_propose_now()

    def test_accountant_and_manager_handle_reminders(self):
        for user in (self.user_accountant, self.user_manager):
            with self.subTest(user=user.login):
                Reminder = self.env["crm_extended.reminder"].with_user(user)
                self.assertEqual(Reminder.search([]), self.sent | self.proposed)
                self.assertEqual(self.sent.with_user(user).amount_overdue, 700.0)
                self.assertEqual(
                    self.sent.with_user(user).line_ids.move_id, self.invoice
                )
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.user_accountant).days_after_due = 3
        self.level_1.with_user(self.user_manager).days_after_due = 3

    def test_no_card_role_and_portal_see_nothing(self):
        for user in (self.user_internal, self.user_portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["crm_extended.reminder"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.sent.with_user(user).read(["level_id"])
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).read(["crm_reminder_level_id"])
        rows = (
            self.env["crm_extended.timeline"].sudo().search([("kind", "=", "reminder")])
        )
        self.assertTrue(rows)
        with self.assertRaises(AccessError):
            self.env["crm_extended.timeline"].with_user(self.user_internal).search(
                [("kind", "=", "reminder")]
            )

    def test_other_company_users_see_nothing(self):
        other = self.setup_other_company()["company"]
        stranger = new_test_user(
            self.env,
            login="reminder_other_accountant",
            groups="base.group_user,crm_extended.group_card_accountant",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(
            self.env["crm_extended.reminder"].with_user(stranger).search([])
        )
        with self.assertRaises(AccessError):
            self.sent.with_user(stranger).read(["level_id"])
        self.assertFalse(
            self.env["crm_extended.timeline"]
            .with_user(stranger)
            .search([("kind", "=", "reminder")])
        )
