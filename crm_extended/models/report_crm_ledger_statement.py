from odoo import api, fields, models


class ReportCrmLedgerStatement(models.AbstractModel):
    """Values of the account statement: the ledger of a period per partner."""

    _name = "report.crm_extended.report_ledger_statement"
    _description = "Customer Card: Account Statement"

    def _crm_ledger_period(self, data):
        """(date_from, date_to) of the report; the current fiscal year by default."""
        date_from = fields.Date.to_date(data.get("date_from") or None)
        date_to = fields.Date.to_date(data.get("date_to") or None)
        if not date_from and not date_to:
            date_from, date_to = self.env["res.partner"].crm_ledger_default_period()
        return date_from, date_to

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company = self.env["res.company"].browse(data.get("company_id") or [])
        company = company or self.env.company
        date_from, date_to = self._crm_ledger_period(data)
        partners = self.env["res.partner"].browse(docids)
        ledgers = {
            partner.id: partner.crm_ledger(
                date_from=date_from, date_to=date_to, company=company
            )
            for partner in partners
        }
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "ledgers": ledgers,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
        }
