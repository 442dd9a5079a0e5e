"""Write a ``crm_ledger`` result to an Excel workbook (xlsxwriter, no ORM).

``labels`` carries the translated texts, so this module stays free of Odoo.
"""

import datetime
import io

import xlsxwriter

COLUMNS = (
    ("date", "date"),
    ("move_name", "text"),
    ("ref", "text"),
    ("account_type", "side"),
    ("contact", "text"),
    ("date_maturity", "date"),
    ("debit", "money"),
    ("credit", "money"),
    ("balance", "money"),
    ("residual", "money"),
    ("amount_currency", "foreign"),
    ("currency", "text"),
    ("matching_number", "text"),
    ("days_overdue", "days"),
)
#: The open items list ("neuhradené doklady"): most overdue first.
OPEN_ITEM_COLUMNS = (
    ("date", "date"),
    ("move_name", "text"),
    ("ref", "text"),
    ("account_type", "side"),
    ("contact", "text"),
    ("date_maturity", "date"),
    ("days_overdue", "days"),
    ("residual", "money"),
    ("amount_currency", "foreign"),
    ("currency", "text"),
    ("matching_number", "text"),
)
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"


def _write_line(sheet, row, columns, line, labels, formats):
    for col, (key, kind) in enumerate(columns):
        value = line.get(key)
        if kind == "date":
            if value:
                sheet.write_datetime(row, col, _as_datetime(value), formats["date"])
        elif kind == "money":
            open_residual = key == "residual" and line.get("is_open")
            fmt = formats["open_money"] if open_residual else formats["money"]
            sheet.write_number(row, col, value or 0.0, fmt)
        elif kind == "foreign":
            if line.get("foreign_currency"):
                sheet.write_number(row, col, value or 0.0, formats["foreign"])
        elif kind == "days":
            if value is not None and line.get("is_open", True):
                sheet.write_number(row, col, value, formats["days"])
        elif kind == "side":
            sheet.write_string(row, col, labels.get(value, value))
        elif value:
            sheet.write_string(row, col, value)


def _formats(workbook, digits):
    money = money_format(digits)
    return {
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "money": workbook.add_format({"num_format": money}),
        "money_bold": workbook.add_format({"num_format": money, "bold": True}),
        "foreign": workbook.add_format({"num_format": "#,##0.00"}),
        "days": workbook.add_format({"num_format": "0"}),
        "open_money": workbook.add_format({"num_format": money, "bg_color": "#FFF2CC"}),
    }


def _header(sheet, columns, labels, title, subtitle, formats):
    sheet.write(0, 0, title, formats["title"])
    if subtitle:
        sheet.write(1, 0, subtitle)
    for col, (key, _kind) in enumerate(columns):
        sheet.write(HEADER_ROW, col, labels.get(key, key), formats["header"])
    sheet.freeze_panes(HEADER_ROW + 1, 0)


def money_format(digits):
    return "#,##0" + ("." + "0" * digits if digits else "")


def ledger_workbook(ledger, labels, title, subtitle="", digits=2):
    """The ledger as .xlsx bytes: a title, a frozen header, the opening row, one
    row per line, the closing row. ``labels`` maps column keys and ``opening``,
    ``closing``, ``asset_receivable``, ``liability_payable`` to texts."""
    output = io.BytesIO()
    # constant_memory: rows go to a temporary file as they are written, so a
    # ledger of 100,000 lines does not hold a million cell objects in memory.
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet(labels.get("sheet", "Ledger")[:31])
    formats = _formats(workbook, digits)
    total = formats["money_bold"]
    _header(sheet, COLUMNS, labels, title, subtitle, formats)
    balance_col = [key for key, _kind in COLUMNS].index("balance")

    row = HEADER_ROW + 1
    if ledger.get("date_from"):
        sheet.write_datetime(row, 0, _as_datetime(ledger["date_from"]), formats["date"])
    sheet.write(row, 1, labels.get("opening", "Opening balance"), formats["bold"])
    sheet.write_number(row, balance_col, ledger["opening_balance"], total)
    for line in ledger["lines"]:
        row += 1
        _write_line(sheet, row, COLUMNS, line, labels, formats)
    row += 1
    if ledger.get("date_to"):
        sheet.write_datetime(row, 0, _as_datetime(ledger["date_to"]), formats["date"])
    sheet.write(row, 1, labels.get("closing", "Closing balance"), formats["bold"])
    sheet.write_number(row, balance_col - 2, ledger["debit"], total)
    sheet.write_number(row, balance_col - 1, ledger["credit"], total)
    sheet.write_number(row, balance_col, ledger["closing_balance"], total)

    widths = (11, 20, 20, 12, 24, 11, 14, 14, 14, 14, 14, 8, 10, 8)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    workbook.close()
    return output.getvalue()


def open_items_workbook(open_items, labels, title, subtitle="", digits=2):
    """The open items as .xlsx bytes, most overdue first, then the totals:
    ``open_items`` is a ``res.partner.crm_ledger_open_items()`` result; ``labels``
    also maps ``open``, ``overdue``, ``receivable`` and ``payable``."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet(labels.get("sheet", "Open items")[:31])
    formats = _formats(workbook, digits)
    _header(sheet, OPEN_ITEM_COLUMNS, labels, title, subtitle, formats)
    residual_col = [key for key, _kind in OPEN_ITEM_COLUMNS].index("residual")
    row = HEADER_ROW
    for line in open_items["lines"]:
        row += 1
        _write_line(sheet, row, OPEN_ITEM_COLUMNS, line, labels, formats)
    row += 1
    for key in ("receivable", "payable", "open", "overdue"):
        row += 1
        sheet.write(row, 1, labels.get(key, key), formats["bold"])
        sheet.write_number(row, residual_col, open_items[key], formats["money_bold"])
    widths = (11, 20, 20, 12, 24, 11, 8, 14, 14, 8, 10)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    workbook.close()
    return output.getvalue()


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return datetime.datetime(value.year, value.month, value.day)
