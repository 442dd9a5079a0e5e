import functools

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.crm_extended.services.selling import OFFER_PERIODS, offer_periods

OPEN_QUOTATION_STATES = ("draft", "sent")


class CrmExtendedPipelineFigures(models.AbstractModel):
    """Quotation figures of the card: open quotations, and how the quotations of
    the last 12 months (and the 12 before) ended, in company currency."""

    _inherit = "crm_extended.pipeline.figures"

    @api.model
    def quotation_partner_domain(self, commercial_ids, company):
        return [
            ("partner_id.commercial_partner_id", "in", list(commercial_ids)),
            ("company_id", "=", company.id),
        ]

    @api.model
    def quotation_outcome_domain(self, outcome, bounds=None):
        """Quotations of one figure: ``open`` (any date), or ``made``, ``won``
        (confirmed), ``lost`` (cancelled) or ``closed`` (either) dated within
        ``bounds``. A quotation is dated by its order date, which becomes the
        confirmation date when it is confirmed."""
        if outcome == "open":
            return [("state", "in", OPEN_QUOTATION_STATES)]
        start, stop = self._datetime_bounds(bounds)
        dated = [("date_order", ">=", start), ("date_order", "<", stop)]
        states = {
            "made": None,
            "won": ["sale"],
            "lost": ["cancel"],
            "closed": ["sale", "cancel"],
        }
        if outcome not in states:
            raise ValueError(f"Unknown outcome {outcome!r}")
        if states[outcome] is None:
            return dated
        return dated + [("state", "in", states[outcome])]

    @api.model
    def quotation_domain(
        self, commercial_ids, company, outcome, period=None, today=None
    ):
        bounds = offer_periods(today)[period] if period else None
        return expression.AND(
            [
                self.quotation_partner_domain(commercial_ids, company),
                self.quotation_outcome_domain(outcome, bounds),
            ]
        )

    @api.model
    def empty_quotation_figures(self):
        figures = {"open": {"count": 0, "amount": 0.0}}
        for period in OFFER_PERIODS:
            figures[period] = {
                "made": 0,
                "won": 0,
                "lost": 0,
                "won_amount": 0.0,
                "lost_amount": 0.0,
                "days_to_order": 0.0,
                "discount_amount": 0.0,
                "list_amount": 0.0,
            }
        return figures

    @api.model
    def quotation_figures_by_partner(self, commercial_ids, company, today):
        """Quotation figures of the orders the current user may read.

        One SQL statement built by the ORM (record rules apply). Amounts are
        untaxed, converted to the company currency at the order's rate.
        Returns {commercial partner id: {"open": {count, amount},
        "12m"/"prev_12m": {made, won, lost, won_amount, lost_amount,
        days_to_order, discount_amount, list_amount}}}.
        """
        result = {
            partner_id: self.empty_quotation_figures() for partner_id in commercial_ids
        }
        Order = self.env["sale.order"]
        if not commercial_ids or not Order.has_access("read"):
            return result
        periods = offer_periods(today)
        oldest = self._datetime_bounds(periods["prev_12m"])[0]
        query = Order._search(
            expression.AND(
                [
                    self.quotation_partner_domain(commercial_ids, company),
                    expression.OR(
                        [
                            self.quotation_outcome_domain("open"),
                            [("date_order", ">=", oldest)],
                        ]
                    ),
                ]
            )
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        partner = query.join(Order._table, "partner_id", "res_partner", "id", "partner")
        commercial = SQL.identifier(partner, "commercial_partner_id")
        opportunity = query.left_join(
            Order._table, "opportunity_id", "crm_lead", "id", "opportunity"
        )

        def field(name):
            return Order._field_to_sql(Order._table, name, query)

        # The same condition stands in several columns: parse each domain once.
        @functools.cache
        def where(outcome, period=None):
            bounds = periods[period] if period else None
            return self._filter_sql(
                Order, self.quotation_outcome_domain(outcome, bounds)
            )

        # Amounts of the order's currency to the company currency.
        rate = SQL("COALESCE(NULLIF(%s, 0), 1)", field("currency_rate"))
        amount = SQL("%s / %s", field("amount_untaxed"), rate)
        lines = self.env["sale.order.line"]
        lines.flush_model(
            ["order_id", "price_unit", "product_uom_qty", "discount", "display_type"]
        )
        list_amount = SQL(
            """(SELECT SUM(line.price_unit * line.product_uom_qty)
                  FROM sale_order_line line
                 WHERE line.order_id = %s AND line.display_type IS NULL) / %s""",
            SQL.identifier(Order._table, "id"),
            rate,
        )
        discount_amount = SQL(
            """(SELECT SUM(line.price_unit * line.product_uom_qty
                           * line.discount / 100.0)
                  FROM sale_order_line line
                 WHERE line.order_id = %s AND line.display_type IS NULL) / %s""",
            SQL.identifier(Order._table, "id"),
            rate,
        )
        self.env["crm.lead"].flush_model(["create_date"])
        days_to_order = SQL(
            "EXTRACT(EPOCH FROM %s - COALESCE(%s, %s)) / 86400.0",
            field("date_order"),
            SQL.identifier(opportunity, "create_date"),
            field("create_date"),
        )
        columns = [
            SQL("COUNT(*) FILTER (WHERE %s)", where("open")),
            SQL("SUM(%s) FILTER (WHERE %s)", amount, where("open")),
        ]
        for period in OFFER_PERIODS:
            won = where("won", period)
            lost = where("lost", period)
            columns += [
                SQL("COUNT(*) FILTER (WHERE %s)", where("made", period)),
                SQL("COUNT(*) FILTER (WHERE %s)", won),
                SQL("COUNT(*) FILTER (WHERE %s)", lost),
                SQL("SUM(%s) FILTER (WHERE %s)", amount, won),
                SQL("SUM(%s) FILTER (WHERE %s)", amount, lost),
                SQL("AVG(%s) FILTER (WHERE %s)", days_to_order, won),
                SQL("SUM(%s) FILTER (WHERE %s)", discount_amount, won),
                SQL("SUM(%s) FILTER (WHERE %s)", list_amount, won),
            ]
        query.groupby = commercial
        rows = self.env.execute_query(query.select(commercial, *columns))
        keys = (
            "made",
            "won",
            "lost",
            "won_amount",
            "lost_amount",
            "days_to_order",
            "discount_amount",
            "list_amount",
        )
        for row in rows:
            figures = result[row[0]]
            figures["open"] = {"count": row[1] or 0, "amount": row[2] or 0.0}
            for index, period in enumerate(OFFER_PERIODS):
                values = row[3 + len(keys) * index : 3 + len(keys) * (index + 1)]
                figures[period] = {
                    key: value or (0 if key in ("made", "won", "lost") else 0.0)
                    for key, value in zip(keys, values, strict=True)
                }
        return result

    @api.model
    def open_quotations_by_partner(self, commercial_ids, company):
        """Open quotations the current user may read, per commercial partner."""
        return self._records_by_partner(
            "sale.order",
            commercial_ids,
            expression.AND(
                [
                    self.quotation_partner_domain(commercial_ids, company),
                    self.quotation_outcome_domain("open"),
                ]
            ),
            order="date_order desc, id desc",
        )
