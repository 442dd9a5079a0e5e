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
    ("foreign_currency", "text"),
    ("matching_number", "text"),
)
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"


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
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    money = workbook.add_format({"num_format": money_format(digits)})
    money_bold = workbook.add_format({"num_format": money_format(digits), "bold": True})
    foreign = workbook.add_format({"num_format": "#,##0.00"})
    open_money = workbook.add_format(
        {"num_format": money_format(digits), "bg_color": "#FFF2CC"}
    )

    sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    if subtitle:
        sheet.write(1, 0, subtitle)
    for col, (key, _kind) in enumerate(COLUMNS):
        sheet.write(HEADER_ROW, col, labels.get(key, key), header)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    balance_col = [key for key, _kind in COLUMNS].index("balance")

    row = HEADER_ROW + 1
    if ledger.get("date_from"):
        sheet.write_datetime(row, 0, _as_datetime(ledger["date_from"]), date)
    sheet.write(row, 1, labels.get("opening", "Opening balance"), bold)
    sheet.write_number(row, balance_col, ledger["opening_balance"], money_bold)
    for line in ledger["lines"]:
        row += 1
        for col, (key, kind) in enumerate(COLUMNS):
            value = line.get(key)
            if kind == "date":
                if value:
                    sheet.write_datetime(row, col, _as_datetime(value), date)
            elif kind == "money":
                fmt = open_money if key == "residual" and line.get("is_open") else money
                sheet.write_number(row, col, value or 0.0, fmt)
            elif kind == "foreign":
                if line.get("foreign_currency"):
                    sheet.write_number(row, col, value or 0.0, foreign)
            elif kind == "side":
                sheet.write_string(row, col, labels.get(value, value))
            elif value:
                sheet.write_string(row, col, value)
    row += 1
    if ledger.get("date_to"):
        sheet.write_datetime(row, 0, _as_datetime(ledger["date_to"]), date)
    sheet.write(row, 1, labels.get("closing", "Closing balance"), bold)
    sheet.write_number(row, balance_col - 2, ledger["debit"], money_bold)
    sheet.write_number(row, balance_col - 1, ledger["credit"], money_bold)
    sheet.write_number(row, balance_col, ledger["closing_balance"], money_bold)

    widths = (11, 20, 20, 12, 24, 11, 14, 14, 14, 14, 14, 8, 10)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    workbook.close()
    return output.getvalue()


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return datetime.datetime(value.year, value.month, value.day)
