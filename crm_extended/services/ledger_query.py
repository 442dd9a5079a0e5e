"""The one SQL statement behind the balance ledger (saldokonto).

Kept apart from the model so the statement can be read on its own. It only builds
an ``odoo.tools.SQL`` object with bound parameters; running it, access checks and
shaping the result are the caller's business (``res.partner.crm_ledger``).
"""

from odoo.tools import SQL

RECEIVABLE = "asset_receivable"
PAYABLE = "liability_payable"
ACCOUNT_TYPES = (RECEIVABLE, PAYABLE)

#: Ageing buckets in display order, with the most days overdue each one holds.
AGEING_LIMITS = (("not_due", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90))
AGEING_BUCKETS = (*(key for key, _limit in AGEING_LIMITS), "over_90")


# -- The definitions of due, overdue and ageing (issue 14) --------------------
# The open items (models/crm_extended_open_item.py) and the ledger below build
# their columns from these expressions, so the card, the grade, the reports and
# every ledger line agree on what is overdue. ``line`` is an account_move_line
# alias, ``account_type`` the line's account type expression, ``residual`` the
# amount still open (today's, or as of a past day), ``today`` a date.


def due_date_sql(line="line"):
    """The due date of an item: its maturity, else its entry date."""
    return SQL(
        "COALESCE(%s, %s)",
        SQL.identifier(line, "date_maturity"),
        SQL.identifier(line, "date"),
    )


def days_overdue_sql(today, line="line"):
    """Days since the due date; zero or negative while not due."""
    return SQL("(%s::date - %s)", today, due_date_sql(line))


def overdue_sql(account_type, today, line="line"):
    """Receivable items due before today count towards the overdue amount (an
    unreconciled payment or credit note whose date has passed reduces it);
    payables are never overdue receivables."""
    return SQL(
        "(%s = %s AND %s > 0)", account_type, RECEIVABLE, days_overdue_sql(today, line)
    )


def owed_overdue_sql(account_type, residual, today, line="line"):
    """An overdue item still owed to us: it is marked, and the oldest of them
    gives the grade's "oldest overdue days"."""
    return SQL("(%s AND %s > 0)", overdue_sql(account_type, today, line), residual)


def ageing_bucket_sql(account_type, today, line="line"):
    """The ageing bucket of a receivable item (NULL for payables)."""
    days = days_overdue_sql(today, line)
    return SQL(
        "CASE WHEN %s <> %s THEN NULL %s ELSE 'over_90' END",
        account_type,
        RECEIVABLE,
        SQL(" ").join(
            SQL("WHEN %s <= %s THEN %s", days, limit, key)
            for key, limit in AGEING_LIMITS
        ),
    )


# Fields of account.move.line (and friends) the statement reads: flush them first.
FLUSH_FIELDS = {
    "account.move.line": [
        "account_id",
        "amount_currency",
        "amount_residual",
        "balance",
        "company_id",
        "credit",
        "currency_id",
        "date",
        "date_maturity",
        "debit",
        "matching_number",
        "move_id",
        "move_name",
        "parent_state",
        "partner_id",
        "ref",
    ],
    "account.move": ["move_type"],
    "account.partial.reconcile": [
        "amount",
        "credit_move_id",
        "debit_move_id",
        "max_date",
    ],
    "res.partner": ["commercial_partner_id"],
}


