from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, frozendict

from ..services.report_union import union_part
from ..services.selling import win_rate

OFFER_TYPES = [("opportunity", "Opportunity"), ("quotation", "Quotation")]
OFFER_OUTCOMES = [("open", "Open"), ("won", "Won"), ("lost", "Lost")]

# The columns of every part of the report, in order, with the SQL type of the
# value a part leaves out.
OFFER_COLUMNS = (
    ("offer_type", "varchar"),
    ("outcome", "varchar"),
    ("offer_count", "integer"),
    ("won_count", "integer"),
    ("lost_count", "integer"),
    ("offer_date", "date"),
    ("close_date", "date"),
    ("user_id", "integer"),
    ("team_id", "integer"),
    ("partner_id", "integer"),
    ("country_id", "integer"),
    ("company_id", "integer"),
    ("currency_id", "integer"),
    ("lead_id", "integer"),
    ("order_id", "integer"),
    ("product_categ_id", "integer"),
    ("lost_reason_id", "integer"),
    ("lost_to_competitor_id", "integer"),
    ("campaign_id", "integer"),
    ("source_id", "integer"),
    ("medium_id", "integer"),
    ("amount", "numeric"),
    ("won_amount", "numeric"),
    ("lost_amount", "numeric"),
    ("competitor_price", "numeric"),
    ("price_difference", "numeric"),
    ("days_to_close", "numeric"),
    ("win_rate", "numeric"),
    ("win_rate_amount", "numeric"),
)
AMOUNT_COLUMNS = {"amount", "won_amount", "lost_amount"}
RATE_FIELDS = {
    "win_rate": ("won_count", "lost_count"),
    "win_rate_amount": ("won_amount", "lost_amount"),
}


