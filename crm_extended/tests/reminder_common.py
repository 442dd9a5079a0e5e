"""Shared set-up for the payment reminder tests: three levels of the test
company and customers overdue by given numbers of days on TODAY."""

from datetime import date, timedelta

from .common import CardTestCommon

TODAY = date(2026, 6, 30)
INSOLVENCY_REASON = {
    "level": "risk",
    "code": "insolvent",
    "provider": "cz_isir",
    "risk": "insolvency",
    "params": {},
}


class ReminderTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_run = cls.env["crm_extended.reminder.run"]
        Level = cls.env["crm_extended.reminder.level"]
        cls.level_1 = Level.create(
            {
                "name": "First reminder",
                "company_id": cls.company.id,
                "days_after_due": 7,
                "escalate_on_risk": True,
                "text": "<p>Please pay the overdue invoices.</p>",
            }
        )
        cls.level_2 = Level.create(
            {
                "name": "Second reminder",
                "company_id": cls.company.id,
                "days_after_due": 30,
                "charge_interest": True,
                "text": "<p>We remind you a second time.</p>",
            }
        )
        cls.level_3 = Level.create(
            {
                "name": "Final notice",
                "company_id": cls.company.id,
                "days_after_due": 60,
                "charge_interest": True,
                "text": "<p>Last notice before legal action.</p>",
            }
        )

    @classmethod
    def new_customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, **values}
        )

    @classmethod
    def overdue_invoice(cls, partner, amount, days_overdue, today=TODAY):
        """A posted invoice due ``days_overdue`` days before ``today``."""
        due = today - timedelta(days=days_overdue)
        return cls.post_invoice(partner, amount, due - timedelta(days=14), due)

    def propose(self, today=TODAY, company=None):
        return self.reminder_run._propose(company or self.company, today=today)

    def reminder_of(self, partner, reminders):
        return reminders.filtered(lambda r: r.partner_id == partner)