def ledger_sql(
    partner_id,
    company_ids,
    as_of,
    date_from=None,
    date_to=None,
    residual_date=None,
    offset=0,
    limit=None,
):
    """Opening balance, period totals and one page of period lines in one statement.

    The first row always carries the totals (an aggregate over the lines before
    ``date_from`` and over the period), so a page without lines still returns them;
    the line columns of that row are NULL when the period has no line on the page.
    The running balance is a window over *all* period lines, evaluated before the
    page is cut, so every page shows the true running balance. Lines are ordered by
    date, then entry, then line. Only the few columns the totals and the window need
    go through the sort (``ledger_index`` covers them); the page's lines are then
    read by id.

    ``residual_date``: when given, residuals are recomputed as of that date from the
    partial reconciliations dated up to it (a statement as of a past date); when
    None, the stored current residual is used. ``as_of``: the day against which
    lines are overdue (days overdue and the overdue mark of each line).
    """
    date_to_clause = SQL("AND line.date <= %s", date_to) if date_to else SQL()
    if date_from:
        before = SQL("scope.date < %s", date_from)
        in_period = SQL("scope.date >= %s", date_from)
    else:
        before = SQL("FALSE")
        in_period = SQL("TRUE")
    if residual_date:
        residual = SQL(
            """line.balance
               - COALESCE((SELECT SUM(partial.amount)
                             FROM account_partial_reconcile partial
                            WHERE partial.debit_move_id = page.id
                              AND partial.max_date <= %(day)s), 0)
               + COALESCE((SELECT SUM(partial.amount)
                             FROM account_partial_reconcile partial
                            WHERE partial.credit_move_id = page.id
                              AND partial.max_date <= %(day)s), 0)""",
            day=residual_date,
        )
    else:
        residual = SQL("line.amount_residual")
    return SQL(
        """
        WITH scope AS MATERIALIZED (
            SELECT line.id, line.date, line.move_id, line.debit, line.credit,
                   line.balance, account.account_type
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE line.partner_id IN (
                       SELECT contact.id
                         FROM res_partner contact
                        WHERE contact.commercial_partner_id = %(partner)s)
               AND line.parent_state = 'posted'
               AND line.company_id IN %(companies)s
               AND account.account_type IN %(types)s
               %(date_to_clause)s
        ),
        totals AS (
            SELECT
                COALESCE(SUM(scope.balance) FILTER (
                    WHERE %(before)s AND scope.account_type = 'asset_receivable'), 0)
                    AS opening_receivable,
                COALESCE(SUM(scope.balance) FILTER (
                    WHERE %(before)s AND scope.account_type = 'liability_payable'), 0)
                    AS opening_payable,
                COALESCE(SUM(scope.debit) FILTER (
                    WHERE %(in_period)s AND scope.account_type = 'asset_receivable'), 0)
                    AS debit_receivable,
                COALESCE(SUM(scope.credit) FILTER (
                    WHERE %(in_period)s AND scope.account_type = 'asset_receivable'), 0)
                    AS credit_receivable,
                COALESCE(SUM(scope.debit) FILTER (
                    WHERE %(in_period)s
                      AND scope.account_type = 'liability_payable'), 0)
                    AS debit_payable,
                COALESCE(SUM(scope.credit) FILTER (
                    WHERE %(in_period)s
                      AND scope.account_type = 'liability_payable'), 0)
                    AS credit_payable,
                COUNT(*) FILTER (WHERE %(in_period)s) AS line_count
              FROM scope
        ),
        page AS (
            SELECT scope.id, scope.account_type,
                   SUM(scope.balance) OVER (
                       ORDER BY scope.date, scope.move_id, scope.id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
                   ROW_NUMBER() OVER (
                       ORDER BY scope.date, scope.move_id, scope.id) AS seq
              FROM scope
             WHERE %(in_period)s
          ORDER BY scope.date, scope.move_id, scope.id
            OFFSET %(offset)s
             LIMIT %(limit)s
        )
        SELECT totals.opening_receivable, totals.opening_payable,
               totals.debit_receivable, totals.credit_receivable,
               totals.debit_payable, totals.credit_payable, totals.line_count,
               page.id, line.move_id, line.date, line.move_name, line.ref,
               move.move_type, line.date_maturity, line.debit, line.credit,
               page.running, %(residual)s AS residual, line.matching_number,
               page.account_type, line.amount_currency, currency.name,
               line.company_id, contact.name, page.seq,
               CASE WHEN line.id IS NOT NULL THEN %(days_overdue)s END,
               COALESCE(%(owed_overdue)s, FALSE)
          FROM totals
     LEFT JOIN page ON TRUE
     LEFT JOIN account_move_line line ON line.id = page.id
     LEFT JOIN account_move move ON move.id = line.move_id
     LEFT JOIN res_currency currency ON currency.id = line.currency_id
     LEFT JOIN res_partner contact ON contact.id = move.partner_id
      ORDER BY page.seq
        """,
        partner=partner_id,
        companies=tuple(company_ids),
        types=ACCOUNT_TYPES,
        date_to_clause=date_to_clause,
        before=before,
        in_period=in_period,
        offset=offset or 0,
        limit=limit,
        residual=residual,
        days_overdue=days_overdue_sql(as_of),
        owed_overdue=owed_overdue_sql(SQL("page.account_type"), residual, as_of),
    )


def ledger_index_sql():
    """A covering index for the ledger's scan: posted lines by partner and date,
    carrying what the totals and the running balance read, so the scan of a
    partner with 100,000 lines is an index-only scan."""
    return SQL(
        """
        CREATE INDEX IF NOT EXISTS account_move_line_crm_ledger_idx
            ON account_move_line (partner_id, date)
            INCLUDE (id, account_id, company_id, move_id, debit, credit, balance)
         WHERE parent_state = 'posted'
        """
    )
