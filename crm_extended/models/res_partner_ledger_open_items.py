from odoo import models
from odoo.tools.misc import format_date

from ..services import ledger_xlsx
from ..services.ledger_query import AGEING_BUCKETS


class ResPartner(models.Model):
    """The ledger's open items ("neuhradené doklady"): every item still open,
    whatever its period, most overdue first; on screen, in XLSX and PDF."""

    _inherit = "res.partner"

    def crm_ledger_open_items(self, company=None, offset=0, limit=None):
        """Open receivable and payable items of the commercial partner and its
        contacts, across all periods, sorted by days overdue (most first).

        Amounts in company currency; ``currency`` and ``amount_currency`` give
        each item's document currency and, for a foreign one, its open amount in
        it. The totals (``open``, ``receivable``, ``payable``, ``overdue``,
        ``overdue_days`` and ``ageing``) cover all items, whatever the page, and
        are the card's figures (crm_extended.open.item holds the definitions).
        """
        self.ensure_one()
        self._crm_ledger_check_access()
        companies = self._crm_ledger_companies(company)
        partner = self.commercial_partner_id
        Item = self.env["crm_extended.open.item"].sudo()
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "in", companies.ids),
        ]
        items = Item.search(domain, offset=offset or 0, limit=limit)
        currency = companies.currency_id
        totals = {key: 0.0 for key in ("open", "receivable", "payable", "overdue")}
        totals["overdue_days"] = 0
        ageing = dict.fromkeys(AGEING_BUCKETS, 0.0)
        per_company = Item._figures(partner.ids, companies, ageing=True)
        for figures in per_company.values():
            for key in ("open", "receivable", "payable", "overdue"):
                totals[key] += figures[key]
            totals["overdue_days"] = max(
                totals["overdue_days"], figures["overdue_days"]
            )
            for bucket in AGEING_BUCKETS:
                ageing[bucket] += figures[bucket]
        return {
            "partner_id": partner.id,
            "company_ids": companies.ids,
            "currency": currency.name,
            "currency_id": currency.id,
            "as_of": Item._today(),
            "offset": offset or 0,
            "limit": limit,
            "line_count": Item.search_count(domain),
            "lines": [self._crm_open_item_line(item, currency) for item in items],
            **{key: currency.round(value) for key, value in totals.items()},
            "overdue_days": totals["overdue_days"],
            "ageing": {key: currency.round(value) for key, value in ageing.items()},
        }

    def _crm_open_item_line(self, item, currency):
        document_currency = item.document_currency_id or currency
        foreign = document_currency != currency
        return {
            "id": item.id,
            "move_id": item.move_id.id,
            "date": item.date,
            "move_name": item.move_name or "",
            "ref": item.ref or "",
            "move_type": item.move_type,
            "date_maturity": item.date_maturity,
            "days_overdue": item.days_overdue,
            "residual": currency.round(item.residual),
            "overdue_amount": currency.round(item.overdue_amount),
            "account_type": item.account_type,
            "currency": document_currency.name,
            "foreign_currency": document_currency.name if foreign else False,
            "amount_currency": (
                document_currency.round(item.residual_currency) if foreign else False
            ),
            "contact": item.contact_id.name or "",
            "matching_number": item.matching_number or "",
            "is_open": True,
            "is_overdue": item.overdue_days > 0,
        }

    def action_crm_ledger_open_items_pdf(self):
        """Print the open items as of today (PDF): the company in the context like
        the statement (``data`` would lose the partner in the web client's
        download, and with it the file name)."""
        self._crm_ledger_check_access()
        return self._crm_ledger_print(
            "crm_extended.action_report_ledger_open_items", None, None
        )

    def action_crm_ledger_open_items_xlsx(self):
        """Download the open items as an Excel workbook."""
        self.ensure_one()
        self._crm_ledger_check_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_extended/ledger/open_items/xlsx/{self.id}"
            f"?company_id={self.env.company.id}",
            "target": "download",
        }

    def _crm_ledger_open_items_xlsx(self, company=None):
        """(xlsx bytes, file name) of the open items, labels translated."""
        self.ensure_one()
        open_items = self.crm_ledger_open_items(company=company)
        _ = self.env._
        labels = {
            "sheet": _("Open items"),
            "date": _("Date"),
            "move_name": _("Entry"),
            "ref": _("Reference"),
            "account_type": _("Account"),
            "contact": _("Contact"),
            "date_maturity": _("Due date"),
            "days_overdue": _("Days overdue"),
            "residual": _("Open amount"),
            "amount_currency": _("Amount in currency"),
            "currency": _("Currency"),
            "matching_number": _("Matching"),
            "asset_receivable": _("Receivable"),
            "liability_payable": _("Payable"),
            "receivable": _("Receivable"),
            "payable": _("Payable"),
            "open": _("Open balance"),
            "overdue": _("Overdue"),
        }
        partner = self.commercial_partner_id
        title = _("Open items of %(partner)s", partner=partner.display_name)
        subtitle = _(
            "As of %(date)s, amounts in %(currency)s",
            date=format_date(self.env, open_items["as_of"]),
            currency=open_items["currency"],
        )
        digits = self.env["res.currency"].browse(open_items["currency_id"])
        content = ledger_xlsx.open_items_workbook(
            open_items, labels, title, subtitle=subtitle, digits=digits.decimal_places
        )
        filename = f"{self._crm_ledger_report_filename('open_items')}.xlsx"
        return content, filename
