from odoo import api, models

from ..services import ledger_parties


class ReportCrmReminder(models.AbstractModel):
    """Values of the payment reminder PDF: the reminder's items as of its date,
    with the parties' blocks of the ledger prints."""

    _name = "report.crm_extended.report_crm_reminder"
    _description = "Customer Card: Payment Reminder"

    @api.model
    def _get_report_values(self, docids, data=None):
        reminders = self.env["crm_extended.reminder"].browse(docids)
        reminders.check_access("read")
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            # The items and amounts are the accountant's (field groups).
            reminders.check_access("write")
        statement = self.env["report.crm_extended.report_ledger_statement"]
        supplier = {
            reminder.id: reminder.company_id.sudo().partner_id for reminder in reminders
        }
        return {
            "doc_ids": docids,
            "doc_model": "crm_extended.reminder",
            "docs": reminders,
            "items_of": {
                reminder.id: reminder._crm_report_items() for reminder in reminders
            },
            "supplier_of": supplier,
            "supplier_identifiers": {
                reminder.id: statement._crm_ledger_identifiers(supplier[reminder.id])
                for reminder in reminders
            },
            "customer_identifiers": {
                reminder.id: statement._crm_ledger_identifiers(reminder.partner_id)
                for reminder in reminders
            },
            "identifier_labels": ledger_parties.NATIONAL_LABELS,
        }
