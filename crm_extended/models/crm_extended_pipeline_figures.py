import functools
from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

from ..services.selling import OFFER_PERIODS, offer_periods

# What the card counts of opportunities, per period; "open" has no period.
LEAD_OUTCOMES = ("made", "won", "lost", "lost_to_competitor")


class CrmExtendedPipelineFigures(models.AbstractModel):
    """The card's pipeline figures: inquiries, opportunities and how they ended.

    Every figure is the count or sum of the records of one domain, and the card's
    drill-down buttons open exactly that domain. The figures of any number of
    customers come from one SQL statement built by the ORM as the reading user,
    so record rules (own documents, companies) apply as in the CRM itself.
    """

    _name = "crm_extended.pipeline.figures"
    _description = "Customer card pipeline figures"

    # Domains ---------------------------------------------------------------
    @api.model
    def _datetime_bounds(self, bounds):
        """Datetime domain bounds of (first day, last day), both inclusive."""
        first, last = bounds
        return datetime.combine(first, time.min), datetime.combine(
            last + timedelta(days=1), time.min
        )

    @api.model
    def lead_partner_domain(self, commercial_ids, company):
        """Leads of these customers (and their contacts) in ``company``."""
        return [
            ("partner_id.commercial_partner_id", "in", list(commercial_ids)),
            ("company_id", "in", [company.id, False]),
        ]

    @api.model
    def lead_outcome_domain(self, outcome, bounds=None):
        """Leads of one figure: ``open`` (any period), or ``made``, ``won``,
        ``lost``, ``lost_to_competitor`` or ``closed`` (won or lost) within
        ``bounds`` (first, last day).

        Won and lost are Odoo's own definitions (a won stage; archived with
        probability 0) and are dated by the closing date; made is dated by the
        creation of the inquiry.
        """
        if outcome == "open":
            return [("active", "=", True), ("stage_id.is_won", "=", False)]
        start, stop = self._datetime_bounds(bounds)
        if outcome == "made":
            return [
                ("type", "=", "opportunity"),
                ("create_date", ">=", start),
                ("create_date", "<", stop),
            ]
        closed = [
            ("type", "=", "opportunity"),
            ("date_closed", ">=", start),
            ("date_closed", "<", stop),
        ]
        if outcome == "won":
            return closed + [("active", "=", True), ("stage_id.is_won", "=", True)]
        lost = closed + [("active", "=", False), ("probability", "=", 0)]
        if outcome == "lost":
            return lost
        if outcome == "lost_to_competitor":
            return lost + [("lost_to_competitor_id", "!=", False)]
        if outcome == "closed":
            won = closed + [("active", "=", True), ("stage_id.is_won", "=", True)]
            return expression.OR([won, lost])
        raise ValueError(f"Unknown outcome {outcome!r}")

    @api.model
    def lead_domain(self, commercial_ids, company, outcome, period=None, today=None):
        """The complete domain behind one card figure (for its drill-down)."""
        bounds = offer_periods(today)[period] if period else None
        return expression.AND(
            [
                self.lead_partner_domain(commercial_ids, company),
                self.lead_outcome_domain(outcome, bounds),
            ]
        )

    # Figures ---------------------------------------------------------------
    @api.model
    def _filter_sql(self, model, domain):
        """The WHERE condition of ``domain`` on ``model``'s own table, to be used
        as an aggregate FILTER inside a query on that table."""
        query = model._where_calc(domain, active_test=False)
        if query._joins:  # a FILTER cannot add joins
            raise ValueError(f"Domain {domain!r} needs joins")
        return query.where_clause

    @api.model
    def empty_lead_figures(self):
        figures = {"open": {"count": 0, "expected": 0.0, "weighted": 0.0}}
        for period in OFFER_PERIODS:
            figures[period] = {
                "made": 0,
                "won": 0,
                "lost": 0,
                "won_amount": 0.0,
                "lost_amount": 0.0,
                "days_to_win": 0.0,
                "lost_to_competitor": 0,
            }
        return figures

    @api.model
    def lead_figures_by_partner(self, commercial_ids, company, today):
        """Pipeline figures of the leads the current user may read.

        Returns {commercial partner id: {"open": {count, expected, weighted},
        "12m"/"prev_12m": {made, won, lost, won_amount, lost_amount,
        days_to_win, lost_to_competitor}}}; amounts in company currency.
        """
        result = {
            partner_id: self.empty_lead_figures() for partner_id in commercial_ids
        }
        Lead = self.env["crm.lead"].with_context(active_test=False)
        if not commercial_ids or not Lead.has_access("read"):
            return result
        periods = offer_periods(today)
        oldest = self._datetime_bounds(periods["prev_12m"])[0]
        query = Lead._search(
            expression.AND(
                [
                    self.lead_partner_domain(commercial_ids, company),
                    expression.OR(
                        [
                            self.lead_outcome_domain("open"),
                            [("create_date", ">=", oldest)],
                            [("date_closed", ">=", oldest)],
                        ]
                    ),
                ]
            )
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        partner = query.join(Lead._table, "partner_id", "res_partner", "id", "partner")
        commercial = SQL.identifier(partner, "commercial_partner_id")

        def field(name):
            return Lead._field_to_sql(Lead._table, name, query)

        # The same condition stands in several columns: parse each domain once.
        @functools.cache
        def where(outcome, period=None):
            bounds = periods[period] if period else None
            return self._filter_sql(Lead, self.lead_outcome_domain(outcome, bounds))

        columns = [
            SQL("COUNT(*) FILTER (WHERE %s)", where("open")),
            SQL("SUM(%s) FILTER (WHERE %s)", field("expected_revenue"), where("open")),
            SQL("SUM(%s) FILTER (WHERE %s)", field("prorated_revenue"), where("open")),
        ]
        for period in OFFER_PERIODS:
            columns += [
                SQL("COUNT(*) FILTER (WHERE %s)", where("made", period)),
                SQL("COUNT(*) FILTER (WHERE %s)", where("won", period)),
                SQL("COUNT(*) FILTER (WHERE %s)", where("lost", period)),
                SQL(
                    "SUM(%s) FILTER (WHERE %s)",
                    field("expected_revenue"),
                    where("won", period),
                ),
                SQL(
                    "SUM(%s) FILTER (WHERE %s)",
                    field("expected_revenue"),
                    where("lost", period),
                ),
                SQL(
                    "AVG(%s) FILTER (WHERE %s)",
                    field("day_close"),
                    where("won", period),
                ),
                SQL("COUNT(*) FILTER (WHERE %s)", where("lost_to_competitor", period)),
            ]
        query.groupby = commercial
        rows = self.env.execute_query(query.select(commercial, *columns))
        for row in rows:
            figures = result[row[0]]
            figures["open"] = {
                "count": row[1] or 0,
                "expected": row[2] or 0.0,
                "weighted": row[3] or 0.0,
            }
            for index, period in enumerate(OFFER_PERIODS):
                values = row[4 + 7 * index : 11 + 7 * index]
                figures[period] = {
                    "made": values[0] or 0,
                    "won": values[1] or 0,
                    "lost": values[2] or 0,
                    "won_amount": values[3] or 0.0,
                    "lost_amount": values[4] or 0.0,
                    "days_to_win": values[5] or 0.0,
                    "lost_to_competitor": values[6] or 0,
                }
        return result

    @api.model
    def open_leads_by_partner(self, commercial_ids, company):
        """The open inquiries and opportunities the current user may read, per
        commercial partner, most valuable first (one search)."""
        return self._records_by_partner(
            "crm.lead",
            commercial_ids,
            expression.AND(
                [
                    self.lead_partner_domain(commercial_ids, company),
                    self.lead_outcome_domain("open"),
                ]
            ),
            order="expected_revenue desc, id desc",
        )

    @api.model
    def _records_by_partner(self, model, commercial_ids, domain, order):
        """Records of ``model`` matching ``domain`` that the current user may
        read, grouped by their partner's commercial partner (one search); every
        commercial partner asked for gets a (possibly empty) recordset."""
        records = self.env[model]
        result = {partner_id: records for partner_id in commercial_ids}
        if not commercial_ids or not records.has_access("read"):
            return result
        for record in records.search(domain, order=order):
            result[record.partner_id.commercial_partner_id.id] |= record
        return result
