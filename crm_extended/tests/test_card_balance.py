from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardBalance(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_due = cls.post_invoice(
            cls.customer, 1000.0, "2026-01-10", due_date="2026-02-09"
        )
        cls.invoice_not_due = cls.post_invoice(
            cls.customer_contact, 400.0, "2026-03-01", due_date="2026-03-31"
        )
        cls.invoice_paid = cls.post_invoice(
            cls.customer, 250.0, "2026-01-05", due_date="2026-01-20"
        )
        cls.pay(cls.invoice_paid, "2026-01-18")
        cls.pay(cls.invoice_due, "2026-02-20", amount=300.0)

    @freeze_time("2026-03-15")
    def test_open_and_overdue_balance_of_company_and_contacts(self):
        customer = self.customer.with_user(self.user_accountant)
        # 700 left on the overdue invoice, 400 on the contact's invoice not yet due.
        self.assertAlmostEqual(customer.card_open_balance, 1100.0)
        self.assertAlmostEqual(customer.card_overdue_balance, 700.0)
        contact = self.customer_contact.with_user(self.user_accountant)
        self.assertAlmostEqual(contact.card_open_balance, 1100.0)

    @freeze_time("2026-04-15")
    def test_overdue_grows_when_due_date_passes(self):
        customer = self.customer.with_user(self.user_accountant)
        self.assertAlmostEqual(customer.card_overdue_balance, 1100.0)

    def test_draft_invoice_not_counted(self):
        draft = self.post_invoice(self.customer, 5000.0, "2026-03-01")
        draft.button_draft()
        customer = self.customer.with_user(self.user_accountant)
        self.assertAlmostEqual(customer.card_open_balance, 1100.0)

    def test_salesperson_cannot_read_amounts(self):
        customer = self.customer.with_user(self.user_salesperson)
        with self.assertRaises(AccessError):
            customer.read(["card_open_balance"])
        with self.assertRaises(AccessError):
            customer.search_read(
                [("id", "=", self.customer.id)], ["card_overdue_balance"]
            )

    def test_balance_query_count_does_not_grow_with_partners(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Batch customer {n}", "is_company": True} for n in range(20)]
        )
        for partner in partners[:5]:
            self.post_invoice(partner, 100.0, "2026-01-01")
        env = self.env(user=self.user_accountant)
        env.invalidate_all()
        # Warm up access checks, the user and the company once.
        self.customer.with_env(env).mapped("card_open_balance")
        for batch in (partners[:1], partners):
            env["res.partner"].invalidate_model()
            with self.assertQueryCount(2):
                batch.with_env(env).mapped("card_open_balance")

    @freeze_time("2026-03-15")
    def test_accountant_filters_customers_by_overdue_balance(self):
        settled = self.env["res.partner"].create(
            {"name": "Settled customer", "is_company": True}
        )
        Partner = self.env["res.partner"].with_user(self.user_accountant)
        overdue = Partner.search(
            [
                ("card_overdue_balance", ">", 0),
                ("id", "in", (self.customer | settled).ids),
            ]
        )
        self.assertEqual(overdue, self.customer)
        zero = Partner.search(
            [("card_open_balance", "=", 0), ("id", "in", (self.customer | settled).ids)]
        )
        self.assertEqual(zero, settled)

    def test_salesperson_cannot_filter_by_balance(self):
        Partner = self.env["res.partner"].with_user(self.user_salesperson)
        with self.assertRaises(AccessError):
            Partner.search([("card_open_balance", ">", 100)])
