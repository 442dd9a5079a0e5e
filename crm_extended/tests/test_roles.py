from odoo.tests import new_test_user, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardRoles(CardTestCommon):
    def test_roles_are_nested(self):
        self.assertTrue(
            self.user_manager.has_group("crm_extended.group_card_accountant")
        )
        self.assertTrue(self.user_manager.has_group("crm_extended.group_card_user"))
        self.assertTrue(self.user_accountant.has_group("crm_extended.group_card_user"))
        self.assertFalse(
            self.user_accountant.has_group("crm_extended.group_card_manager")
        )
        self.assertFalse(
            self.user_salesperson.has_group("crm_extended.group_card_accountant")
        )
        self.assertFalse(self.user_internal.has_group("crm_extended.group_card_user"))

    def test_odoo_roles_grant_card_roles(self):
        seller = new_test_user(
            self.env, login="own_docs_seller", groups="sales_team.group_sale_salesman"
        )
        biller = new_test_user(
            self.env, login="biller", groups="account.group_account_invoice"
        )
        sales_admin = new_test_user(
            self.env, login="sales_admin", groups="sales_team.group_sale_manager"
        )
        self.assertTrue(seller.has_group("crm_extended.group_card_user"))
        self.assertFalse(seller.has_group("crm_extended.group_card_accountant"))
        # Registry evidence, campaign costs and margins are not the Billing users'
        # or Sales administrators' to read by default (readme/CONFIGURE.md).
        self.assertFalse(biller.has_group("crm_extended.group_card_user"))
        self.assertTrue(sales_admin.has_group("crm_extended.group_card_user"))
        self.assertFalse(sales_admin.has_group("crm_extended.group_card_manager"))

    def test_roles_live_in_customer_card_category(self):
        category = self.env.ref("crm_extended.module_category_customer_card")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(
            set(groups.get_external_id().values()),
            {
                "crm_extended.group_card_user",
                "crm_extended.group_card_accountant",
                "crm_extended.group_card_manager",
            },
        )
