from odoo import api, fields, models
from odoo.tools import SQL, frozendict

from ..services.card_periods import period_bounds
from ..services.selling import percent
from .crm_extended_sales_forecast import user_team_sql


class CrmExtendedPotentialReport(models.Model):
    """Customers by unused potential, in the current company.

    One row per customer (commercial partner) with a yearly potential, entered
    or taken from its segments, against its turnover of the last 12 months as
    the card counts it (the lines of crm_extended.sale.report).
    """

    _name = "crm_extended.potential.report"
    _inherit = "crm_extended.segment.report.mixin"
    _description = "Unused Sales Potential"
    _auto = False
    _order = "unused_potential desc, id"
    _rec_name = "partner_id"
    _depends = frozendict(
        {
            "res.partner": [
                "sales_potential",
                "crm_segment_value_ids",
                "commercial_partner_id",
                "user_id",
                "country_id",
                "active",
            ],
            "crm_extended.segment.value": ["default_potential", "active"],
            "account.move": ["state", "invoice_date", "move_type", "company_id"],
            "account.move.line": ["balance", "display_type", "move_id"],
        }
    )

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    segment_value_ids = fields.Many2many(
        related="partner_id.crm_segment_value_ids", string="Segments"
    )
    potential = fields.Monetary(string="Yearly Potential", readonly=True)
    from_segment = fields.Boolean(
        string="Potential from Segment",
        readonly=True,
        help="No potential is entered on the customer: its segments' default applies.",
    )
    turnover_12m = fields.Monetary(string="Turnover Last 12 Months", readonly=True)
    sales_yield = fields.Float(
        string="Yield (%)",
        aggregator="max",
        digits=(16, 1),
        readonly=True,
        help="Turnover of the last 12 months in percent of the potential.",
    )
    unused_potential = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        company = self.env.company
        company_key = str(company.id)
        date_from, date_to = period_bounds(fields.Date.context_today(self))["last_12m"]
        sale_report = self.env["crm_extended.sale.report"]
        return SQL(
            """
            WITH turnover AS (
                SELECT report.partner_id, SUM(report.turnover) AS amount
                  FROM %(sale_report)s report
                 WHERE report.company_id = %(company)s
                   AND report.invoice_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY report.partner_id
            ),
            potential AS (
                SELECT partner.id AS partner_id,
                       COALESCE(entered.amount, segment.amount) AS amount,
                       entered.amount IS NULL AS from_segment
                  FROM res_partner partner
                 CROSS JOIN LATERAL (
                    SELECT NULLIF(
                               (partner.sales_potential->>%(company_key)s)::numeric, 0
                           ) AS amount
                   ) entered
             LEFT JOIN LATERAL (
                    SELECT MAX((value.default_potential->>%(company_key)s)::numeric)
                               AS amount
                      FROM crm_extended_partner_segment_rel rel
                      JOIN crm_extended_segment_value value ON value.id = rel.value_id
                     WHERE rel.partner_id = partner.id
                       AND value.active
                   ) segment ON TRUE
                 WHERE partner.active
                   AND partner.id = partner.commercial_partner_id
            )
            SELECT partner.id,
                   partner.id AS partner_id,
                   partner.user_id,
                   %(team)s AS team_id,
                   partner.country_id,
                   %(company)s AS company_id,
                   %(currency)s AS currency_id,
                   potential.amount AS potential,
                   potential.from_segment,
                   COALESCE(turnover.amount, 0) AS turnover_12m,
                   100.0 * COALESCE(turnover.amount, 0) / potential.amount
                       AS sales_yield,
                   GREATEST(potential.amount - COALESCE(turnover.amount, 0), 0)
                       AS unused_potential
              FROM potential
              JOIN res_partner partner ON partner.id = potential.partner_id
         LEFT JOIN turnover ON turnover.partner_id = potential.partner_id
             WHERE potential.amount > 0
            """,
            sale_report=sale_report._table_sql,
            team=user_team_sql(SQL("partner.user_id"), company.id),
            company=company.id,
            company_key=company_key,
            currency=company.currency_id.id,
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """The yield of a group is its turnover against its potential."""
        fields = list(fields)
        names = {spec.split(":")[0] for spec in fields}
        if "sales_yield" not in names:
            return super().read_group(
                domain, fields, groupby, offset, limit, orderby, lazy
            )
        extra = [name for name in ("turnover_12m", "potential") if name not in names]
        groups = super().read_group(
            domain, fields + extra, groupby, offset, limit, orderby, lazy
        )
        for group in groups:
            group["sales_yield"] = percent(
                group.get("turnover_12m") or 0.0, group.get("potential") or 0.0
            )
        return groups

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }
