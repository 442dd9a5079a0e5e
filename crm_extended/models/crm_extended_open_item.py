"""Open items: the one definition of the card's receivable figures (issue 14).

Every surface that shows *open*, *overdue*, *days overdue* or the *ageing* of a
customer reads this model: the card header and summary strip, the payment tab,
the payment grade (``crm_extended.payment.behaviour``), the ledger's open-items
view, its PDF and XLSX, and the receivables analysis (pivot and graph).

Definitions (readme/USAGE.md, "How the figures are made"):

* an *open item* is a posted journal item on a receivable or payable account of
  the commercial partner or one of its contacts that is not fully reconciled;
  amounts are its residual in company currency (``amount_residual``), so partial
  payments and reconciled credit notes have already reduced it;
* *open* = receivable + payable residual (what core shows as ``credit - debit``);
* *due date* = ``date_maturity``, or the entry date when the item has none;
* *days overdue* = today - due date (negative: days until due);
* *overdue* = the residual of receivable items due before today. Payable items
  are never overdue receivables; an unreconciled payment or credit note whose
  date has passed reduces the overdue amount, as it does in core's aged
  receivable;
* *oldest overdue days* = the days overdue of the oldest receivable item still
  owed to us (positive residual) and due before today;
* *ageing*: receivable residual by days overdue: not due (<= 0), 1-30, 31-60,
  61-90, over 90. The buckets add up to the receivable residual.

The definitions are one SQL query (``_table_query``): it runs per request, so
"today" is the user's today (or ``crm_open_items_today`` from the context, used
by the nightly rebuild), and consumers read it with ``_read_group``. The
figures per customer (``_figures``, ``_contact_figures``: the card, the grade)
use the same column definitions (``_figure_columns``, ``ageing_bucket_sql``)
over the journal items directly, without the view's joins they do not need.
"""

from odoo import api, fields, models
from odoo.tools import SQL, frozendict

from ..services.ledger_query import (
    ACCOUNT_TYPES,
    AGEING_BUCKETS,
    PAYABLE,
    RECEIVABLE,
    ageing_bucket_sql,
    days_overdue_sql,
    due_date_sql,
    overdue_sql,
    owed_overdue_sql,
)

TODAY_KEY = "crm_open_items_today"


