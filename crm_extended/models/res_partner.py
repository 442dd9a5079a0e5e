from odoo import api, fields, models
from odoo.exceptions import AccessError

from .crm_extended_open_item import AGEING_BUCKETS


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    @api.depends_context("company")
    def _compute_card_balances(self):
        """Open and overdue amounts and the ageing of many partners: one grouped
        query on the open items (crm_extended.open.item holds the definitions).
        The strip and the ageing show them together: one query, not two."""
        company = self.env.company
        figures = self.env["crm_extended.open.item"]._figures(
            self.commercial_partner_id.ids, company, ageing=True
        )
        use_limit = company.account_use_credit_limit
        for partner in self:
            values = figures.get((partner.commercial_partner_id.id, company.id), {})
            receivable = values.get("receivable", 0.0)
            commercial = partner.commercial_partner_id.sudo()
            limit = commercial.credit_limit if use_limit else 0.0
            partner.card_open_balance = values.get("open", 0.0)
            partner.card_overdue_balance = values.get("overdue", 0.0)
            partner.card_receivable_balance = receivable
            partner.card_credit_limit = limit
            partner.card_credit_limit_use = 100.0 * receivable / limit if limit else 0.0
            for bucket in AGEING_BUCKETS:
                partner[f"payment_ageing_{bucket}"] = values.get(bucket, 0.0)

    def _search_card_balance(self, measure, operator, value):
        # Searching by an amount reveals it: only those who may read it may search.
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            raise AccessError(
                self.env._("Only accountants may filter customers by their balance.")
            )
        if value is False or value is None:
            value = 0
        operators = {"=", "!=", "<", "<=", ">", ">="}
        if operator not in operators or not isinstance(value, (int, float)):
            raise ValueError(f"Unsupported balance search: {operator} {value!r}")
        items = self.env["crm_extended.open.item"].sudo()
        domain = [("company_id", "=", self.env.company.id)]
        matching = items._read_group(
            domain, ["partner_id"], having=[(f"{measure}:sum", operator, value)]
        )
        commercial_ids = [partner.id for (partner,) in matching]
        if self._zero_matches(operator, value):
            # Customers without any open item have a zero balance too.
            with_items = [
                partner.id for (partner,) in items._read_group(domain, ["partner_id"])
            ]
            return [
                "|",
                ("commercial_partner_id", "in", commercial_ids),
                ("commercial_partner_id", "not in", with_items),
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

    def _search_card_open_balance(self, operator, value):
        return self._search_card_balance("residual", operator, value)

    def _search_card_overdue_balance(self, operator, value):
        return self._search_card_balance("overdue_amount", operator, value)
