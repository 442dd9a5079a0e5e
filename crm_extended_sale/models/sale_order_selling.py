from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    competitor_ids = fields.Many2many(
        "crm_extended.competitor",
        "sale_order_crm_extended_competitor_rel",
        "order_id",
        "competitor_id",
        string="Competitors",
        compute="_compute_competitor_ids",
        store=True,
        readonly=False,
        help="The competitors also offering to this customer; those of the "
        "opportunity by default.",
    )

    @api.depends("opportunity_id")
    def _compute_competitor_ids(self):
        for order in self:
            if order.opportunity_id and not order.competitor_ids:
                order.competitor_ids = order.opportunity_id.competitor_ids
