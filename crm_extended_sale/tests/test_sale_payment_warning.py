"""Quotations of risky customers: warning banner, chatter note, blocking."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.crm_extended.tests.payment_common import TODAY, PaymentTestCommon

NOTE = "Confirmed despite a payment warning"


@tagged("post_install", "-at_install")
class TestSalePaymentWarning(PaymentTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bad_payer = cls.new_customer("Bad Payer a.s.")
        cls.post_invoice(cls.bad_payer, 700.0, "2026-01-01", "2026-01-31")
        cls.good_payer = cls.new_customer("Good Payer s.r.o.")
        invoice = cls.post_invoice(cls.good_payer, 400.0, "2026-05-01", "2026-05-31")
        cls.pay(invoice, "2026-05-30")
        cls.engine._refresh([cls.bad_payer.id, cls.good_payer.id], today=TODAY)
        cls.user_salesperson.groups_id |= cls.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )

    def new_order(self, partner, amount=100.0, user=None):
        env = self.env(user=user) if user else self.env
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def notes(self, order):
        return [body for body in order.message_ids.mapped("body") if NOTE in body]

    def test_grades(self):
        self.assertEqual(self.bad_payer.payment_grade, "E")
        self.assertEqual(self.good_payer.payment_grade, "A")

    def test_quotation_warns_for_grade_e_not_for_a(self):
        risky = self.new_order(self.bad_payer)
        self.assertIn("Bad Payer a.s. has payment grade E.", risky.crm_payment_warning)
        self.assertIn("overdue for 150 days", risky.crm_payment_warning)
        # The same sentence as on a draft invoice (one shared helper).
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.bad_payer.id}
        )
        self.assertEqual(risky.crm_payment_warning, draft.crm_payment_warning)
        # An order for a contact person warns about its company.
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.bad_payer.id}
        )
        self.assertIn("grade E", self.new_order(contact).crm_payment_warning)
        self.assertFalse(self.new_order(self.good_payer).crm_payment_warning)

    def test_confirming_despite_the_warning_leaves_a_note(self):
        risky = self.new_order(self.bad_payer)
        risky.action_confirm()
        self.assertEqual(risky.state, "sale")
        self.assertFalse(risky.crm_payment_warning)  # confirmed: no banner any more
        (note,) = self.notes(risky)
        self.assertIn("payment grade E", note)
        self.assertIn("overdue for 150 days", note)
        safe = self.new_order(self.good_payer)
        safe.action_confirm()
        self.assertEqual(safe.state, "sale")
        self.assertFalse(self.notes(safe))

    def test_blocking_refuses_with_the_reason(self):
        self.env.company.crm_payment_block_posting = True
        risky = self.new_order(self.bad_payer)
        with self.assertRaisesRegex(UserError, "overdue for 150 days") as caught:
            risky.action_confirm()
        self.assertIn(risky.name, str(caught.exception))
        self.assertEqual(risky.state, "draft")
        safe = self.new_order(self.good_payer)
        safe.action_confirm()
        self.assertEqual(safe.state, "sale")

    def test_credit_limit_warns_then_blocks(self):
        self.env.company.account_use_credit_limit = True
        self.good_payer.credit_limit = 50.0
        order = self.new_order(self.good_payer, 100.0, user=self.user_salesperson)
        # Sale's own banner names the limit; ours does not repeat it.
        self.assertIn("credit limit", order.partner_credit_warning)
        self.assertFalse(order.crm_payment_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        (note,) = self.notes(order)
        self.assertIn("has reached its credit limit", note)
        self.assertNotIn("grade", note)

        self.env.company.crm_payment_block_posting = True
        # 10 alone is under the limit: the confirmed order above counts too.
        blocked = self.new_order(self.good_payer, 10.0, user=self.user_salesperson)
        with self.assertRaisesRegex(UserError, "has reached its credit limit"):
            blocked.action_confirm()
        self.assertEqual(blocked.state, "draft")
        self.good_payer.credit_limit = 0.0
        blocked.action_confirm()
        self.assertEqual(blocked.state, "sale")

    def test_salesperson_cannot_forge_the_grade_that_blocks_the_order(self):
        """Issue 13: the grade is the system's; a salesperson writing A on a
        grade-E customer is refused and the quotation stays blocked."""
        self.env.company.crm_payment_block_posting = True
        self.user_salesperson.groups_id |= self.env.ref("base.group_partner_manager")
        partner = self.bad_payer.with_user(self.user_salesperson)
        for values in (
            {"payment_grade": "A"},
            {"payment_grade_data": '{"grade": "A", "reason": "fast"}'},
            {"registry_status": "ok"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                partner.write(values)
        order = self.new_order(self.bad_payer, user=self.user_salesperson)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
