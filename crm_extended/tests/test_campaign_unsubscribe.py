from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCampaignUnsubscribe(HttpCase):
    def test_unsubscribe_link_marks_the_member(self):
        campaign = self.env["utm.campaign"].create(
            {"title": "Unsubscribe test", "campaign_type": "mailing"}
        )
        partner = self.env["res.partner"].create(
            {"name": "Leaving Customer", "email": "leaving@example.com"}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "News",
                "body_html": "<p>News</p>",
                "mailing_model_id": self.env.ref("base.model_res_partner").id,
                "campaign_id": campaign.id,
            }
        )
        self.env["mailing.trace"].create(
            {
                "model": "res.partner",
                "res_id": partner.id,
                "email": partner.email,
                "mass_mailing_id": mailing.id,
            }
        ).set_opened()
        member = campaign.member_ids
        self.assertEqual(member.status.name, "Opened")
        url = mailing._get_unsubscribe_url(partner.email, partner.id)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        member.invalidate_recordset()
        self.assertEqual(
            member.status, self.env.ref("crm_extended.campaign_status_unsubscribed")
        )
        # It had opened the mail before: that first response stays counted.
        self.assertTrue(member.responded)
