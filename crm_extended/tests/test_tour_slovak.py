from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSlovakCardTour(HttpCase):
    """A Slovak accountant finds the card's tabs under their Slovak names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("sk_SK")
        cls.env["ir.module.module"]._load_module_terms(["crm_extended"], ["sk_SK"])
        cls.customer = cls.env["res.partner"].create(
            {"name": "Slovenský zákazník s.r.o.", "is_company": True}
        )
        new_test_user(
            cls.env,
            login="tour_sk_accountant",
            lang="sk_SK",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_accountant",
        )

    def test_card_tabs_in_slovak(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_card_slovak",
            login="tour_sk_accountant",
        )
