from odoo import api, fields, models
from odoo.tools import SQL, frozendict

from ..services.report_union import union_part

FORECAST_KINDS = [
    ("pipeline", "Open Opportunity"),
    ("quotation", "Quotation Awaiting Confirmation"),
    ("turnover", "Invoiced"),
    ("turnover_last_year", "Invoiced a Year Before"),
    ("target", "Target"),
]

# The columns of every part of the view, in order, with the SQL type of the
# value a part leaves out.
FORECAST_COLUMNS = (
    ("kind", "varchar"),
    ("month", "date"),
    ("user_id", "integer"),
    ("team_id", "integer"),
    ("partner_id", "integer"),
    ("country_id", "integer"),
    ("company_id", "integer"),
    ("currency_id", "integer"),
    ("lead_id", "integer"),
    ("order_id", "integer"),
    ("move_id", "integer"),
    ("target_id", "integer"),
    ("expected_revenue", "numeric"),
    ("weighted_revenue", "numeric"),
    ("quotation_amount", "numeric"),
    ("turnover", "numeric"),
    ("turnover_last_year", "numeric"),
    ("target", "numeric"),
)


def user_team_sql(user, company):
    """SQL of the sales team of salesperson ``user`` in ``company``: their first
    active membership of a team of that company (or of every company), as
    Odoo's own ``res.users.sale_team_id``."""
    return SQL(
        """(SELECT member.crm_team_id
              FROM crm_team_member member
              JOIN crm_team team ON team.id = member.crm_team_id
             WHERE member.user_id = %s
               AND member.active
               AND (team.company_id IS NULL OR team.company_id = %s)
          ORDER BY member.create_date, member.id
             LIMIT 1)""",
        user,
        company,
    )


AMOUNT_COLUMNS = {
    "expected_revenue",
    "weighted_revenue",
    "quotation_amount",
    "turnover",
    "turnover_last_year",
    "target",
}


