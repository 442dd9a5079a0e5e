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
    return tuple(totals) + tuple(line or (None,) * 20)


TOTALS = (
    Decimal(100),  # opening receivable
    Decimal(-30),  # opening payable
    Decimal(500),  # debit receivable
    Decimal("120.005"),  # credit receivable
    Decimal(0),
    Decimal(0),
    2,
)


def _line(
    line_id, day, debit, credit, running, residual, due=None, kind=None, days=None
):
    overdue = days is not None and days > 0 and (kind or maths.RECEIVABLE)
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
        days,
        bool(overdue == maths.RECEIVABLE and Decimal(residual) > 0),
    )


def test_build_ledger_adds_opening_to_running_balance():
    rows = [
        _row(
            TOTALS,
            _line(1, D(2026, 1, 5), "500", "0", "500", "500", D(2026, 1, 20), days=40),
        ),
        _row(TOTALS, _line(2, D(2026, 2, 1), "0", "120.005", "379.995", "0")),
    ]
    ledger = maths.build_ledger(rows, 2, "EUR")
    assert ledger["opening_balance"] == 70.0
    assert [line["balance"] for line in ledger["lines"]] == [570.0, 450.0]
    assert ledger["closing_balance"] == 450.0
    assert ledger["receivable"]["closing_balance"] == 480.0
    assert ledger["payable"]["closing_balance"] == -30.0
    assert ledger["lines"][0]["is_overdue"] is True
    assert ledger["lines"][1]["is_open"] is False
    assert ledger["lines"][0]["days_overdue"] == 40
    assert ledger["lines"][1]["days_overdue"] is None
    assert ledger["lines"][0]["foreign_currency"] is False
    assert ledger["lines"][0]["currency"] == "EUR"
    assert ledger["line_count"] == 2


def test_empty_page_keeps_totals():
    ledger = maths.build_ledger([_row(TOTALS)], 2, "EUR")
    assert ledger["lines"] == []
    assert ledger["closing_balance"] == 450.0


def test_page_bounds():
    assert maths.page_bounds(0, 80, 0) == (0, 0)
    assert maths.page_bounds(0, 80, 500) == (1, 80)
    assert maths.page_bounds(480, 80, 500) == (481, 500)


def test_workbook_has_frozen_header_and_number_formats():
    rows = [
        _row(
            TOTALS,
            _line(1, D(2026, 1, 5), "500", "0", "500", "500", D(2026, 1, 20), days=40),
        ),
    ]
    ledger = maths.build_ledger(rows, 2, "EUR", D(2026, 1, 1), D(2026, 12, 31))
    labels = {"balance": "Saldo", "days_overdue": "Dni po splatnosti"}
    labels["currency"] = "Mena"
    content = xlsx.ledger_workbook(ledger, labels, "Ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[4]]
    balance = header.index("Saldo") + 1
    assert sheet.freeze_panes == "A5"
    assert sheet.cell(row=5, column=balance).value == 70.0
    assert sheet.cell(row=6, column=balance).value == 570.0
    assert sheet.cell(row=6, column=balance).number_format == "#,##0.00"
    assert sheet.cell(row=6, column=1).value == datetime.datetime(2026, 1, 5)
    assert sheet.cell(row=6, column=header.index("Dni po splatnosti") + 1).value == 40
    assert sheet.cell(row=6, column=header.index("Mena") + 1).value == "EUR"
    assert xlsx.money_format(0) == "#,##0"


def test_open_items_workbook_lists_days_overdue_and_totals():
    lines = [
        {
            "date": D(2026, 1, 5),
            "move_name": "INV/1",
            "ref": "",
            "account_type": maths.RECEIVABLE,
            "contact": "",
            "date_maturity": D(2026, 1, 20),
            "days_overdue": 40,
            "residual": 500.0,
            "amount_currency": 1000.0,
            "currency": "CZK",
            "foreign_currency": "CZK",
            "matching_number": "",
            "is_open": True,
        },
        {
            "date": D(2026, 2, 25),
            "move_name": "INV/2",
            "ref": "PO 7",
            "account_type": maths.RECEIVABLE,
            "contact": "Eva",
            "date_maturity": D(2026, 3, 10),
            "days_overdue": -9,
            "residual": 80.0,
            "amount_currency": False,
            "currency": "EUR",
            "foreign_currency": False,
            "matching_number": "",
            "is_open": True,
        },
    ]
    open_items = {
        "lines": lines,
        "receivable": 580.0,
        "payable": 0.0,
        "open": 580.0,
        "overdue": 500.0,
    }
    labels = {
        "days_overdue": "Days overdue",
        "residual": "Open amount",
        "currency": "Currency",
        "amount_currency": "Amount in currency",
        "open": "Open balance",
        "overdue": "Overdue",
    }
    content = xlsx.open_items_workbook(open_items, labels, "Open items")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[3]
    days, residual = header.index("Days overdue"), header.index("Open amount")
    currency, amount = header.index("Currency"), header.index("Amount in currency")
    assert [row[days] for row in rows[4:6]] == [40, -9]
    assert [row[currency] for row in rows[4:6]] == ["CZK", "EUR"]
    assert [row[amount] for row in rows[4:6]] == [1000.0, None]
    totals = {row[1]: row[residual] for row in rows[6:] if row[1]}
    assert totals["Open balance"] == 580.0
    assert totals["Overdue"] == 500.0