class CrmExtendedOpenItem(models.Model):
    _name = "crm_extended.open.item"
    _description = "Open Items Analysis"
    _auto = False
    _order = "days_overdue desc, date_maturity, id"
    _rec_name = "move_name"

    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_name = fields.Char(string="Number", readonly=True)
    move_type = fields.Selection(
        lambda self: self.env["account.move"]._fields["move_type"].selection,
        string="Type",
        readonly=True,
    )
    ref = fields.Char(string="Reference", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", string="Partner of the Item")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    document_currency_id = fields.Many2one(
        "res.currency", string="Currency", readonly=True
    )
    account_type = fields.Selection(
        [(RECEIVABLE, "Receivable"), (PAYABLE, "Payable")],
        string="Side",
        readonly=True,
    )
    residual = fields.Monetary(string="Open", readonly=True)
    residual_currency = fields.Monetary(
        string="Open in Currency",
        currency_field="document_currency_id",
        readonly=True,
        aggregator=None,
    )
    receivable_amount = fields.Monetary(string="Open Receivable", readonly=True)
    payable_amount = fields.Monetary(string="Open Payable", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days since the due date; negative while the item is not due yet.",
    )
    overdue_days = fields.Integer(
        string="Oldest Overdue (days)",
        readonly=True,
        aggregator="max",
        help="Days overdue of a receivable item still owed and due before today, "
        "0 otherwise: its maximum is the age of the oldest overdue item.",
    )
    ageing_bucket = fields.Selection(
        [
            ("not_due", "Not Due"),
            ("1_30", "1-30 Days"),
            ("31_60", "31-60 Days"),
            ("61_90", "61-90 Days"),
            ("over_90", "Over 90 Days"),
        ],
        string="Ageing",
        readonly=True,
    )
    matching_number = fields.Char(string="Matching", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="The invoice's salesperson, else the customer's.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The main sales team of the salesperson.",
    )
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    payment_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")],
        readonly=True,
    )
    segment_value_ids = fields.Many2many(
        related="partner_id.crm_segment_value_ids", string="Segments"
    )

    _depends = frozendict(
        {
            "account.move.line": [
                "account_id",
                "amount_residual",
                "amount_residual_currency",
                "company_id",
                "company_currency_id",
                "currency_id",
                "date",
                "date_maturity",
                "matching_number",
                "move_id",
                "move_name",
                "parent_state",
                "partner_id",
                "reconciled",
                "ref",
            ],
            "account.move": ["move_type", "invoice_user_id"],
            "account.account": ["account_type"],
            "res.partner": [
                "commercial_partner_id",
                "user_id",
                "country_id",
                "state_id",
                "payment_grade",
            ],
            "res.users": ["sale_team_id"],
        }
    )

    @api.model
    def _today(self):
        return self.env.context.get(TODAY_KEY) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        today = fields.Date.to_date(self._today())
        account_type = SQL("account.account_type")
        return SQL(
            """
            SELECT line.id,
                   line.move_id,
                   line.move_name,
                   move.move_type,
                   line.ref,
                   line.date,
                   %(due)s AS date_maturity,
                   partner.commercial_partner_id AS partner_id,
                   line.partner_id AS contact_id,
                   line.company_id,
                   line.company_currency_id AS currency_id,
                   line.currency_id AS document_currency_id,
                   account.account_type,
                   line.amount_residual AS residual,
                   line.amount_residual_currency AS residual_currency,
                   %(receivable_amount)s AS receivable_amount,
                   %(payable_amount)s AS payable_amount,
                   %(overdue_amount)s AS overdue_amount,
                   %(days)s AS days_overdue,
                   %(overdue_days)s AS overdue_days,
                   %(bucket)s AS ageing_bucket,
                   line.matching_number,
                   salesperson.id AS user_id,
                   salesperson.sale_team_id AS team_id,
                   commercial.country_id,
                   commercial.state_id,
                   commercial.payment_grade ->> line.company_id::text
                       AS payment_grade
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN res_partner commercial
                ON commercial.id = partner.commercial_partner_id
         LEFT JOIN res_users salesperson
                ON salesperson.id = COALESCE(move.invoice_user_id, commercial.user_id)
             WHERE line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND account.account_type IN %(types)s
            """,
            due=due_date_sql(),
            days=days_overdue_sql(today),
            bucket=ageing_bucket_sql(account_type, today),
            types=ACCOUNT_TYPES,
            **_figure_columns(today),
        )

    # ------------------------------------------------------------------
    # The figures per commercial partner, for the card and the grade.
    # ------------------------------------------------------------------
    @api.model
    def _figures(self, commercial_ids, companies, today=None, ageing=False):
        """Open figures per (commercial partner id, company id), one query.

        Returns {(partner_id, company_id): {"open", "receivable", "payable",
        "overdue", "overdue_days"}} plus, with ``ageing``, one key per bucket of
        ``AGEING_BUCKETS``. Read as the system: callers show the figures only to
        the roles that may see them (field groups on res.partner). The payment
        rebuild, which knows its batch's contacts, uses :meth:`_contact_figures`.

        The view's columns (``_figure_columns``, ``ageing_bucket_sql``) over
        the customers' own items, without the view's joins these figures do not
        need (the entry, the salesperson, the commercial partner's row): the
        card runs it on every opening, where planning the view's statement cost
        more than running it. The contacts are given as an array, read through
        the partner's index, as in ``_contact_figures``.
        """
        if not commercial_ids or not companies:
            return {}
        today = fields.Date.to_date(today or self._today())
        bucket = (
            ageing_bucket_sql(SQL("account.account_type"), today)
            if ageing
            else SQL("NULL")
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner.commercial_partner_id, line.company_id, %(bucket)s,
                       SUM(line.amount_residual), SUM(%(receivable_amount)s),
                       SUM(%(payable_amount)s), SUM(%(overdue_amount)s),
                       MAX(%(overdue_days)s)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.partner_id = ANY(ARRAY(
                           SELECT id FROM res_partner
                            WHERE commercial_partner_id IN %(partners)s))
                   AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE
                   AND account.account_type IN %(types)s
                   AND line.company_id IN %(companies)s
              GROUP BY 1, 2, 3
                %(flush)s
                """,
                bucket=bucket,
                partners=tuple(commercial_ids),
                types=ACCOUNT_TYPES,
                companies=tuple(companies.ids),
                flush=depends_flush_sql(self),
                **_figure_columns(today),
            )
        )
        result = {}
        for partner_id, company_id, bucket_key, *values in rows:
            residual, receivable, payable, overdue, days = values
            figures = result.setdefault((partner_id, company_id), empty_figures())
            figures["open"] += residual
            figures["receivable"] += receivable
            figures["payable"] += payable
            figures["overdue"] += overdue
            figures["overdue_days"] = max(figures["overdue_days"], days or 0)
            if bucket_key:
                figures[bucket_key] += receivable
        return result

    @api.model
    def _contact_figures(self, contacts, companies, today=None):
        """``_figures`` (without ageing) of a batch whose contacts are known:
        ``contacts`` is a list of (partner id of the items, its commercial
        partner id). For the payment rebuild.

        One aggregate of the same columns as the view (``_figure_columns``)
        over the batch's own items, read through the partner's
        unreconciled-items index, without the view's joins the figures do not
        need (the entry, the salesperson, both partners: the pairs name the
        commercial partner). The contacts are also given as an array the
        planner cannot count (as in ``_figures``): it then reads the index
        instead of scanning every journal item. Read as the system, as
        ``_figures``.

        Each figure also has ``next_due``: the earliest due date, today or
        later, of an open receivable item (None without one), the last day
        before the figures change with the date alone."""
        today = fields.Date.to_date(today or self._today())
        columns = _figure_columns(today)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT contact.partner_id, line.company_id,
                       SUM(line.amount_residual), SUM(%(receivable_amount)s),
                       SUM(%(payable_amount)s), SUM(%(overdue_amount)s),
                       MAX(%(overdue_days)s),
                       MIN(%(due_date)s) FILTER (WHERE %(receivable)s
                                               AND %(due_date)s >= %(today)s)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN unnest(%(contacts)s::int[], %(commercials)s::int[])
                       AS contact(id, partner_id) ON contact.id = line.partner_id
                 WHERE line.partner_id = ANY(ARRAY(SELECT unnest(%(contacts)s::int[])))
                   AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE
                   AND account.account_type IN %(types)s
                   AND line.company_id = ANY(%(companies)s)
              GROUP BY 1, 2
                """,
                contacts=[contact for contact, _partner in contacts],
                commercials=[partner for _contact, partner in contacts],
                types=ACCOUNT_TYPES,
                companies=companies.ids,
                due_date=due_date_sql(),
                receivable=SQL("account.account_type = %s", RECEIVABLE),
                today=today,
                **columns,
            )
        )
        result = {}
        for partner_id, company_id, *values in rows:
            residual, receivable, payable, overdue, days, next_due = values
            figures = result.setdefault(
                (partner_id, company_id), dict(empty_figures(), next_due=None)
            )
            figures["open"] += residual
            figures["receivable"] += receivable
            figures["payable"] += payable
            figures["overdue"] += overdue
            figures["overdue_days"] = max(figures["overdue_days"], days or 0)
            if next_due and (not figures["next_due"] or next_due < figures["next_due"]):
                figures["next_due"] = next_due
        return result


