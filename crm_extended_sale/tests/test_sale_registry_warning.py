"""Quotations of companies with a registry risk: banner, note, blocking per kind."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.crm_extended.tests.registry_risk_common import RegistryRiskCommon

NOTE = "Confirmed despite a registry warning"


@tagged("post_install", "-at_install")
class TestSaleRegistryWarning(RegistryRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_salesperson.groups_id |= cls.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )

    def quotation(self, partner, user=None):
        env = self.env(user=user) if user else self.env
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def notes(self, order):
        return [body for body in order.message_ids.mapped("body") if NOTE in body]

    def test_salesperson_is_warned_and_confirming_leaves_a_note(self):
        for partner in self.risky:
            order = self.quotation(partner, self.user_salesperson)
            self.assertIn("Registry risk for", order.crm_registry_warning)
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertFalse(order.crm_registry_warning)
            self.assertEqual(len(self.notes(order)), 1)
        # A contact person's order warns about the company.
        buyer = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.stavmont.id}
        )
        order = self.quotation(buyer, self.user_salesperson)
        self.assertIn("Sociálna poisťovňa: debt", order.crm_registry_warning)
        safe = self.quotation(self.cez, self.user_salesperson)
        self.assertFalse(safe.crm_registry_warning)
        safe.action_confirm()
        self.assertFalse(self.notes(safe))

    def test_blocking_kinds_refuse_the_confirmation(self):
        self.block("insolvency", "debtor")
        for partner in self.sberbank | self.stavmont:
            order = self.quotation(partner, self.user_salesperson)
            with self.assertRaisesRegex(UserError, "is blocked"):
                order.action_confirm()
            self.assertEqual(order.state, "draft")
        # Grounds for VAT deregistration do not block here: only warn.
        order = self.quotation(self.agro, self.user_salesperson)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(self.notes(order))
