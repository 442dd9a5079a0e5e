from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardContract(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.env["crm_extended.contract"].create(
            {
                "number": "C-2026/1",
                "subject": "Framework agreement",
                "partner_id": cls.customer.id,
                "user_id": cls.user_salesperson.id,
                "date_start": "2025-05-01",
                "date_end": "2026-04-30",
                "notice_days": 30,
                "value": 12000.0,
                "state": "running",
            }
        )

    def reminders(self):
        return self.contract.activity_ids.filtered(
            lambda activity: activity.user_id == self.user_salesperson
        )

    def run_cron(self):
        self.env["crm_extended.contract"]._cron_contract_reminders()

    def test_reminder_once_before_expiry(self):
        self.assertEqual(str(self.contract.reminder_date), "2026-03-31")
        with freeze_time("2026-03-30"):
            self.run_cron()
        self.assertFalse(self.reminders())
        with freeze_time("2026-03-31"):
            self.run_cron()
            self.run_cron()
        self.assertEqual(len(self.reminders()), 1)
        self.assertEqual(str(self.reminders().date_deadline), "2026-04-30")
        with freeze_time("2026-04-10"):
            self.run_cron()
        self.assertEqual(len(self.reminders()), 1)

    def test_new_end_date_gets_a_new_reminder(self):
        with freeze_time("2026-04-01"):
            self.run_cron()
        self.contract.write({"date_end": "2026-04-30", "subject": "Same end"})
        self.assertTrue(self.contract.reminder_sent)
        self.contract.date_end = "2027-04-30"
        self.assertFalse(self.contract.reminder_sent)
        with freeze_time("2026-04-02"):
            self.run_cron()
        self.assertEqual(len(self.reminders()), 1)
        with freeze_time("2027-04-01"):
            self.run_cron()
        self.assertEqual(len(self.reminders()), 2)

    def test_draft_and_cancelled_are_not_reminded_and_expiry(self):
        self.contract.action_cancel()
        with freeze_time("2026-04-15"):
            self.run_cron()
        self.assertFalse(self.reminders())
        self.contract.action_draft()
        self.contract.action_run()
        with freeze_time("2026-05-01"):
            self.run_cron()
        self.assertEqual(self.contract.state, "expired")

    def test_end_before_start_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.contract.date_end = "2025-01-01"

    def test_card_counts_contracts_of_company_and_contacts(self):
        self.contract.copy(
            {"number": "C-2026/2", "partner_id": self.customer_contact.id}
        )
        customer = self.customer.with_user(self.user_salesperson)
        self.assertEqual(customer.card_contract_count, 2)
        self.assertEqual(len(customer.card_contract_ids), 2)

    def test_contracts_of_another_company_are_hidden(self):
        company_b = self.setup_other_company(name="Contract Company B")["company"]
        self.contract.copy({"number": "B-1", "company_id": company_b.id})
        Contract = self.env["crm_extended.contract"].with_user(self.user_salesperson)
        self.assertEqual(
            Contract.search([("partner_id", "=", self.customer.id)]), self.contract
        )
        customer = self.customer.with_user(self.user_salesperson)
        self.assertEqual(customer.card_contract_count, 1)

    def test_new_contract_defaults_from_the_latest_one(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        Contract = self.env["crm_extended.contract"]
        Contract.create(
            {
                "number": "C-2026/2",
                "subject": "Latest agreement",
                "partner_id": self.customer.id,
                "user_id": self.user_accountant.id,
                "date_start": "2026-01-01",
                "notice_days": 45,
                "currency_id": eur.id,
            }
        )
        defaults = Contract.with_context(
            default_partner_id=self.customer.id
        ).default_get(["currency_id", "notice_days", "user_id"])
        self.assertEqual(
            defaults,
            {
                "currency_id": eur.id,
                "notice_days": 45,
                "user_id": self.user_accountant.id,
            },
        )
        # a customer without contracts keeps the ordinary defaults
        other = self.env["res.partner"].create({"name": "New", "is_company": True})
        defaults = Contract.with_context(default_partner_id=other.id).default_get(
            ["currency_id", "notice_days", "user_id"]
        )
        self.assertEqual(defaults["notice_days"], 30)
        self.assertEqual(defaults["user_id"], self.env.user.id)
        self.assertEqual(defaults["currency_id"], self.env.company.currency_id.id)
        # picking the customer on a new contract by hand does the same
        with Form(Contract) as form:
            form.partner_id = self.customer
            self.assertEqual(form.notice_days, 45)
            self.assertEqual(form.currency_id, eur)
            self.assertEqual(form.user_id, self.user_accountant)
            form.number = "C-2026/3"
            form.subject = "Third"
            form.date_start = "2026-02-01"
