"""Late-payment interest of a customer: books in, plain maths, card and invoice.

Three queries whatever the number of partners read the instalments, their
settlements (``account.partial.reconcile``) and what penalty invoices already
charged; ``services/late_interest.py`` does the maths with the company's rule
and its country's rate table.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date

from ..services import late_interest

# Instalments: posted customer invoices' receivable lines due before the day,
# penalty invoices excepted (no interest on interest).
_SQL_INSTALMENTS = """
SELECT line.id, partner.commercial_partner_id, line.move_id, line.date_maturity,
       line.balance, line.amount_residual
  FROM account_move_line line
  JOIN account_move move ON move.id = line.move_id
  JOIN res_partner partner ON partner.id = line.partner_id
 WHERE partner.commercial_partner_id = ANY(%(partners)s)
   AND line.company_id = %(company)s
   AND line.display_type = 'payment_term'
   AND line.parent_state = 'posted'
   AND move.move_type = 'out_invoice'
   AND move.crm_is_penalty_invoice IS NOT TRUE
   AND line.date_maturity < %(on_date)s
   AND line.balance > 0
"""

# Settlements of the instalments: credit notes reduce them, every other posted
# counterpart (payment, bank line, offset) pays them on the later of both
# lines' dates; exchange differences are neither.
_SQL_SETTLEMENTS = """
SELECT partial.debit_move_id, partial.amount,
       GREATEST(line.date, counterpart.date),
       counterpart_move.move_type = 'out_refund'
  FROM account_partial_reconcile partial
  JOIN account_move_line line ON line.id = partial.debit_move_id
  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
  JOIN account_move counterpart_move ON counterpart_move.id = counterpart.move_id
  JOIN res_company company ON company.id = line.company_id
 WHERE partial.debit_move_id = ANY(%(lines)s)
   AND counterpart.parent_state = 'posted'
   AND counterpart.journal_id IS DISTINCT FROM company.currency_exchange_journal_id
"""

# Interest already invoiced per instalment (cancelled penalty invoices free it).
_SQL_INVOICED = """
SELECT charge.crm_interest_instalment_id, MAX(charge.crm_interest_date_to)
  FROM account_move_line charge
  JOIN account_move move ON move.id = charge.move_id
 WHERE charge.crm_interest_instalment_id = ANY(%(lines)s)
   AND move.state != 'cancel'
 GROUP BY charge.crm_interest_instalment_id
