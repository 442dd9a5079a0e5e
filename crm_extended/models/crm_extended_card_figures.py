from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..services.card_periods import PERIODS, period_bounds

TOP_ITEMS = 5


class CrmExtendedCardFigures(models.AbstractModel):
    _name = "crm_extended.card.figures"
    _description = "Customer card commercial figures"

    def _flush_invoice_tables(self):
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
            ]
        )
        self.env["account.move.line"].flush_model(
            ["balance", "crm_cost_amount", "display_type", "move_id", "product_id"]
        )

    @api.model
    def figures_by_partner(self, commercial_ids, company, today):
        """Turnover, cost and invoice count per commercial partner and period.

        One SQL statement for any number of partners. Posted customer invoices
        and credit notes of ``company``, product lines only, company currency.
        Returns {partner_id: {period: {"turnover", "cost", "invoices"}}}.
        """
        result = {
            partner_id: {
                period: {"turnover": 0.0, "cost": 0.0, "invoices": 0}
                for period in PERIODS
            }
            for partner_id in commercial_ids
        }
        if not commercial_ids:
            return result
        self._flush_invoice_tables()
        columns = []
        for date_from, date_to in period_bounds(today).values():
            in_period = SQL("move.invoice_date BETWEEN %s AND %s", date_from, date_to)
            columns += [
                SQL("SUM(-line.balance) FILTER (WHERE %s)", in_period),
                SQL("SUM(line.crm_cost_amount) FILTER (WHERE %s)", in_period),
                SQL(
                    "COUNT(DISTINCT move.id) FILTER (WHERE %s "
                    "AND move.move_type = 'out_invoice')",
                    in_period,
                ),
            ]
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id, %(columns)s
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE move.commercial_partner_id IN %(partners)s
                   AND move.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product'
              GROUP BY move.commercial_partner_id
                """,
                columns=SQL(", ").join(columns),
                partners=tuple(commercial_ids),
                company=company.id,
            )
        )
        for row in self.env.cr.fetchall():
            values = row[1:]
            for index, period in enumerate(PERIODS):
                turnover, cost, invoices = values[3 * index : 3 * index + 3]
                result[row[0]][period] = {
                    "turnover": turnover or 0.0,
                    "cost": cost or 0.0,
                    "invoices": invoices or 0,
                }
        return result

    @api.model
    def top_items_by_partner(self, commercial_ids, company, date_from, date_to):
        """Top products per commercial partner by revenue and by quantity.

        One SQL statement; credit notes reduce both revenue and quantity.
        Returns {partner_id: {"revenue": [(product_id, revenue, qty)], "quantity":
        [...]}}, each list at most TOP_ITEMS long.
        """
        result = {
            partner_id: {"revenue": [], "quantity": []} for partner_id in commercial_ids
        }
        if not commercial_ids:
            return result
        self._flush_invoice_tables()
        self.env["account.move.line"].flush_model(["quantity"])
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id,
                       line.product_id,
                       SUM(-line.balance),
                       SUM(CASE WHEN move.move_type = 'out_refund'
                                THEN -line.quantity ELSE line.quantity END)
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE move.commercial_partner_id IN %(partners)s
                   AND move.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product'
                   AND line.product_id IS NOT NULL
                   AND move.invoice_date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY move.commercial_partner_id, line.product_id
                """,
                partners=tuple(commercial_ids),
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        rows = defaultdict(list)
        for partner_id, product_id, revenue, quantity in self.env.cr.fetchall():
            rows[partner_id].append((product_id, revenue or 0.0, quantity or 0.0))
        for partner_id, items in rows.items():
            result[partner_id]["revenue"] = sorted(
                items, key=lambda item: (-item[1], item[0])
            )[:TOP_ITEMS]
            result[partner_id]["quantity"] = sorted(
                items, key=lambda item: (-item[2], item[0])
            )[:TOP_ITEMS]
        return result

    @api.model
    def monthly_turnover_by_partner(self, commercial_ids, company, date_from):
        """Turnover per commercial partner and month from ``date_from`` on.

        One SQL statement. Returns {partner_id: {first day of month: turnover}}.
        """
        result = {partner_id: {} for partner_id in commercial_ids}
        if not commercial_ids:
            return result
        self._flush_invoice_tables()
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id,
                       DATE_TRUNC('month', move.invoice_date)::date,
                       SUM(-line.balance)
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE move.commercial_partner_id IN %(partners)s
                   AND move.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product'
                   AND move.invoice_date >= %(date_from)s
              GROUP BY 1, 2
                """,
                partners=tuple(commercial_ids),
                company=company.id,
                date_from=date_from,
            )
        )
        for partner_id, month, turnover in self.env.cr.fetchall():
            result[partner_id][month] = turnover or 0.0
        return result
