"""One part of a report view built as a UNION ALL of SELECTs of the same columns.

Each part fills the columns it knows; the others are empty: 0 for amounts (so sums
add up across parts), NULL of the column's type for the rest (so the UNION types
agree). Used by the offer report and the sales forecast.
"""

from odoo.tools import SQL


def union_part(columns, amount_columns, row_id, values, from_clause):
    """``SELECT row_id AS id, <every column> FROM from_clause`` as an ``SQL``.

    ``columns`` is the report's ordered ``(name, sql_type)`` pairs, ``values`` maps
    the names this part fills to ``SQL`` expressions.
    """
    selected = [SQL("%s AS id", row_id)]
    for name, sql_type in columns:
        if name in values:
            value = values[name]
        elif name in amount_columns:
            value = SQL("0::numeric")
        else:
            value = SQL("NULL::%s", SQL(sql_type))
        selected.append(SQL("%s AS %s", value, SQL.identifier(name)))
    return SQL("SELECT %s FROM %s", SQL(", ").join(selected), from_clause)
