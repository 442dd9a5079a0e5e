from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .reminder_common import INSOLVENCY_REASON, TODAY, ReminderTestCommon


@tagged("post_install", "-at_install")
class TestReminderRun(ReminderTestCommon):
    """The daily proposal run: levels by days overdue, one reminder per customer
    naming its overdue items with their amounts on the day, insolvency excluded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ten = cls.new_customer("Ten Days s.r.o.")
        cls.forty_five = cls.new_customer("Forty-Five Days s.r.o.")
        cls.seventy = cls.new_customer("Seventy Days s.r.o.")
        cls.three = cls.new_customer("Three Days s.r.o.")
        cls.not_due = cls.new_customer("Not Due s.r.o.")
        cls.inv_ten = cls.overdue_invoice(cls.ten, 100.0, 10)
        # Forty-five days: an old invoice half paid, a younger one, one not due.
        cls.inv_45 = cls.overdue_invoice(cls.forty_five, 1000.0, 45)
        cls.pay(cls.inv_45, TODAY - timedelta(days=20), amount=400.0)
        cls.inv_12 = cls.overdue_invoice(cls.forty_five, 250.0, 12)
        cls.inv_future = cls.overdue_invoice(cls.forty_five, 80.0, -5)
        cls.overdue_invoice(cls.seventy, 300.0, 70)
        cls.overdue_invoice(cls.three, 500.0, 3)
        cls.overdue_invoice(cls.not_due, 500.0, -10)

    def test_level_follows_days_overdue(self):
        reminders = self.propose()
        self.assertEqual(
            {r.partner_id: (r.level_id, r.state) for r in reminders},
            {
                self.ten: (self.level_1, "proposed"),
                self.forty_five: (self.level_2, "proposed"),
                self.seventy: (self.level_3, "proposed"),
            },
            "3 days overdue is below the first level; nothing due is no reminder",
        )
        self.assertEqual(self.reminder_of(self.seventy, reminders).days_overdue, 70)

    def test_reminder_names_overdue_items_with_amounts_of_the_day(self):
        reminder = self.reminder_of(self.forty_five, self.propose())
        self.assertEqual(reminder.date, TODAY)
        self.assertEqual(reminder.days_overdue, 45)
        self.assertEqual(
            reminder.move_line_ids.move_id,
            self.inv_45 | self.inv_12,
            "the proposal shows the overdue items it will name",
        )
        self.assertEqual(
            sum(reminder.open_item_ids.mapped("overdue_amount")),
            850.0,
            "the proposal shows the live open amounts",
        )
        self.assertEqual(reminder.amount_overdue, 850.0)
        self.assertEqual(reminder.amount_open, 930.0)
        with freeze_time(TODAY):
            reminder._mark_sent("print")
        self.assertEqual(
            sorted(
                (line.move_id, line.amount_residual, line.days_overdue)
                for line in reminder.line_ids
            ),
            sorted([(self.inv_45, 600.0, 45), (self.inv_12, 250.0, 12)]),
            "the partly paid invoice is named with what is left; the one not due "
            "yet is not named",
        )
        self.assertEqual(reminder.move_line_ids.move_id, self.inv_45 | self.inv_12)
        self.assertFalse(reminder.open_item_ids, "a sent reminder shows its items")
        # Paid later: the reminder keeps what it said on its day.
        self.pay(self.inv_45, TODAY + timedelta(days=1))
        reminder.invalidate_recordset()
        self.assertEqual(sum(reminder.line_ids.mapped("amount_residual")), 850.0)
        self.assertEqual(reminder.amount_overdue, 850.0)
        self.assertEqual(reminder.move_line_ids.move_id, self.inv_45 | self.inv_12)

    def test_proposal_sent_after_a_payment_names_what_is_left(self):
        reminder = self.reminder_of(self.forty_five, self.propose())
        self.pay(self.inv_12, TODAY)
        reminder.invalidate_recordset()
        self.assertEqual(reminder.move_line_ids.move_id, self.inv_45)
        with freeze_time(TODAY):
            reminder._mark_sent("print")
        self.assertEqual(
            [(line.move_id, line.amount_residual) for line in reminder.line_ids],
            [(self.inv_45, 600.0)],
        )
        self.assertEqual(
            (reminder.amount_overdue, reminder.amount_open),
            (600.0, 680.0),
            "the reminder's figures are those of the items it names",
        )

    def test_overdue_matches_the_card_definition(self):
        reminder = self.reminder_of(self.forty_five, self.propose())
        figures = self.env["crm_extended.open.item"]._figures(
            self.forty_five.ids, self.company, today=TODAY
        )[(self.forty_five.id, self.company.id)]
        self.assertEqual(reminder.amount_overdue, figures["overdue"])
        self.assertEqual(reminder.days_overdue, figures["overdue_days"])

    def test_credit_note_already_due_reduces_the_overdue_amount(self):
        self.post_invoice(
            self.ten,
            30.0,
            TODAY - timedelta(days=2),
            TODAY - timedelta(days=2),
            move_type="out_refund",
        )
        reminder = self.reminder_of(self.ten, self.propose())
        self.assertEqual(reminder.amount_overdue, 70.0)
        self.assertEqual(len(reminder.move_line_ids), 2)
        reminder._mark_sent("print")
        self.assertEqual(len(reminder.line_ids), 2)
        self.assertEqual(sum(reminder.line_ids.mapped("amount_residual")), 70.0)

    def test_rerun_replaces_proposals_and_sent_level_is_not_repeated(self):
        Reminder = self.env["crm_extended.reminder"]
        pending = [("company_id", "=", self.company.id), ("state", "=", "proposed")]
        first = self.propose()
        first_ten = self.reminder_of(self.ten, first)
        self.reminder_of(self.forty_five, first).note = "Promised to pay on Friday."
        self.pay(self.inv_ten, TODAY)
        self.pay(self.inv_12, TODAY)
        second = self.propose()
        self.assertEqual(len(second), 2)
        self.assertEqual(
            Reminder.search(pending),
            second,
            "one proposal per customer: yesterday's are renewed, not added to",
        )
        self.assertFalse(first_ten.exists(), "a paid customer's proposal goes")
        renewed = self.reminder_of(self.forty_five, second)
        self.assertEqual(
            renewed.amount_overdue, 600.0, "a renewed proposal has today's figures"
        )
        self.assertEqual(
            renewed.note,
            "Promised to pay on Friday.",
            "the accountant's review note survives the night",
        )
        reminder = self.reminder_of(self.forty_five, second)
        reminder._mark_sent("print")
        tomorrow = self.propose(TODAY + timedelta(days=1))
        self.assertFalse(
            self.reminder_of(self.forty_five, tomorrow),
            "level 2 was sent: not proposed again",
        )
        self.assertEqual(reminder.state, "sent", "a sent reminder stays")
        later = self.propose(TODAY + timedelta(days=16))
        self.assertEqual(
            self.reminder_of(self.forty_five, later).level_id, self.level_3
        )

    def test_new_overdue_episode_starts_again(self):
        reminder = self.reminder_of(self.ten, self.propose())
        reminder._mark_sent("print")
        self.pay(self.inv_ten, TODAY + timedelta(days=1))
        later = TODAY + timedelta(days=40)
        self.overdue_invoice(self.ten, 90.0, 8, today=later)
        again = self.reminder_of(self.ten, self.propose(later))
        self.assertEqual(again.level_id, self.level_1)
        self.assertEqual(again.amount_overdue, 90.0)

    def test_risky_customer_escalates(self):
        self.ten.sudo().with_company(self.company).payment_grade = "E"
        reminder = self.reminder_of(self.ten, self.propose())
        self.assertEqual(reminder.level_id, self.level_2)
        self.level_1.escalate_on_risk = False
        reminder = self.reminder_of(self.ten, self.propose())
        self.assertEqual(reminder.level_id, self.level_1)

    def test_registry_risk_escalates(self):
        self.ten.sudo().registry_status = "risk"
        reminder = self.reminder_of(self.ten, self.propose())
        self.assertEqual(reminder.level_id, self.level_2)

    def test_insolvency_excluded_with_reason(self):
        self.seventy.sudo().write(
            {"registry_status": "risk", "registry_reason_data": [INSOLVENCY_REASON]}
        )
        reminders = self.propose()
        excluded = self.reminder_of(self.seventy, reminders)
        self.assertEqual(excluded.state, "excluded")
        self.assertIn("insolvency", excluded.exclusion_reason.lower())
        self.assertIn("insolvent", excluded.exclusion_reason.lower())
        with self.assertRaises(UserError):
            excluded.with_user(self.user_accountant).action_send()
        self.assertEqual(excluded.state, "excluded")
        self.assertEqual(
            self.reminder_of(self.ten, reminders).state,
            "proposed",
            "other customers are proposed as usual",
        )

    def test_inactive_levels_and_other_companies_ignored(self):
        self.level_3.active = False
        reminder = self.reminder_of(self.seventy, self.propose())
        self.assertEqual(reminder.level_id, self.level_2)
        other = self.setup_other_company()["company"]
        self.assertFalse(self.propose(company=other))

    def test_cron_one_company_per_call(self):
        levels = self.env["crm_extended.reminder.level"].sudo().search([])
        companies = levels.company_id
        with freeze_time(TODAY):
            Run = self.reminder_run.with_context(tz="UTC")
            calls = 0
            while Run._cron_propose():
                calls += 1
            self.assertEqual(calls, len(companies), "one company per call")
            self.assertEqual(self.company.crm_reminder_run_date, TODAY)
            self.assertEqual(Run._cron_propose(), 0, "every company done today")
        reminders = self.env["crm_extended.reminder"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(reminders), 3)
