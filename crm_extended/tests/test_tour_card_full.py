from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCardFullTour(HttpCase):
    """Opens the demo card of Moravská strojírna and walks every tab of the card."""

    def test_demo_card_tabs_and_figures(self):
        customer = self.env.ref("crm_extended.partner_cz_moravska")
        new_test_user(
            self.env,
            login="tour_card_accountant",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_accountant",
        )
        self.start_tour(
            f"/odoo/contacts/{customer.id}",
            "crm_extended_card_full",
            login="tour_card_accountant",
        )
