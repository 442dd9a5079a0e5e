from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..services.card_periods import PERIODS, period_bounds

TOP_ITEMS = 5


class CrmExtendedCardFigures(models.AbstractModel):
    """The card's commercial figures, read from ``crm_extended.sale.report``
    (the one definition of turnover and gross profit) in one grouped statement:
    the number of queries does not depend on the number of partners or invoices.

    Read as the system: the card shows them to the roles its field groups allow.
    """

    _name = "crm_extended.card.figures"
    _description = "Customer card commercial figures"

    @api.model
    def _add_to_periods(self, by_period, bounds, move_type, day, turnover, cost, moves):
        for period, (date_from, date_to) in bounds.items():
            if not date_from <= day <= date_to:
                continue
            values = by_period[period]
            values["turnover"] += turnover
            values["cost"] += cost
            if move_type == "out_invoice":
                values["invoices"] += moves

    @api.model
    def card_sales_by_partner(
        self, commercial_ids, company, today, trend_from, top_items=True
    ):
        """What the card shows of the sales, from one pass over the customer's
        invoice lines: turnover, cost and invoice count per period, turnover
        per month from ``trend_from`` on, and the top products of the last 12
        months.

        One statement on the sales report with two grouping sets (per type and
        day; per product, summed over the last 12 months only), where reading
        the figures and the top items separately reads the lines twice.

        Without ``top_items`` (the card opening: its top items are on a tab
        read when shown, card_top_items_by_partner) the product grouping set is
        left out and tops is empty.

        Returns (figures, trend, tops): figures {partner_id: {period:
        {"turnover", "cost", "invoices"}}} (invoices count customer invoices;
        credit notes reduce turnover, not the count); trend {partner_id: {first
        day of month: turnover}}; tops {partner_id: {"revenue": [(product_id,
        revenue, qty)], "quantity": [...]}}, each list at most TOP_ITEMS long,
        credit notes reducing both revenue and quantity.
        """
        figures = {
            partner_id: {
                period: {"turnover": 0.0, "cost": 0.0, "invoices": 0}
                for period in PERIODS
            }
            for partner_id in commercial_ids
        }
        trend = {partner_id: {} for partner_id in commercial_ids}
        if not commercial_ids:
            return figures, trend, {}
        bounds = period_bounds(today)
        top_from, top_to = bounds["last_12m"]
        start = min([trend_from, *(date_from for date_from, _to in bounds.values())])
        report = self.env["crm_extended.sale.report"].sudo()
        query = report._search(
            [
                ("partner_id", "in", list(commercial_ids)),
                ("company_id", "=", company.id),
                ("invoice_date", ">=", start),
            ]
        )

        def column(name):
            return SQL.identifier(query.table, name)

        in_top_window = SQL(
            "%s BETWEEN %s AND %s AND %s IS NOT NULL",
            column("invoice_date"),
            top_from,
            top_to,
            column("product_id"),
        )
        day_keys = SQL(
            "%s, %s, %s",
            column("partner_id"),
            column("move_type"),
            column("invoice_date"),
        )
        if top_items:
            query.groupby = SQL(
                "GROUPING SETS ((%s), (%s, %s))",
                day_keys,
                column("partner_id"),
                column("product_id"),
            )
            query.order = SQL("%s, %s", day_keys, column("product_id"))
            by_product = SQL("GROUPING(%s) = 0", column("product_id"))
            product = column("product_id")
        else:
            query.groupby = day_keys
            query.order = day_keys
            by_product, product = SQL("FALSE"), SQL("NULL")
        self.env.cr.execute(
            query.select(
                column("partner_id"),
                by_product,
                column("move_type"),
                column("invoice_date"),
                product,
                SQL("SUM(%s)", column("turnover")),
                SQL("SUM(%s)", column("cost")),
                SQL("COUNT(DISTINCT %s)", column("move_id")),
                SQL("COUNT(*) FILTER (WHERE %s)", in_top_window),
                SQL("SUM(%s) FILTER (WHERE %s)", column("turnover"), in_top_window),
                SQL("SUM(%s) FILTER (WHERE %s)", column("quantity"), in_top_window),
            )
        )
        items = defaultdict(list)
        for (
            partner_id,
            by_product,
            move_type,
            day,
            product_id,
            turnover,
            cost,
            moves,
            top_lines,
            top_revenue,
            top_quantity,
        ) in self.env.cr.fetchall():
            if by_product:
                if product_id and top_lines:
                    items[partner_id].append((product_id, top_revenue, top_quantity))
                continue
            self._add_to_periods(
                figures[partner_id], bounds, move_type, day, turnover, cost, moves
            )
            if day >= trend_from:
                months = trend[partner_id]
                month = day.replace(day=1)
                months[month] = months.get(month, 0.0) + turnover
        tops = self._top_items(commercial_ids, items) if top_items else {}
        return figures, trend, tops

    @api.model
    def card_top_items_by_partner(self, commercial_ids, company, today):
        """The top products of the last 12 months alone (the card's Items tab,
        read when it is shown), from one grouped statement: {partner_id:
        {"revenue": [(product_id, revenue, qty)], "quantity": [...]}}, as
        card_sales_by_partner's tops."""
        if not commercial_ids:
            return {}
        top_from, top_to = period_bounds(today)["last_12m"]
        query = (
            self.env["crm_extended.sale.report"]
            .sudo()
            ._search(
                [
                    ("partner_id", "in", list(commercial_ids)),
                    ("company_id", "=", company.id),
                    ("invoice_date", ">=", top_from),
                    ("invoice_date", "<=", top_to),
                    ("product_id", "!=", False),
                ]
            )
        )

        def column(name):
            return SQL.identifier(query.table, name)

        query.groupby = SQL("%s, %s", column("partner_id"), column("product_id"))
        query.order = query.groupby
        self.env.cr.execute(
            query.select(
                column("partner_id"),
                column("product_id"),
                SQL("SUM(%s)", column("turnover")),
                SQL("SUM(%s)", column("quantity")),
            )
        )
        items = defaultdict(list)
        for partner_id, product_id, revenue, quantity in self.env.cr.fetchall():
            items[partner_id].append((product_id, revenue, quantity))
        return self._top_items(commercial_ids, items)

    @api.model
    def _top_items(self, commercial_ids, items):
        result = {
            partner_id: {"revenue": [], "quantity": []} for partner_id in commercial_ids
        }
        for partner_id, lines in items.items():
            result[partner_id]["revenue"] = sorted(
                lines, key=lambda item: (-item[1], item[0])
            )[:TOP_ITEMS]
            result[partner_id]["quantity"] = sorted(
                lines, key=lambda item: (-item[2], item[0])
            )[:TOP_ITEMS]
        return result
