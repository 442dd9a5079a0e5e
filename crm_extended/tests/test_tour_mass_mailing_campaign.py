"""Issue 13, case 9: Odoo's own Email Marketing tour "mailing_campaign" (add a
mailing from the campaign form) passes with the customer card installed."""

from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo
from odoo.addons.mass_mailing.tests.common import MassMailCommon


@tagged("post_install", "-at_install")
class TestCoreMailingCampaignTour(MassMailCommon, HttpCaseWithUserDemo):
    """The set-up of mass_mailing's own TestMailingUi.test_mailing_campaign_tour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_marketing.write(
            {
                "groups_id": [
                    (4, cls.env.ref("mail.group_mail_template_editor").id),
                    (4, cls.env.ref("mass_mailing.group_mass_mailing_campaign").id),
                ],
            }
        )

    def test_add_a_mailing_from_the_campaign_form(self):
        campaign = self.env["utm.campaign"].create(
            {
                "name": "Test Newsletter",
                "user_id": self.env.ref("base.user_admin").id,
                "tag_ids": [(4, self.env.ref("utm.utm_tag_1").id)],
            }
        )
        self.env["mailing.mailing"].create(
            {
                "name": "First Mailing to disply x2many",
                "subject": "Bioutifoul mailing",
                "state": "draft",
                "campaign_id": campaign.id,
            }
        )
        self.env["mailing.list"].create({"name": "Test Newsletter"})
        self._build_assets()
        self.start_tour("/odoo", "mailing_campaign", login="user_marketing")
        mailing = self.env["mailing.mailing"].search([("subject", "=", "TestFromTour")])
        self.assertEqual(mailing.campaign_id, campaign)

    def _build_assets(self):
        """Build the bundles the tour loads before it starts: the tour's steps
        wait 10 seconds each, and building the mail editor's bundles takes longer
        on a loaded test machine (nothing else differs from Odoo's own test)."""
        QWeb = self.env["ir.qweb"]
        for bundle in (
            "web.assets_web",
            "mass_mailing.assets_wysiwyg",
            "mass_mailing.assets_snippets_menu",
            "mass_mailing.iframe_css_assets_edit",
        ):
            assets = QWeb._get_asset_bundle(bundle)
            assets.js()
            assets.css()
