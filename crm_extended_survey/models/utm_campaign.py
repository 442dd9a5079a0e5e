from odoo import fields, models
from odoo.exceptions import UserError


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    crm_nps_survey_id = fields.Many2one(
        "survey.survey",
        string="NPS Survey",
        help="The survey this campaign sends its members to measure the NPS.",
    )

    def action_crm_send_nps_survey(self):
        """Odoo's survey invitation, addressed to the campaign's members."""
        self.ensure_one()
        if not self.crm_nps_survey_id:
            raise UserError(self.env._("Choose the campaign's NPS survey first."))
        action = self.crm_nps_survey_id.action_send_survey()
        action["context"] = dict(
            action["context"],
            default_partner_ids=self.member_ids.partner_id.ids,
        )
        return action
