from collections import defaultdict

from odoo import api, fields, models


class CrmExtendedOpenItem(models.Model):
    _inherit = "crm_extended.open.item"

    late_interest = fields.Monetary(
        string="Late-Payment Interest",
        compute="_compute_late_interest",
        groups="crm_extended.group_card_accountant",
        help="Statutory interest of this instalment up to the day of the open "
        "items, not invoiced yet.",
    )

    @api.depends_context("company", "crm_open_items_today")
    def _compute_late_interest(self):
        # Computed on read or attribute access: only of items the user may read.
        self.check_access("read")
        amounts = self._crm_late_interest_by_item()
        for item in self:
            item.late_interest = amounts.get(item.id, 0.0)

    def _crm_late_interest_by_item(self):
        """{open item id (its journal item): interest}, per company in one pass."""
        today = fields.Date.to_date(self._today())
        result = defaultdict(float)
        by_company = defaultdict(lambda: self.env["res.partner"])
        for item in self.sudo():
            if item.account_type == "asset_receivable" and item.partner_id:
                by_company[item.company_id] |= item.partner_id
        for company, partners in by_company.items():
            lines = partners.sudo()._crm_late_interest_lines_by_partner(company, today)
            for items in lines.values():
                for line in items:
                    result[line.key] += line.amount
        return {key: round(value, 6) for key, value in result.items()}
