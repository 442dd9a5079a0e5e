from odoo import api, models

from .report_crm_ledger_statement import CONTEXT_COMPANY


class ReportCrmLedgerOpenItems(models.AbstractModel):
    """Values of the open items list: every open item as of today, most overdue
    first, with the card's totals; both parties as on the statement."""

    _name = "report.crm_extended.report_ledger_open_items"
    _inherit = "report.crm_extended.report_ledger_statement"
    _description = "Customer Card: Open Items"
    _crm_ledger_kind = "open_items"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        values = super()._get_report_values(docids, data=data)
        company_id = self._crm_ledger_option(data, "company_id", CONTEXT_COMPANY)
        company = self.env["res.company"].browse(company_id or [])
        company = company or self.env.company
        values["open_items"] = {
            partner.id: partner.crm_ledger_open_items(company=company)
            for partner in values["docs"]
        }
        return values
