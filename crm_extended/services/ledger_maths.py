"""Ledger arithmetic without the ORM: turn the ledger statement's rows into the
``crm_ledger`` dictionary.

What is overdue, and by how many days, comes with the rows: the statement
builds those columns from the same expressions as the open items
(``services/ledger_query.py``), the one definition the card and grade share.
No Odoo import here, so it is unit-testable with plain pytest.
"""

RECEIVABLE = "asset_receivable"
PAYABLE = "liability_payable"

# Column order of the rows returned by services.ledger_query.ledger_sql().
(
    C_OPEN_REC,
    C_OPEN_PAY,
    C_DEBIT_REC,
    C_CREDIT_REC,
    C_DEBIT_PAY,
    C_CREDIT_PAY,
    C_COUNT,
    C_ID,
    C_MOVE_ID,
    C_DATE,
    C_MOVE_NAME,
    C_REF,
    C_MOVE_TYPE,
    C_MATURITY,
    C_DEBIT,
    C_CREDIT,
    C_RUNNING,
    C_RESIDUAL,
    C_MATCHING,
    C_ACCOUNT_TYPE,
    C_AMOUNT_CURRENCY,
    C_CURRENCY,
    C_COMPANY,
    C_CONTACT,
    C_SEQ,
    C_DAYS_OVERDUE,
    C_OVERDUE,
) = range(27)


def _num(value, digits):
    return round(float(value or 0), digits) + 0.0  # "+ 0.0" turns -0.0 into 0.0


def build_ledger(rows, digits, currency_code, date_from=None, date_to=None):
    """Shape the statement's rows into the ``crm_ledger`` result.

    ``digits``: decimal places of the company currency. Each line carries its
    document currency (``currency``) and, for a foreign currency, its amount in
    that currency (``amount_currency``, ``foreign_currency``).
    """
    first = rows[0]
    opening_rec = _num(first[C_OPEN_REC], digits)
    opening_pay = _num(first[C_OPEN_PAY], digits)
    opening = _num(opening_rec + opening_pay, digits)
    debit_rec = _num(first[C_DEBIT_REC], digits)
    credit_rec = _num(first[C_CREDIT_REC], digits)
    debit_pay = _num(first[C_DEBIT_PAY], digits)
    credit_pay = _num(first[C_CREDIT_PAY], digits)
    lines = []
    for row in rows:
        if row[C_ID] is None:
            continue
        residual = _num(row[C_RESIDUAL], digits)
        document_currency = row[C_CURRENCY] or currency_code
        foreign = document_currency if document_currency != currency_code else False
        lines.append(
            {
                "id": row[C_ID],
                "move_id": row[C_MOVE_ID],
                "date": row[C_DATE],
                "move_name": row[C_MOVE_NAME] or "",
                "ref": row[C_REF] or "",
                "move_type": row[C_MOVE_TYPE],
                "date_maturity": row[C_MATURITY],
                "debit": _num(row[C_DEBIT], digits),
                "credit": _num(row[C_CREDIT], digits),
                "balance": _num(opening + float(row[C_RUNNING] or 0), digits),
                "residual": residual,
                "matching_number": row[C_MATCHING] or "",
                "account_type": row[C_ACCOUNT_TYPE],
                "amount_currency": (
                    _num(row[C_AMOUNT_CURRENCY], 6) if foreign else False
                ),
                "foreign_currency": foreign,
                "currency": document_currency,
                "company_id": row[C_COMPANY],
                "contact": row[C_CONTACT] or "",
                "sequence": row[C_SEQ],
                "is_open": bool(residual),
                "is_overdue": bool(row[C_OVERDUE]),
                "days_overdue": row[C_DAYS_OVERDUE] if residual else None,
            }
        )
    debit = _num(debit_rec + debit_pay, digits)
    credit = _num(credit_rec + credit_pay, digits)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "currency": currency_code,
        "opening_balance": opening,
        "lines": lines,
        "closing_balance": _num(opening + debit - credit, digits),
        "debit": debit,
        "credit": credit,
        "line_count": int(first[C_COUNT] or 0),
        "receivable": _side(opening_rec, debit_rec, credit_rec, digits),
        "payable": _side(opening_pay, debit_pay, credit_pay, digits),
    }


def _side(opening, debit, credit, digits):
    return {
        "opening_balance": opening,
        "debit": debit,
        "credit": credit,
        "closing_balance": _num(opening + debit - credit, digits),
    }


def page_bounds(offset, limit, count):
    """1-based first and last line shown on a page, for "21-40 / 1000"."""
    if not count:
        return 0, 0
    first = min(offset, max(count - 1, 0)) + 1
    last = count if limit is None else min(offset + limit, count)
    return first, last
