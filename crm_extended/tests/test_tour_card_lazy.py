from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCardLazyTour(HttpCase):
    """A tab read when it is shown follows the card's pager to the next customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="tour_lazy_seller",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_user",
        )
        for name in ("Lazy Pager Alpha", "Lazy Pager Beta"):
            customer = cls.env["res.partner"].create({"name": name, "is_company": True})
            customer.message_post(
                body="Tour note",
                subject=f"Pager note of {name}",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def test_lazy_tab_follows_the_pager(self):
        self.start_tour(
            "/odoo/contacts",
            "crm_extended_card_lazy_pager",
            login="tour_lazy_seller",
        )
