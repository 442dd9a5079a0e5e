from odoo import fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """The ledger's open items show the late-payment interest to date: per
    instalment and in total (the interest of invoices already paid late too)."""

    _inherit = "res.partner"

    def crm_ledger_open_items(self, company=None, offset=0, limit=None):
        result = super().crm_ledger_open_items(
            company=company, offset=offset, limit=limit
        )
        companies = self.env["res.company"].browse(result["company_ids"])
        partner = self.commercial_partner_id
        items = self.env["crm_extended.open.item"].sudo()
        today = fields.Date.to_date(items._today())
        per_item, total, problem = {}, 0.0, ""
        try:
            page = items.browse([line["id"] for line in result["lines"]])
            per_item = page._crm_late_interest_by_item()
            for company_ in companies:
                total += partner._crm_late_interest_amount(company_, today)
        except UserError as error:
            problem = str(error)
        currency = companies.currency_id[:1]
        for line in result["lines"]:
            line["late_interest"] = currency.round(per_item.get(line["id"], 0.0))
        result["late_interest"] = currency.round(total)
        result["late_interest_problem"] = problem
        return result
