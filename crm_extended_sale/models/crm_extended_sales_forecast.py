from odoo import api, fields, models
from odoo.tools import SQL, frozendict


class CrmExtendedSalesForecast(models.Model):
    """Quotations awaiting confirmation in the forecast, by the month they are
    expected: the opportunity's expected closing, else the quotation's expiry,
    else its date."""

    _inherit = "crm_extended.sales.forecast"
    _depends = frozendict(
        {
            "sale.order": [
                "state",
                "date_order",
                "validity_date",
                "user_id",
                "team_id",
                "partner_id",
                "company_id",
                "currency_rate",
                "amount_untaxed",
                "opportunity_id",
            ],
            "account.move": ["team_id"],
        }
    )

    order_id = fields.Many2one("sale.order", string="Quotation", readonly=True)

    @api.model
    def _forecast_quotation_part(self):
        return self._forecast_select(
            SQL("so.id * 8 + 2"),
            {
                "kind": SQL("'quotation'"),
                "month": SQL(
                    "DATE_TRUNC('month', COALESCE(lead.date_deadline, "
                    "so.validity_date, so.date_order::date))::date"
                ),
                "user_id": SQL("so.user_id"),
                "team_id": SQL("so.team_id"),
                "partner_id": SQL("commercial.id"),
                "country_id": SQL("commercial.country_id"),
                "company_id": SQL("so.company_id"),
                "currency_id": SQL("company.currency_id"),
                "lead_id": SQL("so.opportunity_id"),
                "order_id": SQL("so.id"),
                "quotation_amount": SQL(
                    "so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)"
                ),
            },
            SQL(
                """sale_order so
                   JOIN res_partner partner ON partner.id = so.partner_id
                   JOIN res_partner commercial
                     ON commercial.id = partner.commercial_partner_id
                   JOIN res_company company ON company.id = so.company_id
              LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id
                  WHERE so.state IN ('draft', 'sent')"""
            ),
        )

    def _document_fields(self):
        return ["order_id", *super()._document_fields()]

    @api.model
    def _forecast_parts(self):
        return super()._forecast_parts() + [self._forecast_quotation_part()]

    @api.model
    def _forecast_turnover_team(self):
        """With Sales, the invoice's own team, else the salesperson's."""
        return SQL("COALESCE(move.team_id, %s)", super()._forecast_turnover_team())
