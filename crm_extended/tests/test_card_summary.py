"""The card's summary strip (issue 15): what each role sees at the top of the card,
the tab it opens on, its own smart buttons, and a query budget that does not grow
with the number of customers."""

from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models import res_partner_card_summary as card_summary
from .payment_common import TODAY, PaymentTestCommon

STRIP_FIELDS = (
    "payment_grade",
    "payment_grade_reason",
    "card_open_balance",
    "card_overdue_balance",
    "payment_overdue_max_days",
    "card_credit_limit",
    "card_credit_limit_use",
    "card_last_payment_date",
    "card_last_payment_amount",
    "card_dso",
    "payment_ageing_not_due",
    "payment_ageing_1_30",
    "payment_ageing_31_60",
    "payment_ageing_61_90",
    "payment_ageing_over_90",
)
AMOUNTS = (
    "card_open_balance",
    "card_overdue_balance",
    "card_credit_limit",
    "card_credit_limit_use",
    "card_last_payment_amount",
    "payment_ageing_not_due",
    "payment_ageing_over_90",
)


@tagged("post_install", "-at_install")
class TestCardSummary(PaymentTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payer = cls.new_customer("Súhrn s.r.o.")
        first = cls.post_invoice(cls.payer, 800.0, "2026-04-01", "2026-04-30")
        cls.pay(first, "2026-05-10", amount=300.0)
        second = cls.post_invoice(cls.payer, 200.0, "2026-05-01", "2026-05-31")
        cls.pay(second, "2026-06-05")
        cls.env.company.account_use_credit_limit = True
        cls.payer.credit_limit = 2000.0
        with freeze_time(TODAY):
            cls.env.cr.flush()  # the pre-commit refresh of the stored figures

    def form(self, user):
        views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    @freeze_time("2026-06-30")
    def test_strip_figures(self):
        payer = self.payer.with_user(self.user_accountant)
        self.assertEqual(payer.card_open_balance, 500.0)
        self.assertEqual(payer.card_credit_limit, 2000.0)
        self.assertEqual(payer.card_credit_limit_use, 25.0)
        # The last payment is the later one, whatever the invoice it paid.
        self.assertEqual(str(payer.card_last_payment_date), "2026-06-05")
        self.assertEqual(payer.card_last_payment_amount, 200.0)
        self.assertEqual(payer.payment_overdue_max_days, 61)
        # Core's DSO: 500 owed of 1000 invoiced over the 90 days since the first
        # invoice; a salesperson may read it too.
        self.assertEqual(payer.card_dso, 45.0)
        self.assertEqual(payer.with_user(self.user_salesperson).card_dso, 45.0)
        # Without Odoo's credit limits the strip shows none.
        self.env.company.account_use_credit_limit = False
        payer.invalidate_recordset()
        self.assertEqual((payer.card_credit_limit, payer.card_credit_limit_use), (0, 0))

    @freeze_time("2026-06-30")
    def test_dso_follows_the_invoices_the_reader_may_read(self):
        """A reader who may read invoices sees core's DSO of the invoices it may
        read, on the card as on the account form; a card user who may not read
        invoices sees the ratio of all of them, and that value does not stand
        for core's field afterwards."""
        self.env["ir.rule"].create(
            {
                "name": "Only the invoices one is responsible for",
                "model_id": self.env.ref("account.model_account_move").id,
                "domain_force": "[('invoice_user_id', '=', user.id)]",
            }
        )
        billing = new_test_user(
            self.env,
            login="card_billing",
            groups="base.group_user,account.group_account_invoice,"
            "crm_extended.group_card_user",
        )
        payer = self.payer.with_user(billing)
        self.assertEqual(payer.card_dso, 0.0)  # none of its invoices
        self.assertEqual(payer.days_sales_outstanding, 0.0)
        # The card's accountant here has no Odoo invoicing right.
        accountant = self.payer.with_user(self.user_accountant)
        self.assertEqual(accountant.card_dso, 45.0)
        with self.assertRaises(AccessError):
            accountant.read(["days_sales_outstanding"])
        self.assertEqual(payer.days_sales_outstanding, 0.0)

    def test_salesperson_sees_grade_days_and_dates_but_no_amounts(self):
        payer = self.payer.with_user(self.user_salesperson)
        values = payer.read(
            ["payment_grade", "payment_overdue_max_days", "card_last_payment_date"]
        )[0]
        self.assertEqual(values["payment_overdue_max_days"], 61)
        self.assertEqual(str(values["card_last_payment_date"]), "2026-06-05")
        for field in AMOUNTS:
            with self.assertRaises(AccessError):
                payer.read([field])
        arch = self.form(self.user_salesperson)
        strip = arch.xpath("//div[@name='crm_card_strip']")[0]
        names = set(strip.xpath(".//field/@name"))
        self.assertIn("payment_grade", names)
        self.assertIn("payment_overdue_max_days", names)
        self.assertFalse(names & set(AMOUNTS))
        self.assertFalse(arch.xpath("//div[@name='crm_card_strip_ageing']"))

    def test_card_tab_first_with_strip_and_ageing_on_top(self):
        arch = self.form(self.user_accountant)
        pages = arch.xpath("//notebook/page")
        self.assertEqual(pages[0].get("name"), "crm_card")
        self.assertEqual(pages[0].get("autofocus"), "autofocus")
        self.assertFalse(arch.xpath("//page[@name='contact_addresses']/@autofocus"))
        children = [child.get("name") for child in pages[0]]
        self.assertEqual(children[:2], ["crm_card_strip", "crm_card_strip_ageing"])
        strip_fields = set(pages[0].xpath("./div[1]//field/@name"))
        ageing_fields = set(pages[0].xpath("./div[2]//field/@name"))
        self.assertEqual(strip_fields | ageing_fields, set(STRIP_FIELDS))
        self.assertTrue(
            pages[0].xpath("./div[2]//button[@name='action_payment_instalments']")
        )

    def test_card_buttons_are_not_in_the_button_box(self):
        arch = self.form(self.user_accountant)
        box = {name for name in arch.xpath("//div[@name='button_box']/button/@name")}
        header = arch.xpath("//div[@name='crm_card_buttons']")[0]
        own = set(header.xpath("./button/@name"))
        expected = {
            "action_card_contracts",
            "action_card_complaints",
            "action_payment_trend",
            "action_view_registry_checks",
            "action_crm_view_calls",
            "action_card_invoices",
            "action_card_timeline",
        }
        self.assertEqual(own, expected)
        # Only the contacts' Calls button stays in the box (hidden on companies).
        self.assertEqual(box & expected, {"action_crm_view_calls"})
        calls = arch.xpath(
            "//div[@name='button_box']/button[@name='action_crm_view_calls']"
        )
        self.assertIn("is_company", calls[0].get("invisible"))

    def test_strip_query_count_does_not_grow_with_customers(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Strip {n}", "is_company": True} for n in range(10)]
        )
        for partner in partners:
            invoice = self.post_invoice(partner, 100.0, "2026-05-01", "2026-05-31")
            self.pay(invoice, "2026-06-02", amount=40.0)
        env = self.env(user=self.user_accountant)
        spec = {name: {} for name in STRIP_FIELDS}
        env["res.partner"].browse(partners.ids).web_read(spec)  # warm-up
        for batch in (partners[:1], partners):
            env.invalidate_all()
            env["res.partner"].browse(batch.ids).mapped("name")
            self.env.flush_all()
            # The balances and the ageing share one query on the open items.
            with self.assertQueryCount(12):
                values = env["res.partner"].browse(batch.ids).web_read(spec)
        self.assertEqual({row["card_open_balance"] for row in values}, {60.0})
        self.assertEqual({row["card_last_payment_amount"] for row in values}, {40.0})

    def test_last_payment_behind_a_run_of_refunds(self):
        """The last payment is found however many newer non-payments (money sent
        back to the customer) stand in front of it, by its contact or by the
        company, whether it lies within the newest lines read or behind them."""
        customer = self.new_customer("Vrátenky s.r.o.")
        contact = self.env["res.partner"].create(
            {"name": "Účtovníčka", "parent_id": customer.id}
        )
        self.post_invoice(customer, 1000.0, "2026-04-01", "2026-04-30")
        self.receive_payment(customer, 100.0, "2026-04-20")
        self.receive_payment(contact, 300.0, "2026-05-10")
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        for day, partner in (("11", customer), ("12", contact), ("13", customer)):
            refund = self.env["account.payment"].create(
                {
                    "payment_type": "outbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": 10.0,
                    "date": f"2026-05-{day}",
                    "journal_id": journal.id,
                }
            )
            refund.action_post()
        self.env.flush_all()
        for depth in (1, 2, 3, 20):
            with patch.object(card_summary, "LAST_PAYMENT_DEPTH", depth):
                for partner in (customer, contact):
                    reader = partner.with_user(self.user_accountant)
                    reader.invalidate_recordset()
                    self.assertEqual(
                        (
                            str(reader.card_last_payment_date),
                            reader.card_last_payment_amount,
                        ),
                        ("2026-05-10", 300.0),
                        f"depth {depth}, {partner.name}",
                    )
