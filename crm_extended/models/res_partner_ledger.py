from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date

from ..services import ledger_maths, ledger_xlsx
from ..services.ledger_query import FLUSH_FIELDS, ledger_sql
from .report_crm_ledger_statement import (
    CONTEXT_COMPANY,
    CONTEXT_DATE_FROM,
    CONTEXT_DATE_TO,
)

LEDGER_PAGE_SIZE = 80
# System parameter that overrides LEDGER_PAGE_SIZE (lines per page of the ledger tab).
LEDGER_PAGE_SIZE_PARAM = "crm_extended.ledger_page_size"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # -- Balance ledger (saldokonto) ------------------------------------------

    def crm_ledger(
        self, date_from=None, date_to=None, company=None, offset=0, limit=None
    ):
        """The balance ledger of this partner's commercial entity and its contacts.

        Posted receivable and payable lines of ``company`` (default: the current
        company; a recordset or ids of companies the user may access, sharing one
        currency), in company currency, with the running balance in ``balance``.
        ``offset``/``limit`` cut one page of lines; the opening, closing balances,
        totals and ``line_count`` always cover the whole period.
        """
        self.ensure_one()
        self._crm_ledger_check_access()
        companies = self._crm_ledger_companies(company)
        date_from = fields.Date.to_date(date_from) if date_from else None
        date_to = fields.Date.to_date(date_to) if date_to else None
        if date_from and date_to and date_from > date_to:
            raise UserError(
                self.env._(
                    "The ledger period starts on %(start)s, after its end %(end)s.",
                    start=date_from,
                    end=date_to,
                )
            )
        if (offset or 0) < 0 or (limit is not None and limit < 0):
            raise UserError(self.env._("The ledger page cannot be negative."))
        for model, fnames in FLUSH_FIELDS.items():
            self.env[model].flush_model(fnames)
        today = fields.Date.context_today(self)
        as_of = min(date_to, today) if date_to else today
        rows = self.env.execute_query(
            ledger_sql(
                self.commercial_partner_id.id,
                companies.ids,
                as_of,
                date_from=date_from,
                date_to=date_to,
                residual_date=date_to if date_to and date_to < today else None,
                offset=offset,
                limit=limit,
            )
        )
        currency = companies.currency_id
        ledger = ledger_maths.build_ledger(
            rows,
            currency.decimal_places,
            currency.name,
            date_from=date_from,
            date_to=date_to,
        )
        ledger.update(
            partner_id=self.commercial_partner_id.id,
            company_ids=companies.ids,
            currency_id=currency.id,
            as_of=as_of,
            offset=offset or 0,
            limit=limit,
        )
        return ledger

    def _crm_ledger_check_access(self):
        if not (
            self.env.su or self.env.user.has_group("crm_extended.group_card_accountant")
        ):
            raise AccessError(
                self.env._(
                    "Only card accountants may see the balance ledger of %(partner)s.",
                    partner=self.display_name,
                )
            )
        self.check_access("read")

    def _crm_ledger_companies(self, company):
        """The companies of a ledger: checked against the user's companies."""
        Company = self.env["res.company"]
        if not company:
            companies = self.env.company
        elif isinstance(company, models.BaseModel):
            companies = company
        else:
            ids = [company] if isinstance(company, int) else list(company)
            companies = Company.browse(ids).exists()
        if not companies:
            raise UserError(self.env._("The ledger needs an existing company."))
        if not self.env.su and companies - self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You may not see the ledger of %(companies)s.",
                    companies=", ".join(
                        (companies - self.env.user.company_ids).sudo().mapped("name")
                    ),
                )
            )
        if len(companies.currency_id) > 1:
            raise UserError(
                self.env._(
                    "A ledger of several companies needs one currency; "
                    "%(companies)s use %(currencies)s.",
                    companies=", ".join(companies.mapped("name")),
                    currencies=", ".join(companies.currency_id.mapped("name")),
                )
            )
        return companies

    def crm_ledger_default_period(self):
        """The ledger tab's default: from the start of the current company's
        fiscal year to today (a period ending in the future hides nothing, but
        says nothing of the days to come either)."""
        today = fields.Date.context_today(self)
        period = self.env.company.compute_fiscalyear_dates(today)
        return period["date_from"], today

    def _crm_ledger_page_size(self):
        """Lines per page of the ledger tab: the system parameter
        ``crm_extended.ledger_page_size`` or ``LEDGER_PAGE_SIZE``."""
        value = self.env["ir.config_parameter"].sudo().get_param(LEDGER_PAGE_SIZE_PARAM)
        try:
            size = int(value or LEDGER_PAGE_SIZE)
        except ValueError:
            size = LEDGER_PAGE_SIZE
        return size if size > 0 else LEDGER_PAGE_SIZE

    def crm_ledger_page(self, date_from=None, date_to=None, offset=0, limit=None):
        """One page of the ledger for the ledger tab: the default period when
        none is given, pages of the server's page size by default. The answer
        carries ``limit`` (the page size used) and ``currency_digits`` (decimal
        places of the company currency and of the foreign currencies on the
        page, by code) for the widget's formatting."""
        self.ensure_one()
        if not date_from and not date_to:
            date_from, date_to = self.crm_ledger_default_period()
        ledger = self.crm_ledger(
            date_from=date_from,
            date_to=date_to,
            offset=offset,
            limit=limit or self._crm_ledger_page_size(),
        )
        first, last = ledger_maths.page_bounds(
            ledger["offset"], ledger["limit"], ledger["line_count"]
        )
        codes = {ledger["currency"]} | {
            line["foreign_currency"]
            for line in ledger["lines"]
            if line.get("foreign_currency")
        }
        currencies = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(codes))])
        )
        ledger.update(
            page_first=first,
            page_last=last,
            currency_digits={
                currency.name: currency.decimal_places for currency in currencies
            },
        )
        return ledger

    def _crm_ledger_report_data(self, date_from=None, date_to=None):
        if not date_from and not date_to:
            date_from, date_to = self.crm_ledger_default_period()
        return {
            "date_from": fields.Date.to_string(fields.Date.to_date(date_from))
            if date_from
            else False,
            "date_to": fields.Date.to_string(fields.Date.to_date(date_to))
            if date_to
            else False,
            "company_id": self.env.company.id,
        }

    def _crm_ledger_print(self, xmlid, date_from, date_to):
        """The report action of a ledger print for these partners.

        The period and the company go in the action's context: the web client
        downloads a report action that has ``data`` without its record ids (a
        blank PDF) and without its file name. ``config=False``: the document
        layout configurator must not stand between an accountant and the print
        (our reports carry their own A4 paper format)."""
        context = {
            CONTEXT_DATE_FROM: fields.Date.to_string(date_from) if date_from else False,
            CONTEXT_DATE_TO: fields.Date.to_string(date_to) if date_to else False,
            CONTEXT_COMPANY: self.env.company.id,
        }
        return (
            self.env.ref(xmlid)
            .with_context(**context)
            .report_action(self, config=False)
        )

    def action_crm_ledger_statement(self, date_from=None, date_to=None):
        """Print the account statement of a period (PDF)."""
        self._crm_ledger_check_access()
        if not date_from and not date_to:
            date_from, date_to = self.crm_ledger_default_period()
        return self._crm_ledger_print(
            "crm_extended.action_report_ledger_statement",
            fields.Date.to_date(date_from) if date_from else None,
            fields.Date.to_date(date_to) if date_to else None,
        )

    def action_crm_ledger_confirmation(self, date_to=None):
        """Print the balance confirmation as of a date (PDF)."""
        self._crm_ledger_check_access()
        today = fields.Date.context_today(self)
        # A balance is confirmed as of a day that has passed, never a future one.
        day = min(fields.Date.to_date(date_to), today) if date_to else today
        return self._crm_ledger_print(
            "crm_extended.action_report_ledger_confirmation", None, day
        )

    def _crm_ledger_report_filename(self, kind):
        """File name of a ledger print: the document, the customer and the day,
        in the customer's language (``print_report_name`` of the reports)."""
        partner = self.commercial_partner_id
        env = self.with_context(lang=partner.lang or self.env.lang).env
        title = {
            "statement": env._("Account Statement"),
            "confirmation": env._("Balance Confirmation"),
            "open_items": env._("Open Items"),
            "ledger": env._("Ledger"),
        }[kind]
        return env._(
            "%(document)s - %(customer)s - %(date)s",
            document=title,
            customer=partner.name or "",
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )

    def action_crm_ledger_xlsx(self, date_from=None, date_to=None):
        """Download the ledger of a period as an Excel workbook."""
        self.ensure_one()
        self._crm_ledger_check_access()
        data = self._crm_ledger_report_data(date_from, date_to)
        query = "&".join(f"{key}={value}" for key, value in data.items() if value)
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_extended/ledger/xlsx/{self.id}?{query}",
            "target": "download",
        }

    def _crm_ledger_xlsx(self, date_from=None, date_to=None, company=None):
        """(xlsx bytes, file name) of the ledger of a period, labels translated."""
        self.ensure_one()
        ledger = self.crm_ledger(date_from=date_from, date_to=date_to, company=company)
        _ = self.env._
        labels = {
            "sheet": _("Ledger"),
            "date": _("Date"),
            "move_name": _("Entry"),
            "ref": _("Reference"),
            "account_type": _("Account"),
            "contact": _("Contact"),
            "date_maturity": _("Due date"),
            "days_overdue": _("Days overdue"),
            "debit": _("Debit"),
            "credit": _("Credit"),
            "balance": _("Balance"),
            "residual": _("Residual"),
            "amount_currency": _("Amount in currency"),
            "currency": _("Currency"),
            "matching_number": _("Matching"),
            "opening": _("Opening balance"),
            "closing": _("Closing balance"),
            "asset_receivable": _("Receivable"),
            "liability_payable": _("Payable"),
        }
        partner = self.commercial_partner_id
        title = _("Ledger of %(partner)s", partner=partner.display_name)
        subtitle = _(
            "%(start)s - %(end)s, amounts in %(currency)s",
            start=format_date(self.env, ledger["date_from"])
            if ledger["date_from"]
            else "",
            end=format_date(self.env, ledger["date_to"]) if ledger["date_to"] else "",
            currency=ledger["currency"],
        )
        digits = self.env["res.currency"].browse(ledger["currency_id"]).decimal_places
        content = ledger_xlsx.ledger_workbook(
            ledger, labels, title, subtitle=subtitle, digits=digits
        )
        filename = f"{self._crm_ledger_report_filename('ledger')}.xlsx"
        return content, filename
