from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    competitor_ids = fields.Many2many(
        "crm_extended.competitor",
        "crm_lead_crm_extended_competitor_rel",
        "lead_id",
        "competitor_id",
        string="Competitors",
        help="The competitors also offering to this customer for this deal.",
    )
    lost_to_competitor_id = fields.Many2one(
        "crm_extended.competitor",
        string="Lost to Competitor",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="The competitor that won the order, when known.",
    )
    competitor_price = fields.Monetary(
        string="Competitor's Price",
        currency_field="company_currency",
        tracking=True,
        copy=False,
        help="The price the competitor won the order at, when known, in the "
        "company's currency.",
    )
    competitor_price_difference = fields.Monetary(
        string="Competitor's Price Difference",
        currency_field="company_currency",
        compute="_compute_competitor_price_difference",
        help="The competitor's price minus our expected revenue: below zero when "
        "the competitor was cheaper.",
    )

    @api.depends("competitor_price", "expected_revenue", "lost_to_competitor_id")
    def _compute_competitor_price_difference(self):
        for lead in self:
            lead.competitor_price_difference = (
                lead.competitor_price - lead.expected_revenue
                if lead.lost_to_competitor_id and lead.competitor_price
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._crm_add_winner_to_competitors()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if vals.get("lost_to_competitor_id"):
            self._crm_add_winner_to_competitors()
        return result

    def _crm_add_winner_to_competitors(self):
        """The competitor we lost to was in play, whether recorded before or not."""
        for lead in self.filtered("lost_to_competitor_id"):
            if lead.lost_to_competitor_id not in lead.competitor_ids:
                lead.competitor_ids = [
                    fields.Command.link(lead.lost_to_competitor_id.id)
                ]

    def toggle_active(self):
        """A restored opportunity is no longer lost to anyone."""
        result = super().toggle_active()
        self.filtered(lambda lead: lead.active and lead.lost_to_competitor_id).write(
            {"lost_to_competitor_id": False, "competitor_price": 0.0}
        )
        return result
