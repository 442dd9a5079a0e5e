from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    """Marking opportunities lost also asks who won the order and at what price."""

    _inherit = "crm.lead.lost"

    lost_to_competitor_id = fields.Many2one(
        "crm_extended.competitor",
        string="Lost to Competitor",
        compute="_compute_lost_to_competitor_id",
        store=True,
        readonly=False,
        help="The competitor that won the order, when known.",
    )
    competitor_price = fields.Monetary(
        string="Competitor's Price",
        currency_field="currency_id",
        help="The price the competitor won at, when known.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    @api.depends("lead_ids")
    def _compute_lost_to_competitor_id(self):
        """The only competitor in play is the likely winner."""
        for wizard in self:
            in_play = wizard.lead_ids.competitor_ids
            wizard.lost_to_competitor_id = in_play if len(in_play) == 1 else False

    @api.depends("lead_ids")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = (
                wizard.lead_ids[:1].company_currency or self.env.company.currency_id
            )

    def action_lost_reason_apply(self):
        # Read the answer first: archiving the leads recomputes the wizard.
        leads = self.lead_ids
        winner = {
            "lost_to_competitor_id": self.lost_to_competitor_id.id,
            "competitor_price": self.competitor_price,
        }
        result = super().action_lost_reason_apply()
        if winner["lost_to_competitor_id"]:
            leads.write(winner)
        return result
