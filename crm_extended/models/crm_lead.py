from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    campaign_member_id = fields.Many2one(
        "crm_extended.campaign.member",
        string="Campaign Response",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The campaign response this opportunity came from.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(
            lambda lead: (
                lead.campaign_id and lead.partner_id and not lead.campaign_member_id
            )
        )._link_campaign_member()
        return leads

    def _link_campaign_member(self):
        """Link leads of a campaign to the partner's membership in it, if any."""
        members = (
            self.env["crm_extended.campaign.member"]
            .sudo()
            .search(
                [
                    ("campaign_id", "in", self.campaign_id.ids),
                    (
                        "commercial_partner_id",
                        "in",
                        self.partner_id.commercial_partner_id.ids,
                    ),
                ]
            )
        )
        for lead in self:
            candidates = members.filtered(
                lambda m, lead=lead: (
                    m.campaign_id == lead.campaign_id
                    and m.commercial_partner_id == lead.partner_id.commercial_partner_id
                )
            )
            exact = candidates.filtered(
                lambda m, lead=lead: m.partner_id == lead.partner_id
            )
            member = (exact or candidates)[:1]
            if member:
                lead.campaign_member_id = member.id
