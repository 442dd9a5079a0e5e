from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Campaign responses -------------------------------------------------------
    card_campaign_member_ids = fields.Many2many(
        "crm_extended.campaign.member",
        string="Campaigns",
        compute="_compute_card_campaign_member_ids",
        help="Every campaign this company or its contacts were members of.",
    )
    card_campaign_count = fields.Integer(compute="_compute_card_campaign_member_ids")

    def _compute_card_campaign_member_ids(self):
        members = self.env["crm_extended.campaign.member"].search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )
        for partner in self:
            own = members.filtered(
                lambda m, partner=partner: (
                    m.commercial_partner_id == partner.commercial_partner_id
                )
            )
            partner.card_campaign_member_ids = own
            partner.card_campaign_count = len(own.campaign_id)

    def action_view_card_campaign_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_campaign_member"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"create": False}
        return action