"""

ACCOUNTANT = "crm_extended.group_card_accountant"


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_late_interest_amount = fields.Monetary(
        string="Late-Payment Interest",
        compute="_compute_crm_late_interest",
        currency_field="card_currency_id",
        groups=ACCOUNTANT,
        help="Statutory interest on late instalments up to today, not invoiced "
        "yet, in the company currency.",
    )
    crm_late_interest_html = fields.Html(
        string="Interest Breakdown",
        compute="_compute_crm_late_interest",
        sanitize=False,
        groups=ACCOUNTANT,
    )

    # ------------------------------------------------------------------ maths
    def _crm_late_interest_instalments(self, company, on_date):
        """{commercial partner id: [late_interest.Instalment]} of the partners.

        ``Instalment.key`` is the receivable line id. Read as the system:
        callers show the result only to accountants.
        """
        partners = self.commercial_partner_id.ids
        result = {partner_id: [] for partner_id in partners}
        if not partners:
            return result
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                _SQL_INSTALMENTS,
                partners=partners,
                company=company.id,
                on_date=on_date,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return result
        line_ids = [row[0] for row in rows]
        cr.execute(SQL(_SQL_SETTLEMENTS, lines=line_ids))
        settlements = cr.fetchall()
        cr.execute(SQL(_SQL_INVOICED, lines=line_ids))
        invoiced = dict(cr.fetchall())
        by_line = {}
        for line_id, _partner_id, _move_id, due, balance, _residual in rows:
            instalment = late_interest.Instalment(
                line_id, due, balance, invoiced_to=invoiced.get(line_id)
            )
            by_line[line_id] = instalment
        for line_id, amount, day, is_credit_note in settlements:
            instalment = by_line[line_id]
            if is_credit_note:
                instalment.credited += amount
            else:
                instalment.portions.append(late_interest.Portion(day, amount))
        window_start = on_date - timedelta(days=company.crm_interest_window_days or 0)
        for line_id, partner_id, _move_id, _due, _balance, residual in rows:
            instalment = by_line[line_id]
            settled = company.currency_id.is_zero(residual)
            last_day = max(
                (portion.day for portion in instalment.portions), default=None
            )
            if settled and (last_day is None or last_day < window_start):
                continue
            result[partner_id].append(instalment)
        return result

    def _crm_late_interest_lines_by_partner(self, company, on_date):
        """{commercial partner id: [late_interest.Line]} not invoiced yet."""
        rule = company._crm_interest_rule()
        if not rule:
            return {partner_id: [] for partner_id in self.commercial_partner_id.ids}
        table = self.env["crm_extended.interest.rate"]._crm_rate_table(rule.country)
        digits = company.currency_id.decimal_places
        result = {}
        instalments = self._crm_late_interest_instalments(company, on_date)
        for partner_id, items in instalments.items():
            try:
                result[partner_id] = late_interest.compute(
                    rule, table, items, on_date, digits
                )
            except late_interest.MissingRate as error:
                raise UserError(
                    self.env._(
                        "There is no late-payment interest reference rate for "
                        "%(country)s valid on %(date)s: a card manager adds it under "
                        "Contacts > Configuration > Late-Payment Interest Rates.",
                        country=error.country,
                        date=format_date(self.env, error.day),
                    )
                ) from error
        return result

    def _crm_late_interest_amounts(self, company, on_date):
        """{commercial partner id: interest not invoiced yet} for many partners."""
        lines = self._crm_late_interest_lines_by_partner(company, on_date)
        return {
            partner_id: company.currency_id.round(late_interest.total(items))
            for partner_id, items in lines.items()
        }

    def _crm_late_interest_amount(self, company, on_date):
        """Statutory interest of this customer up to ``on_date`` (inclusive), in
        the company currency, not invoiced on a penalty invoice yet; 0.0 when none.

        The contract for the reminders: no access check (callers decide who
        sees it), one customer (its commercial partner and contacts).
        """
        self.ensure_one()
        on_date = fields.Date.to_date(on_date)
        partner = self.commercial_partner_id
        return self._crm_late_interest_amounts(company, on_date).get(partner.id, 0.0)

    # ----------------------------------------------------------- breakdown
    def _crm_late_interest_check_access(self):
        if not (self.env.su or self.env.user.has_group(ACCOUNTANT)):
            raise AccessError(
                self.env._(
                    "Only card accountants may see the late-payment interest of "
                    "%(partner)s.",
                    partner=self.display_name,
                )
            )
        self.check_access("read")

    def crm_late_interest_breakdown(self, company=None, on_date=None):
        """The interest not invoiced yet, one dict per instalment and period:
        ``{move_id, move_name, line_id, date_maturity, date_from, date_to, days,
        base, rate, reference_rate, margin, fixing_day, amount}``, with the
        ``total`` and the ``currency``.
        """
        self.ensure_one()
        self._crm_late_interest_check_access()
        company = company or self.env.company
        if company not in self.env.user.company_ids and not self.env.su:
            raise AccessError(self.env._("You may not read this company's books."))
        on_date = fields.Date.to_date(on_date) or fields.Date.context_today(self)
        partner = self.commercial_partner_id
        lines = self._crm_late_interest_lines_by_partner(company, on_date)[partner.id]
        move_lines = (
            self.env["account.move.line"].sudo().browse([line.key for line in lines])
        )
        names = {line.id: (line.move_id.id, line.move_id.name) for line in move_lines}
        return {
            "currency": company.currency_id.name,
            "on_date": on_date,
            "rule": company.crm_interest_rule,
            "total": company.currency_id.round(late_interest.total(lines)),
            "lines": [
                {
                    "line_id": line.key,
                    "move_id": names[line.key][0],
                    "move_name": names[line.key][1],
                    "date_maturity": line.due,
                    "date_from": line.date_from,
                    "date_to": line.date_to,
                    "days": line.days,
                    "base": line.base,
                    "rate": line.rate,
                    "reference_rate": line.reference_rate,
                    "margin": line.margin,
                    "fixing_day": line.fixing_day,
                    "amount": line.amount,
                }
                for line in lines
            ],
        }

    @api.depends_context("company")
    def _compute_crm_late_interest(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        partners = self.filtered("id")
        try:
            lines = partners._crm_late_interest_lines_by_partner(company, today)
        except UserError as error:
            lines, message = {}, str(error)
        else:
            message = ""
        for partner in self:
            items = lines.get(partner.commercial_partner_id.id, [])
            partner.crm_late_interest_amount = late_interest.total(items)
            partner.crm_late_interest_html = self._crm_late_interest_render(
                company, items, message
            )

    def _crm_late_interest_render(self, company, items, message):
        move_lines = (
            self.env["account.move.line"].sudo().browse([line.key for line in items])
        )
        names = {line.id: line.move_id.name for line in move_lines}
        currency = company.currency_id
        rows = [
            {
                "move_name": names.get(line.key, ""),
                "due": format_date(self.env, line.due),
                "period": f"{format_date(self.env, line.date_from)} – "
                f"{format_date(self.env, line.date_to)}",
                "days": line.days,
                "base": format_amount(self.env, line.base, currency),
                "rate": f"{line.rate:.2f} %",
                "amount": format_amount(self.env, line.amount, currency),
            }
            for line in items
        ]
        return self.env["ir.qweb"]._render(
            "crm_extended.late_interest_breakdown",
            {
                "rows": rows,
                "message": message,
                "total": format_amount(self.env, late_interest.total(items), currency),
            },
        )

    # ------------------------------------------------------- penalty invoice
    def action_crm_penalty_invoice(self):
        """Create the penalty invoice ("penalizačná faktúra") of the interest not
        invoiced yet and the flat recovery fees not charged yet (draft)."""
        self.ensure_one()
        self._crm_late_interest_check_access()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may create invoices."))
        company = self.env.company
        invoice = self._crm_penalty_invoice(company, fields.Date.context_today(self))
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
            "target": "current",
        }

    def _crm_penalty_invoice(self, company, on_date):
        # The lines are read by the customer: in their language; what goes wrong
        # is read by the user: in theirs.
        lang = self.commercial_partner_id.lang or self.env.lang
        return self.with_context(lang=lang)._crm_penalty_invoice_build(
            company, on_date, user_env=self.env
        )

    def _crm_penalty_invoice_build(self, company, on_date, user_env=None):
        user_env = user_env or self.env
        partner = self.commercial_partner_id
        rule = company._crm_interest_rule()
        if not rule:
            raise UserError(
                user_env._(
                    "The company %(company)s charges no statutory interest: a card "
                    "manager chooses the rule in the settings.",
                    company=company.name,
                )
            )
        lines = self._crm_late_interest_lines_by_partner(company, on_date)[partner.id]
        instalments = self.env["account.move.line"].browse([line.key for line in lines])
        currency = company.currency_id
        commands = [
            Command.create(self._crm_penalty_interest_values(line, instalments))
            for line in lines
        ]
        if company.crm_interest_recovery_fee:
            late_moves = instalments.move_id
            charged = (
                self.env["account.move.line"]
                .search(
                    [
                        ("crm_recovery_fee_move_id", "in", late_moves.ids),
                        ("move_id.state", "!=", "cancel"),
                    ]
                )
                .crm_recovery_fee_move_id
            )
            for move in late_moves - charged:
                values = self._crm_recovery_fee_values(rule, move, company)
                if values:
                    commands.append(Command.create(values))
        if not commands:
            raise UserError(
                user_env._(
                    "%(partner)s owes no late-payment interest or recovery fee that "
                    "was not invoiced yet.",
                    partner=partner.display_name,
                )
            )
        journal = company.crm_interest_journal_id or self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "currency_id": currency.id,
                    "invoice_date": on_date,
                    "crm_is_penalty_invoice": True,
                    "invoice_origin": self.env._("Late-payment interest"),
                    "invoice_line_ids": commands,
                }
            )
        )

    def _crm_penalty_interest_values(self, line, instalments):
        instalment = instalments.browse(line.key)
        currency = instalment.company_currency_id
        rate = f"{line.rate:.2f}"
        name = self.env._(
            "Late-payment interest on %(invoice)s due %(due)s: %(date_from)s – "
            "%(date_to)s, %(days)s days, %(rate)s %% a year on %(base)s",
            invoice=instalment.move_id.name,
            due=format_date(self.env, line.due),
            date_from=format_date(self.env, line.date_from),
            date_to=format_date(self.env, line.date_to),
            days=line.days,
            rate=rate,
            base=format_amount(self.env, line.base, currency),
        )
        return {
            "name": name,
            "quantity": 1,
            "price_unit": line.amount,
            "tax_ids": [Command.clear()],
            "crm_interest_instalment_id": instalment.id,
            "crm_interest_date_from": line.date_from,
            "crm_interest_date_to": line.date_to,
            "crm_interest_days": line.days,
            "crm_interest_rate": line.rate,
            "crm_interest_base": line.base,
        }

    def _crm_recovery_fee_values(self, rule, move, company):
        amount, currency_code = late_interest.recovery_fee(
            rule, abs(move.amount_total_signed)
        )
        if not amount:
            return None
        fee_currency = self.env["res.currency"].search(
            [("name", "=", currency_code)], limit=1
        )
        if not fee_currency:
            return None
        dues = [day for day in move.line_ids.mapped("date_maturity") if day]
        due = min(dues or [move.invoice_date])
        # Poland converts at the rate of the last working day of the month before
        # the claim fell due; the others at the due date's rate.
        rate_day = due
        if rule.country == "PL":
            rate_day = due.replace(day=1) - relativedelta(days=1)
        converted = fee_currency.with_context(date=rate_day)._convert(
            amount, company.currency_id, company, rate_day
        )
        return {
            "name": self.env._(
                "Flat compensation for recovery costs of %(invoice)s: %(amount)s",
                invoice=move.name,
                amount=format_amount(self.env, amount, fee_currency),
            ),
            "quantity": 1,
            "price_unit": converted,
            "tax_ids": [Command.clear()],
            "crm_recovery_fee_move_id": move.id,
        }
