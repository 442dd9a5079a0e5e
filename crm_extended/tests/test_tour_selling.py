from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSellingTour(HttpCase):
    """A salesperson marks an opportunity lost to a competitor and sees it on
    the customer's card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            login="tour_selling",
            groups="base.group_user,base.group_partner_manager,"
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Selling Customer a.s.", "is_company": True}
        )
        cls.rival = cls.env["crm_extended.competitor"].create({"name": "Tour Rival"})
        cls.env["crm.lost.reason"].create({"name": "Tour: too expensive"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tour lathe deal",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "expected_revenue": 5000.0,
                "user_id": cls.salesperson.id,
            }
        )

    def test_lost_to_competitor_shows_on_the_card(self):
        self.start_tour(
            f"/odoo/action-crm.crm_lead_opportunities/{self.lead.id}",
            "crm_extended_selling_lost",
            login="tour_selling",
        )
        self.assertFalse(self.lead.active)
        self.assertEqual(self.lead.lost_to_competitor_id, self.rival)
        self.assertAlmostEqual(self.lead.competitor_price, 4200.0)
