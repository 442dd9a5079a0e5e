"""Plain unit tests of the ledger's ORM-free helpers (no Odoo needed)."""

import datetime
import io
from decimal import Decimal

import openpyxl
from addon_modules import load_module

maths = load_module("services/ledger_maths.py")
xlsx = load_module("services/ledger_xlsx.py")

D = datetime.date


def _row(totals, line=None):
    return tuple(totals) + tuple(line or (None,) * 18)


TOTALS = (
    Decimal(100),  # opening receivable
    Decimal(-30),  # opening payable
    Decimal(500),  # debit receivable
    Decimal("120.005"),  # credit receivable
    Decimal(0),
    Decimal(0),
    2,
)


def _line(line_id, day, debit, credit, running, residual, due=None, kind=None):
    return (
        line_id,
        line_id * 10,
        day,
        f"INV/{line_id}",
        None,
        "out_invoice",
        due,
        Decimal(debit),
        Decimal(credit),
        Decimal(running),
        Decimal(residual),
        None,
        kind or maths.RECEIVABLE,
        Decimal(0),
        "EUR",
        1,
        "Contact",
        line_id,
    )


def test_build_ledger_adds_opening_to_running_balance():
    rows = [
        _row(TOTALS, _line(1, D(2026, 1, 5), "500", "0", "500", "500", D(2026, 1, 20))),
        _row(TOTALS, _line(2, D(2026, 2, 1), "0", "120.005", "379.995", "0")),
    ]
    ledger = maths.build_ledger(rows, 2, "EUR", D(2026, 3, 1))
    assert ledger["opening_balance"] == 70.0
    assert [line["balance"] for line in ledger["lines"]] == [570.0, 450.0]
    assert ledger["closing_balance"] == 450.0
    assert ledger["receivable"]["closing_balance"] == 480.0
    assert ledger["payable"]["closing_balance"] == -30.0
    assert ledger["lines"][0]["is_overdue"] is True
    assert ledger["lines"][1]["is_open"] is False
    assert ledger["lines"][0]["foreign_currency"] is False
    assert ledger["line_count"] == 2


def test_empty_page_keeps_totals():
    ledger = maths.build_ledger([_row(TOTALS)], 2, "EUR", D(2026, 3, 1))
    assert ledger["lines"] == []
    assert ledger["closing_balance"] == 450.0


def test_overdue_only_when_owed_in_its_direction():
    day, due = D(2026, 3, 1), D(2026, 2, 1)
    assert maths.is_overdue(maths.RECEIVABLE, 10, due, day, 2)
    assert not maths.is_overdue(maths.RECEIVABLE, -10, due, day, 2)
    assert maths.is_overdue(maths.PAYABLE, -10, due, day, 2)
    assert not maths.is_overdue(maths.PAYABLE, 10, due, day, 2)
    assert not maths.is_overdue(maths.RECEIVABLE, 10, day, day, 2)
    assert not maths.is_overdue(maths.RECEIVABLE, 0.001, due, day, 2)


def test_page_bounds():
    assert maths.page_bounds(0, 80, 0) == (0, 0)
    assert maths.page_bounds(0, 80, 500) == (1, 80)
    assert maths.page_bounds(480, 80, 500) == (481, 500)


def test_workbook_has_frozen_header_and_number_formats():
    rows = [
        _row(TOTALS, _line(1, D(2026, 1, 5), "500", "0", "500", "500", D(2026, 1, 20))),
    ]
    ledger = maths.build_ledger(
        rows, 2, "EUR", D(2026, 3, 1), D(2026, 1, 1), D(2026, 12, 31)
    )
    content = xlsx.ledger_workbook(ledger, {"balance": "Saldo"}, "Ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A5"
    assert sheet.cell(row=4, column=9).value == "Saldo"
    assert sheet.cell(row=5, column=9).value == 70.0
    assert sheet.cell(row=6, column=9).value == 570.0
    assert sheet.cell(row=6, column=9).number_format == "#,##0.00"
    assert sheet.cell(row=6, column=1).value == datetime.datetime(2026, 1, 5)
    assert xlsx.money_format(0) == "#,##0"
