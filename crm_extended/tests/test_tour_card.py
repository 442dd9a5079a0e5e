from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer a.s.", "is_company": True}
        )
        new_test_user(
            cls.env,
            login="tour_accountant",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_accountant",
        )

    def test_customer_card_tab_shows_balance(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_card_tab",
            login="tour_accountant",
        )