class CrmExtendedSalesForecast(models.Model):
    """Salesperson forecasts: per month the weighted pipeline, the quotations
    awaiting confirmation, the turnover of the same month a year before and the
    target, side by side.

    One row per open opportunity (by expected closing month), per quotation
    (crm_extended_sale adds them), per invoice line (this year's turnover, and
    the same line a year later as "last year" of that month) and per target.
    Record rules are those of the documents: companies, and salespeople with
    "own documents only" see only their own rows, as in the CRM.
    """

    _name = "crm_extended.sales.forecast"
    _description = "Sales Forecast"
    _auto = False
    _order = "month desc"
    _rec_name = "month"
    _depends = frozendict(
        {
            "crm.lead": [
                "active",
                "type",
                "stage_id",
                "date_deadline",
                "user_id",
                "team_id",
                "partner_id",
                "country_id",
                "company_id",
                "expected_revenue",
                "prorated_revenue",
            ],
            "crm_extended.sales.target": ["user_id", "team_id", "month", "amount"],
            "account.move": ["invoice_user_id", "state", "invoice_date", "move_type"],
            "account.move.line": ["balance", "display_type", "move_id"],
            "res.partner": ["commercial_partner_id", "country_id"],
            "crm.team.member": ["user_id", "crm_team_id", "active"],
        }
    )

    kind = fields.Selection(FORECAST_KINDS, readonly=True)
    month = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    target_id = fields.Many2one(
        "crm_extended.sales.target", string="Sales Target", readonly=True
    )
    segment_value_ids = fields.Many2many(
        related="partner_id.crm_segment_value_ids", string="Segments"
    )
    expected_revenue = fields.Monetary(readonly=True)
    weighted_revenue = fields.Monetary(
        readonly=True, help="Expected revenue times probability."
    )
    quotation_amount = fields.Monetary(
        string="Quotations", readonly=True, help="Untaxed amount of open quotations."
    )
    turnover = fields.Monetary(string="Invoiced", readonly=True)
    turnover_last_year = fields.Monetary(
        string="Invoiced Last Year",
        readonly=True,
        help="Turnover of the same month a year before.",
    )
    target = fields.Monetary(readonly=True)

    # The view, part by part ------------------------------------------------
    @api.model
    def _forecast_select(self, row_id, values, from_clause):
        """One part of the view with this report's columns (also used by
        crm_extended_sale's parts)."""
        return union_part(FORECAST_COLUMNS, AMOUNT_COLUMNS, row_id, values, from_clause)

    @api.model
    def _forecast_pipeline_part(self):
        return self._forecast_select(
            SQL("lead.id * 8 + 1"),
            {
                "kind": SQL("'pipeline'"),
                "month": SQL("DATE_TRUNC('month', lead.date_deadline)::date"),
                "user_id": SQL("lead.user_id"),
                "team_id": SQL("lead.team_id"),
                "partner_id": SQL("partner.commercial_partner_id"),
                "country_id": SQL("COALESCE(commercial.country_id, lead.country_id)"),
                "company_id": SQL("lead.company_id"),
                "currency_id": SQL("company.currency_id"),
                "lead_id": SQL("lead.id"),
                "expected_revenue": SQL("lead.expected_revenue"),
                "weighted_revenue": SQL("lead.prorated_revenue"),
            },
            SQL(
                """crm_lead lead
                   LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                   LEFT JOIN res_partner partner ON partner.id = lead.partner_id
                   LEFT JOIN res_partner commercial
                          ON commercial.id = partner.commercial_partner_id
                   LEFT JOIN res_company company ON company.id = lead.company_id
                  WHERE lead.active
                    AND lead.type = 'opportunity'
                    AND NOT COALESCE(stage.is_won, FALSE)"""
            ),
        )

    @api.model
    def _forecast_turnover_team(self):
        """The team of an invoiced turnover: the salesperson's team (the
        invoice's own team exists only with Sales)."""
        return user_team_sql(SQL("move.invoice_user_id"), SQL("report.company_id"))

    @api.model
    def _forecast_turnover_part(self, last_year):
        # The card's turnover definition: the lines of crm_extended.sale.report
        # (its table or query, whichever it is).
        month = SQL("DATE_TRUNC('month', report.invoice_date)::date")
        if last_year:
            month = SQL(
                "(DATE_TRUNC('month', report.invoice_date) + INTERVAL '1 year')::date"
            )
        return self._forecast_select(
            SQL("report.id * 8 + %s", 4 if last_year else 3),
            {
                "kind": SQL("%s", "turnover_last_year" if last_year else "turnover"),
                "month": month,
                "user_id": SQL("move.invoice_user_id"),
                "team_id": self._forecast_turnover_team(),
                "partner_id": SQL("report.partner_id"),
                "country_id": SQL("commercial.country_id"),
                "company_id": SQL("report.company_id"),
                "currency_id": SQL("report.currency_id"),
                "move_id": SQL("report.move_id"),
                "turnover_last_year" if last_year else "turnover": SQL(
                    "report.turnover"
                ),
            },
            SQL(
                """%s report
                   JOIN account_move move ON move.id = report.move_id
                   LEFT JOIN res_partner commercial
                          ON commercial.id = report.partner_id""",
                self.env["crm_extended.sale.report"]._table_sql,
            ),
        )

    @api.model
    def _forecast_target_part(self):
        return self._forecast_select(
            SQL("target.id * 8 + 5"),
            {
                "kind": SQL("'target'"),
                "month": SQL("target.month"),
                "user_id": SQL("target.user_id"),
                "team_id": SQL("target.team_id"),
                "company_id": SQL("target.company_id"),
                "currency_id": SQL("company.currency_id"),
                "target": SQL("target.amount"),
                "target_id": SQL("target.id"),
            },
            SQL(
                """crm_extended_sales_target target
                   JOIN res_company company ON company.id = target.company_id"""
            ),
        )

    @api.model
    def _forecast_parts(self):
        return [
            self._forecast_pipeline_part(),
            self._forecast_turnover_part(last_year=False),
            self._forecast_turnover_part(last_year=True),
            self._forecast_target_part(),
        ]

    def _document_fields(self):
        """The fields of the documents behind a row, most specific first."""
        return ["lead_id", "move_id", "target_id"]

    def action_open_document(self):
        """The opportunity, quotation, invoice or target behind the row."""
        self.ensure_one()
        document = next(
            (self[name] for name in self._document_fields() if self[name]), None
        )
        if not document:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
        }

    @property
    def _table_query(self):
        return SQL(" UNION ALL ").join(self._forecast_parts())