class CrmExtendedOfferReport(models.Model):
    """Offer success: opportunities (and, with Sales, quotations) by outcome.

    One row per opportunity and, from crm_extended_sale, one row per quotation
    and product category (the quotation's amount split by category). Counts
    count distinct offers, so a quotation split by category is still one
    offer; win rates are computed from the group's sums. Record rules are the
    CRM's: companies, and own documents for salespeople who see only theirs.
    """

    _name = "crm_extended.offer.report"
    _inherit = "crm_extended.segment.report.mixin"
    _description = "Offer Success Analysis"
    _auto = False
    _order = "offer_date desc"
    _rec_name = "lead_id"
    _depends = frozendict(
        {
            "crm.lead": [
                "active",
                "type",
                "stage_id",
                "probability",
                "create_date",
                "date_closed",
                "day_close",
                "user_id",
                "team_id",
                "partner_id",
                "country_id",
                "company_id",
                "expected_revenue",
                "lost_reason_id",
                "lost_to_competitor_id",
                "competitor_price",
                "campaign_id",
                "source_id",
                "medium_id",
            ],
            "res.partner": ["commercial_partner_id", "country_id"],
        }
    )

    offer_type = fields.Selection(OFFER_TYPES, string="Type", readonly=True)
    outcome = fields.Selection(OFFER_OUTCOMES, readonly=True)
    offer_count = fields.Integer(
        string="Offers", aggregator="count_distinct", readonly=True
    )
    won_count = fields.Integer(string="Won", aggregator="count_distinct", readonly=True)
    lost_count = fields.Integer(
        string="Lost", aggregator="count_distinct", readonly=True
    )
    win_rate = fields.Float(
        string="Win Rate (%)",
        aggregator="max",
        readonly=True,
        digits=(16, 1),
        help="Won offers in percent of the offers won or lost.",
    )
    win_rate_amount = fields.Float(
        string="Win Rate by Amount (%)",
        aggregator="max",
        readonly=True,
        digits=(16, 1),
        help="Won amount in percent of the amount won or lost.",
    )
    offer_date = fields.Date(
        readonly=True,
        help="Creation of the opportunity; date of the quotation (of the order "
        "once confirmed).",
    )
    close_date = fields.Date(string="Closing Date", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    lost_to_competitor_id = fields.Many2one(
        "crm_extended.competitor", string="Lost to Competitor", readonly=True
    )
    competitor_ids = fields.Many2many(
        "crm_extended.competitor",
        string="Competitors in Play",
        compute="_compute_competitor_ids",
        search="_search_competitor_ids",
    )
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    segment_value_ids = fields.Many2many(
        related="partner_id.crm_segment_value_ids", string="Segments"
    )
    amount = fields.Monetary(readonly=True)
    won_amount = fields.Monetary(readonly=True)
    lost_amount = fields.Monetary(readonly=True)
    competitor_price = fields.Monetary(
        string="Competitor's Price",
        readonly=True,
        help="The price the competitor won at, when known.",
    )
    price_difference = fields.Monetary(
        string="Competitor's Price Difference",
        aggregator="avg",
        readonly=True,
        help="Average of the competitor's price minus our offer, where the "
        "competitor and its price are known: below zero when it was cheaper.",
    )
    days_to_close = fields.Float(
        string="Days to Close",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
        help="Average days from the inquiry to winning or losing the offer.",
    )

    # The report, part by part ---------------------------------------------
    @api.model
    def _offer_select(self, row_id, values, from_clause):
        """One part of the view with this report's columns (also used by
        crm_extended_sale's parts)."""
        return union_part(OFFER_COLUMNS, AMOUNT_COLUMNS, row_id, values, from_clause)

    @api.model
    def _offer_opportunity_part(self):
        won = SQL("(lead.active AND COALESCE(stage.is_won, FALSE))")
        lost = SQL("(NOT lead.active AND lead.probability = 0)")
        key = SQL("lead.id * 2")
        return self._offer_select(
            key,
            {
                "offer_type": SQL("'opportunity'"),
                "outcome": SQL(
                    "CASE WHEN %s THEN 'won' WHEN %s THEN 'lost' ELSE 'open' END",
                    won,
                    lost,
                ),
                "offer_count": key,
                "won_count": SQL("CASE WHEN %s THEN %s END", won, key),
                "lost_count": SQL("CASE WHEN %s THEN %s END", lost, key),
                "offer_date": SQL("lead.create_date::date"),
                "close_date": SQL("lead.date_closed::date"),
                "user_id": SQL("lead.user_id"),
                "team_id": SQL("lead.team_id"),
                "partner_id": SQL("partner.commercial_partner_id"),
                "country_id": SQL("COALESCE(commercial.country_id, lead.country_id)"),
                "company_id": SQL("lead.company_id"),
                "currency_id": SQL("company.currency_id"),
                "lead_id": SQL("lead.id"),
                "lost_reason_id": SQL("lead.lost_reason_id"),
                "lost_to_competitor_id": SQL("lead.lost_to_competitor_id"),
                "campaign_id": SQL("lead.campaign_id"),
                "source_id": SQL("lead.source_id"),
                "medium_id": SQL("lead.medium_id"),
                "amount": SQL("COALESCE(lead.expected_revenue, 0)"),
                "won_amount": SQL(
                    "CASE WHEN %s THEN COALESCE(lead.expected_revenue, 0) ELSE 0 END",
                    won,
                ),
                "lost_amount": SQL(
                    "CASE WHEN %s THEN COALESCE(lead.expected_revenue, 0) ELSE 0 END",
                    lost,
                ),
                "competitor_price": SQL("NULLIF(lead.competitor_price, 0)"),
                "price_difference": SQL(
                    "CASE WHEN lead.lost_to_competitor_id IS NOT NULL "
                    "AND COALESCE(lead.competitor_price, 0) != 0 "
                    "THEN lead.competitor_price - COALESCE(lead.expected_revenue, 0) "
                    "END"
                ),
                "days_to_close": SQL(
                    "CASE WHEN %s OR %s THEN lead.day_close END", won, lost
                ),
                "win_rate": SQL("CASE WHEN %s THEN 100 WHEN %s THEN 0 END", won, lost),
                "win_rate_amount": SQL(
                    "CASE WHEN %s THEN 100 WHEN %s THEN 0 END", won, lost
                ),
            },
            SQL(
                """crm_lead lead
                   LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                   LEFT JOIN res_partner partner ON partner.id = lead.partner_id
                   LEFT JOIN res_partner commercial
                          ON commercial.id = partner.commercial_partner_id
                   LEFT JOIN res_company company ON company.id = lead.company_id
                  WHERE lead.type = 'opportunity'
                    AND (lead.active OR lead.probability = 0)"""
            ),
        )

    @api.model
    def _offer_parts(self):
        return [self._offer_opportunity_part()]

    @property
    def _table_query(self):
        return SQL(" UNION ALL ").join(self._offer_parts())

    # Competitors in play: those of the opportunity (and, with Sales, of the
    # quotation) behind the row.
    @api.model
    def _offer_competitor_pairs(self):
        """SQL of (offer_type, document id, competitor id) rows."""
        return SQL(
            "SELECT 'opportunity' AS offer_type, lead_id AS document_id, "
            "competitor_id FROM crm_lead_crm_extended_competitor_rel"
        )

    def _offer_document_column(self, offer_type):
        """The column of the document whose competitors a row of this type has."""
        return {"opportunity": "lead_id"}.get(offer_type)

    def _offer_documents(self):
        return [
            (offer_type, column)
            for offer_type, _label in OFFER_TYPES
            if (column := self._offer_document_column(offer_type))
        ]

    def action_open_document(self):
        """The opportunity or quotation behind the row."""
        self.ensure_one()
        document = self[self._offer_document_column(self.offer_type)]
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
        }

    def _compute_competitor_ids(self):
        for row in self:
            column = self._offer_document_column(row.offer_type)
            row.competitor_ids = row[column].competitor_ids if column else False

    def _search_competitor_ids(self, operator, value):
        return expression.OR(
            [
                [
                    ("offer_type", "=", offer_type),
                    (f"{column}.competitor_ids", operator, value),
                ]
                for offer_type, column in self._offer_documents()
            ]
        )

    def _read_group_groupby(self, groupby_spec, query):
        if groupby_spec != "competitor_ids":
            return super()._read_group_groupby(groupby_spec, query)
        pairs_alias = query.make_alias(self._table, "competitors")
        documents = SQL(
            "CASE %s %s END",
            SQL.identifier(self._table, "offer_type"),
            SQL(" ").join(
                SQL("WHEN %s THEN %s", offer_type, SQL.identifier(self._table, column))
                for offer_type, column in self._offer_documents()
            ),
        )
        condition = SQL(
            "%s = %s AND %s = %s",
            SQL.identifier(pairs_alias, "offer_type"),
            SQL.identifier(self._table, "offer_type"),
            SQL.identifier(pairs_alias, "document_id"),
            documents,
        )
        query.add_join(
            "LEFT JOIN",
            pairs_alias,
            SQL("(%s)", self._offer_competitor_pairs()),
            condition,
        )
        return SQL.identifier(pairs_alias, "competitor_id")

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Win rates of a group come from its sums, not from its rows."""
        fields = list(fields)
        names = {spec.split(":")[0] for spec in fields}
        wanted = [name for name in RATE_FIELDS if name in names]
        extra = [
            measure
            for name in wanted
            for measure in RATE_FIELDS[name]
            if measure not in names
        ]
        groups = super().read_group(
            domain, fields + extra, groupby, offset, limit, orderby, lazy
        )
        for group in groups:
            for name in wanted:
                won, lost = (group.get(measure) or 0 for measure in RATE_FIELDS[name])
                group[name] = win_rate(won, lost)
        return groups
