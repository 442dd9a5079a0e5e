from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCampaignQuickEntryTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create(
            {"title": "Tour fair", "campaign_type": "exhibition"}
        )
        cls.visitor = cls.env["res.partner"].create(
            {"name": "Stand Visitor s.r.o.", "is_company": True}
        )
        # A member of this fair, and one of another campaign the quick entry must
        # not list, even after a browser reload.
        regular, other = cls.env["res.partner"].create(
            [{"name": "Stand Regular a.s."}, {"name": "Other Fair Visitor s.r.o."}]
        )
        other_campaign = cls.env["utm.campaign"].create(
            {"title": "Other fair", "campaign_type": "exhibition"}
        )
        cls.env["crm_extended.campaign.member"].create(
            [
                {"campaign_id": cls.campaign.id, "partner_id": regular.id},
                {"campaign_id": other_campaign.id, "partner_id": other.id},
            ]
        )
        new_test_user(
            cls.env,
            login="tour_stand",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )

    def test_quick_entry_at_the_stand(self):
        self.start_tour(
            f"/odoo/action-crm_extended.action_campaign_responses/{self.campaign.id}",
            "crm_extended_campaign_quick_entry",
            login="tour_stand",
        )
        member = self.campaign.member_ids.filtered(
            lambda member: member.partner_id == self.visitor
        )
        self.assertEqual(len(self.campaign.member_ids), 2)
        self.assertEqual(member.status.name, "Visited stand")
        self.assertEqual(member.response_channel, "stand")
        self.assertTrue(member.responded)
        self.assertEqual(member.lead_ids.campaign_id, self.campaign)
        self.assertIn("two lathes", member.lead_ids.description)
