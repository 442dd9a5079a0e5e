from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..services.card_periods import PERIODS, period_bounds
from .account_invoice_report import COST_SQL, TURNOVER_SQL
from .crm_extended_open_item import depends_flush_sql

TOP_ITEMS = 5


class CrmExtendedCardFigures(models.AbstractModel):
    """The card's commercial figures, read with the definitions of
    ``crm_extended.sale.report`` (the one definition of turnover and gross
    profit) in one grouped statement: the number of queries does not depend on
    the number of partners or invoices.

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
    def card_sales_by_partner(self, commercial_ids, company, today, trend_from):
        """What the card shows of the sales, from one pass over the customer's
        invoice lines: turnover, cost and invoice count per period, and
        turnover per month from ``trend_from`` on. The top products are read
        apart, when the Items tab is shown (card_top_items_by_partner).

        Returns (figures, trend): figures {partner_id: {period: {"turnover",
        "cost", "invoices"}}} (invoices count customer invoices; credit notes
        reduce turnover, not the count); trend {partner_id: {first day of
        month: turnover}}.
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
            return figures, trend
        bounds = period_bounds(today)
        start = min([trend_from, *(date_from for date_from, _to in bounds.values())])
        rows = self.env.execute_query(
            self._card_sales_sql(commercial_ids, company, start)
        )
        for partner_id, invoice, day, turnover, cost, moves in rows:
            move_type = "out_invoice" if invoice else "out_refund"
            self._add_to_periods(
                figures[partner_id], bounds, move_type, day, turnover, cost, moves
            )
            if day >= trend_from:
                months = trend[partner_id]
                month = day.replace(day=1)
                months[month] = months.get(month, 0.0) + turnover
        return figures, trend

    @api.model
    def _card_sales_sql(self, commercial_ids, company, date_from):
        """The statement of card_sales_by_partner: the sales report's lines of
        these customers in this company from ``date_from`` on, grouped by
        customer, "is an invoice" and day, as the system.

        The report's definitions (turnover and cost from the invoice
        analysis's columns, its lines: posted customer invoices and credit
        notes, product lines with an account, the report's currency table),
        over the two tables and the currency table they read: the card runs
        it on every opening, where planning the report's dozen joins cost
        more than running it. Grouped by "is an invoice" rather than by the
        type's text: sorting the largest customer's 11,000 lines by a collated
        text cost more than reading them (50,000 customers, issue 19). The
        lines are the customer's (the report's ``partner_id``, the lines'
        commercial partner); the same condition on their invoice's commercial
        partner, which Odoo sets together with the lines' (an invoice's lines
        take its partner's commercial partner), lets PostgreSQL read the
        customer's invoices by index."""
        report = self.env["crm_extended.sale.report"].sudo()
        ids = tuple(commercial_ids)
        return SQL(
            """
            SELECT line.partner_id, move.move_type = 'out_invoice', move.invoice_date,
                   SUM(%(turnover)s), SUM(%(cost)s), COUNT(DISTINCT line.move_id)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN %(currency_table)s
                ON account_currency_table.company_id = line.company_id
             WHERE move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND line.account_id IS NOT NULL
               AND line.display_type = 'product'
               AND line.partner_id IN %(ids)s
               AND move.commercial_partner_id IN %(ids)s
               AND line.company_id = %(company)s
               AND move.invoice_date >= %(date_from)s
          GROUP BY 1, 2, 3
          ORDER BY 1, 2, 3
            %(flush)s
            """,
            turnover=TURNOVER_SQL,
            cost=COST_SQL,
            currency_table=report.env["res.currency"]._get_simple_currency_table(
                report.env.companies
            ),
            ids=ids,
            company=company.id,
            date_from=date_from,
            flush=depends_flush_sql(report),
        )

    @api.model
    def _sales_query(self, commercial_ids, company, domain):
        """The sales report's lines of these customers in this company, as the
        system (the card shows the figures to the roles its field groups allow).

        The lines are the customer's (the report's ``partner_id``, the lines'
        commercial partner); the same condition on their invoice's commercial
        partner, which Odoo sets together with the lines' (an invoice's lines
        take its partner's commercial partner), lets PostgreSQL read the
        customer's invoices by index: without it, it hashed every posted
        invoice of the company for the largest customer (263,000 at 50,000
        customers, issue 19)."""
        ids = tuple(commercial_ids)
        query = (
            self.env["crm_extended.sale.report"]
            .sudo()
            ._search(
                [
                    ("partner_id", "in", list(ids)),
                    ("company_id", "=", company.id),
                    *domain,
                ]
            )
        )
        query.add_where(
            SQL("%s IN %s", SQL.identifier(query.table, "move_partner_id"), ids)
        )
        return query

    @api.model
    def card_top_items_by_partner(self, commercial_ids, company, today):
        """The top products of the last 12 months alone (the card's Items tab,
        read when it is shown), from one grouped statement: {partner_id:
        {"revenue": [(product_id, revenue, qty)], "quantity": [...]}},
        "revenue" sorted by revenue, "quantity" by quantity, each at most
        TOP_ITEMS long, credit notes reducing both."""
        if not commercial_ids:
            return {}
        top_from, top_to = period_bounds(today)["last_12m"]
        query = self._sales_query(
            commercial_ids,
            company,
            [
                ("invoice_date", ">=", top_from),
                ("invoice_date", "<=", top_to),
                ("product_id", "!=", False),
            ],
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
