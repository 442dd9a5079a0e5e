from odoo import api, models


class ReportCrmLedgerOpenItems(models.AbstractModel):
    """Values of the open items list: every open item as of today, most overdue
    first, with the card's totals."""

    _name = "report.crm_extended.report_ledger_open_items"
    _description = "Customer Card: Open Items"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company = self.env["res.company"].browse(data.get("company_id") or [])
        company = company or self.env.company
        partners = self.env["res.partner"].browse(docids)
        open_items = {
            partner.id: partner.crm_ledger_open_items(company=company)
            for partner in partners
        }
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "open_items": open_items,
            "company": company,
            "currency": company.currency_id,
        }