def depends_flush_sql(model):
    """No SQL: the fields an SQL view model reads (its ``_depends``), to flush
    before a statement that reads the view's tables without the view (the
    metadata Odoo's ``_table_sql`` adds to the view itself)."""
    return SQL().join(
        SQL(to_flush=model.env[name]._fields[field])
        for name, fields_read in model._depends.items()
        for field in fields_read
    )


def _figure_columns(today):
    """The view's amount columns (``line``, ``account`` aliases): the one
    definition the view and ``_contact_figures`` share."""
    account_type = SQL("account.account_type")
    residual = SQL("line.amount_residual")
    receivable = SQL("%s = %s", account_type, RECEIVABLE)
    days = days_overdue_sql(today)
    return {
        "receivable_amount": SQL(
            "CASE WHEN %s THEN line.amount_residual ELSE 0 END", receivable
        ),
        "payable_amount": SQL(
            "CASE WHEN %s THEN 0 ELSE line.amount_residual END", receivable
        ),
        "overdue_amount": SQL(
            "CASE WHEN %s THEN line.amount_residual ELSE 0 END",
            overdue_sql(account_type, today),
        ),
        "overdue_days": SQL(
            "CASE WHEN %s THEN %s ELSE 0 END",
            owed_overdue_sql(account_type, residual, today),
            days,
        ),
    }


def empty_figures():
    return {
        "open": 0.0,
        "receivable": 0.0,
        "payable": 0.0,
        "overdue": 0.0,
        "overdue_days": 0,
        **dict.fromkeys(AGEING_BUCKETS, 0.0),
    }
