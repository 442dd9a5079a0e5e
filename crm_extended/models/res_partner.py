from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm_extended.export.guard"]  # noqa: RUF012

    card_open_balance = fields.Monetary(
        string="Open Balance",
        compute="_compute_card_balances",
        search="_search_card_open_balance",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Receivable minus payable still open on posted entries of this company "
        "and its contacts, in the current company's currency.",
    )
    card_overdue_balance = fields.Monetary(
        string="Overdue Balance",
        compute="_compute_card_balances",
        search="_search_card_overdue_balance",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Open receivable whose due date has passed.",
    )
    card_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_card_currency_id",
    )

    @api.depends_context("company")
    def _compute_card_currency_id(self):
        self.card_currency_id = self.env.company.currency_id

    def _card_balance_query(self, partner_ids=None):
        """SQL of (commercial partner, open amount, overdue amount) in the current
        company; restricted to the given commercial partners when partner_ids is set."""
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "amount_residual",
                "parent_state",
                "reconciled",
                "date_maturity",
                "company_id",
                "account_id",
            ]
        )
        self.flush_model(["commercial_partner_id"])
        partner_filter = (
            SQL("AND partner.commercial_partner_id IN %s", tuple(partner_ids))
            if partner_ids is not None
            else SQL()
        )
        return SQL(
            """
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(line.amount_residual) AS open_amount,
                   COALESCE(SUM(line.amount_residual) FILTER (
                     WHERE account.account_type = 'asset_receivable'
                       AND COALESCE(line.date_maturity, line.date) < %(today)s
                   ), 0) AS overdue_amount
              FROM account_move_line line
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_account account ON account.id = line.account_id
             WHERE line.parent_state = 'posted'
               AND line.company_id = %(company)s
               AND line.reconciled IS NOT TRUE
               AND account.account_type
                   IN ('asset_receivable', 'liability_payable')
               %(partner_filter)s
          GROUP BY partner.commercial_partner_id
            """,
            today=fields.Date.context_today(self),
            company=self.env.company.id,
            partner_filter=partner_filter,
        )

    @api.depends_context("company")
    def _compute_card_balances(self):
        """Open and overdue amounts for many partners in one grouped query."""
        commercial = self.commercial_partner_id
        amounts = {}
        if commercial.ids:
            self.env.cr.execute(self._card_balance_query(commercial.ids))
            amounts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            open_amount, overdue_amount = amounts.get(
                partner.commercial_partner_id.id, (0.0, 0.0)
            )
            partner.card_open_balance = open_amount
            partner.card_overdue_balance = overdue_amount

    def _search_card_balance(self, column, operator, value):
        # Searching by an amount reveals it: only those who may read it may search.
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            raise AccessError(
                self.env._("Only accountants may filter customers by their balance.")
            )
        if value is False or value is None:
            value = 0
        operators = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
        if operator not in operators or not isinstance(value, (int, float)):
            raise ValueError(f"Unsupported balance search: {operator} {value!r}")
        matching = SQL(
            "SELECT partner_id FROM (%s) balance WHERE %s %s %s",
            self._card_balance_query(),
            SQL.identifier(column),
            SQL(operators[operator]),
            value,
        )
        self.env.cr.execute(matching)
        commercial_ids = [row[0] for row in self.env.cr.fetchall()]
        if self._zero_matches(operator, value):
            # Customers without any open entry have a zero balance too.
            return [
                "|",
                ("commercial_partner_id", "in", commercial_ids),
                ("commercial_partner_id", "not in", self._card_ids_with_entries()),
            ]
        return [("commercial_partner_id", "in", commercial_ids)]

    @staticmethod
    def _zero_matches(operator, value):
        return {
            "=": 0 == value,
            "!=": 0 != value,
            "<": 0 < value,
            "<=": 0 <= value,
            ">": 0 > value,
            ">=": 0 >= value,
        }[operator]

    def _card_ids_with_entries(self):
        self.env.cr.execute(
            SQL("SELECT partner_id FROM (%s) balance", self._card_balance_query())
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _search_card_open_balance(self, operator, value):
        return self._search_card_balance("open_amount", operator, value)

    def _search_card_overdue_balance(self, operator, value):
        return self._search_card_balance("overdue_amount", operator, value)
