"""The one SQL statement behind the balance ledger (saldokonto).

Kept apart from the model so the statement can be read on its own. It only builds
an ``odoo.tools.SQL`` object with bound parameters; running it, access checks and
shaping the result are the caller's business (``res.partner.crm_ledger``).
"""

from odoo.tools import SQL

ACCOUNT_TYPES = ("asset_receivable", "liability_payable")

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
    page is cut, so every page shows the true running balance.

    ``residual_date``: when given, residuals are recomputed as of that date from the
    partial reconciliations dated up to it (a statement as of a past date); when
    None, the stored current residual is used.
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
            """page.balance
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
        residual = SQL("page.amount_residual")
    return SQL(
        """
        WITH scope AS (
            SELECT line.id, line.move_id, line.date, line.move_name, line.ref,
                   line.date_maturity, line.debit, line.credit, line.balance,
                   line.amount_residual, line.matching_number, line.amount_currency,
                   line.currency_id, line.partner_id, line.company_id,
                   account.account_type
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
            SELECT scope.*,
                   SUM(scope.balance) OVER (
                       ORDER BY scope.date, scope.move_name, scope.id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
                   ROW_NUMBER() OVER (
                       ORDER BY scope.date, scope.move_name, scope.id) AS seq
              FROM scope
             WHERE %(in_period)s
          ORDER BY scope.date, scope.move_name, scope.id
            OFFSET %(offset)s
             LIMIT %(limit)s
        )
        SELECT totals.opening_receivable, totals.opening_payable,
               totals.debit_receivable, totals.credit_receivable,
               totals.debit_payable, totals.credit_payable, totals.line_count,
               page.id, page.move_id, page.date, page.move_name, page.ref,
               move.move_type, page.date_maturity, page.debit, page.credit,
               page.running, %(residual)s AS residual, page.matching_number,
               page.account_type, page.amount_currency, currency.name,
               page.company_id, contact.name, page.seq
          FROM totals
     LEFT JOIN page ON TRUE
     LEFT JOIN account_move move ON move.id = page.move_id
     LEFT JOIN res_currency currency ON currency.id = page.currency_id
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
    )
