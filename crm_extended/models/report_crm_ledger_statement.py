from odoo import api, fields, models

from ..services import ledger_parties

# Context keys of the ledger tab's print buttons. The period travels in the
# action's context, not in ``data``: a report action with ``data`` is downloaded
# without its record ids (and then prints nobody) and without its file name.
CONTEXT_DATE_FROM = "crm_ledger_date_from"
CONTEXT_DATE_TO = "crm_ledger_date_to"
CONTEXT_COMPANY = "crm_ledger_company_id"


class ReportCrmLedgerStatement(models.AbstractModel):
    """Values of the account statement: the ledger of a period per partner."""

    _name = "report.crm_extended.report_ledger_statement"
    _description = "Customer Card: Account Statement"
    _crm_ledger_kind = "statement"

    def _crm_ledger_option(self, data, key, context_key):
        """An option of the print: ``data`` first (wizards, RPC), then the
        context the print buttons set."""
        if data.get(key):
            return data[key]
        context = data.get("context") or {}
        return context.get(context_key) or self.env.context.get(context_key)

    def _crm_ledger_dates(self, data):
        date_from = self._crm_ledger_option(data, "date_from", CONTEXT_DATE_FROM)
        date_to = self._crm_ledger_option(data, "date_to", CONTEXT_DATE_TO)
        return (
            fields.Date.to_date(date_from or None),
            fields.Date.to_date(date_to or None),
        )

    def _crm_ledger_period(self, data):
        """(date_from, date_to) of the report; the current fiscal year by default."""
        date_from, date_to = self._crm_ledger_dates(data)
        if not date_from and not date_to:
            date_from, date_to = self.env["res.partner"].crm_ledger_default_period()
        return date_from, date_to

    def _crm_ledger_identifiers(self, partner, tax_id=None):
        """[(key, value)] of a party's identifiers; the template prints the
        labels (translated into the customer's language where they are not
        national names, see ``ledger_parties.NATIONAL_LABELS``)."""
        return ledger_parties.identifiers(
            partner.country_id.code,
            partner.company_registry,
            partner.vat,
            tax_id=tax_id,
        )

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        company_id = self._crm_ledger_option(data, "company_id", CONTEXT_COMPANY)
        company = self.env["res.company"].browse(company_id or [])
        company = company or self.env.company
        date_from, date_to = self._crm_ledger_period(data)
        partners = self.env["res.partner"].browse(docids)
        ledgers = {
            partner.id: partner.crm_ledger(
                date_from=date_from, date_to=date_to, company=company
            )
            for partner in partners
        }
        company_sudo = company.sudo()
        # The Slovak DIČ of the company itself, where l10n_sk stores it apart.
        company_tax_id = (
            company_sudo["income_tax_id"]
            if ("income_tax_id" in company_sudo._fields)
            else None
        )
        references = {
            partner.id: ledger_parties.reference(
                self._crm_ledger_kind,
                company.id,
                partner.commercial_partner_id.id,
                date_from,
                date_to,
            )
            for partner in partners
        }
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "ledgers": ledgers,
            "references": references,
            "customer_identifiers": {
                partner.id: self._crm_ledger_identifiers(partner.commercial_partner_id)
                for partner in partners
            },
            "supplier": company_sudo.partner_id,
            "supplier_identifiers": self._crm_ledger_identifiers(
                company_sudo.partner_id, tax_id=company_tax_id
            ),
            "identifier_labels": ledger_parties.NATIONAL_LABELS,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
        }
