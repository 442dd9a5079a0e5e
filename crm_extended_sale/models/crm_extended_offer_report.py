from odoo import api, fields, models
from odoo.tools import SQL, frozendict


class CrmExtendedOfferReport(models.Model):
    """Quotations in the offer success report: one row per quotation and
    product category, its untaxed amount in company currency."""

    _inherit = "crm_extended.offer.report"
    _depends = frozendict(
        {
            "sale.order": [
                "state",
                "date_order",
                "create_date",
                "user_id",
                "team_id",
                "partner_id",
                "company_id",
                "currency_rate",
                "opportunity_id",
                "campaign_id",
                "source_id",
                "medium_id",
            ],
            "sale.order.line": [
                "order_id",
                "price_subtotal",
                "product_id",
                "display_type",
            ],
            "product.product": ["product_tmpl_id"],
            "product.template": ["categ_id"],
        }
    )

    order_id = fields.Many2one("sale.order", string="Quotation", readonly=True)

    @api.model
    def _offer_quotation_part(self):
        key = SQL("so.id * 2 + 1")
        won = SQL("so.state = 'sale'")
        lost = SQL("so.state = 'cancel'")
        amount = SQL(
            "SUM(line.price_subtotal) / COALESCE(NULLIF(so.currency_rate, 0), 1)"
        )
        # The competitor's price is for the whole deal: each category gets its share.
        competitor_price = SQL(
            """CASE WHEN %(lost)s AND lead.lost_to_competitor_id IS NOT NULL
                     AND COALESCE(lead.competitor_price, 0) != 0
                    THEN lead.competitor_price * SUM(line.price_subtotal)
                         / NULLIF(totals.subtotal, 0) END""",
            lost=lost,
        )
        return self._offer_select(
            SQL("MIN(line.id) * 2 + 1"),
            {
                "offer_type": SQL("'quotation'"),
                "outcome": SQL(
                    "CASE WHEN %s THEN 'won' WHEN %s THEN 'lost' ELSE 'open' END",
                    won,
                    lost,
                ),
                "offer_count": key,
                "won_count": SQL("CASE WHEN %s THEN %s END", won, key),
                "lost_count": SQL("CASE WHEN %s THEN %s END", lost, key),
                "offer_date": SQL("so.date_order::date"),
                "close_date": SQL(
                    "CASE WHEN %s OR %s THEN so.date_order::date END", won, lost
                ),
                "user_id": SQL("so.user_id"),
                "team_id": SQL("so.team_id"),
                "partner_id": SQL("commercial.id"),
                "country_id": SQL("commercial.country_id"),
                "company_id": SQL("so.company_id"),
                "currency_id": SQL("company.currency_id"),
                "lead_id": SQL("so.opportunity_id"),
                "order_id": SQL("so.id"),
                "product_categ_id": SQL("template.categ_id"),
                "lost_reason_id": SQL(
                    "CASE WHEN %s THEN lead.lost_reason_id END", lost
                ),
                "lost_to_competitor_id": SQL(
                    "CASE WHEN %s THEN lead.lost_to_competitor_id END", lost
                ),
                "campaign_id": SQL("so.campaign_id"),
                "source_id": SQL("so.source_id"),
                "medium_id": SQL("so.medium_id"),
                "amount": amount,
                "won_amount": SQL("CASE WHEN %s THEN %s ELSE 0 END", won, amount),
                "lost_amount": SQL("CASE WHEN %s THEN %s ELSE 0 END", lost, amount),
                "competitor_price": competitor_price,
                "price_difference": SQL("%s - %s", competitor_price, amount),
                "days_to_close": SQL(
                    """CASE WHEN %s
                            THEN EXTRACT(EPOCH FROM so.date_order
                                 - COALESCE(lead.create_date, so.create_date))
                                 / 86400.0 END""",
                    won,
                ),
                "win_rate": SQL("CASE WHEN %s THEN 100 WHEN %s THEN 0 END", won, lost),
                "win_rate_amount": SQL(
                    "CASE WHEN %s THEN 100 WHEN %s THEN 0 END", won, lost
                ),
            },
            SQL(
                """sale_order so
                   JOIN sale_order_line line
                     ON line.order_id = so.id AND line.display_type IS NULL
                   JOIN res_partner partner ON partner.id = so.partner_id
                   JOIN res_partner commercial
                     ON commercial.id = partner.commercial_partner_id
                   JOIN res_company company ON company.id = so.company_id
              LEFT JOIN product_product product ON product.id = line.product_id
              LEFT JOIN product_template template
                     ON template.id = product.product_tmpl_id
              LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
              LEFT JOIN LATERAL (
                     SELECT SUM(order_line.price_subtotal) AS subtotal
                       FROM sale_order_line order_line
                      WHERE order_line.order_id = so.id
                        AND order_line.display_type IS NULL
                   ) totals ON TRUE
               GROUP BY so.id, template.categ_id, commercial.id, company.id, lead.id,
                        totals.subtotal"""
            ),
        )

    @api.model
    def _offer_parts(self):
        return super()._offer_parts() + [self._offer_quotation_part()]

    def _offer_document_column(self, offer_type):
        if offer_type == "quotation":
            return "order_id"
        return super()._offer_document_column(offer_type)

    @api.model
    def _offer_competitor_pairs(self):
        return SQL(
            "%s UNION ALL SELECT 'quotation', order_id, competitor_id "
            "FROM sale_order_crm_extended_competitor_rel",
            super()._offer_competitor_pairs(),
        )
