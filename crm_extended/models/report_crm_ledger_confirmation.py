from odoo import fields, models


class ReportCrmLedgerConfirmation(models.AbstractModel):
    """Values of the balance confirmation: open items as of one date."""

    _name = "report.crm_extended.report_ledger_confirmation"
    _inherit = "report.crm_extended.report_ledger_statement"
    _description = "Customer Card: Balance Confirmation"
    _crm_ledger_kind = "confirmation"

    def _crm_ledger_period(self, data):
        _date_from, date_to = self._crm_ledger_dates(data)
        return None, date_to or fields.Date.context_today(self)
