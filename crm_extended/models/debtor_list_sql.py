"""The rows of published lists: a plain table written set-based, and the SQL
forms of the matching rules of ``registries/names.py``.

The rows are not an Odoo model: 100,000 of them are written by one ``COPY`` and
one ``INSERT ... SELECT`` per import, without ids, foreign-key triggers or ORM
fields; only the version in force keeps its rows (evidence keeps the row it
matched as published), and only the registry code reads them.
"""

import logging

import psycopg2

from odoo.tools import SQL

from ..registries import names

_logger = logging.getLogger(__name__)
ROWS = "crm_extended_debtor_list_row"
# Values of a row as published, joined by the ASCII unit separator.
SEPARATOR = "\x1f"


def create_rows_table(cr):
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS %s (
                version_id integer NOT NULL,
                list_id integer NOT NULL,
                row_number integer NOT NULL,
                ico text,
                vat text,
                iban text,
                zip text,
                name_key text,
                keyed boolean NOT NULL DEFAULT false,
                raw text
            )
            """,
            SQL.identifier(ROWS),
        )
    )
    # How rows are found: company ID, VAT number, name + PSČ, the rows still
    # without a name key by postal code, and a version's rows (superseded).
    for name, columns, where in (
        ("ico", "ico, version_id", "ico IS NOT NULL"),
        ("vat", "vat, version_id", "vat IS NOT NULL"),
        ("name_zip", "name_key, zip, version_id", "name_key IS NOT NULL"),
        ("unkeyed", "zip, version_id", "NOT keyed"),
        ("version", "version_id, row_number", None),
    ):
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (%s)%s",
                SQL.identifier(f"{ROWS}_{name}_idx"),
                SQL.identifier(ROWS),
                SQL(columns),
                SQL(f" WHERE {where}") if where else SQL(""),
            )
        )
    # unaccent folds accents in C; without it a translate() table does.
    try:
        with cr.savepoint():
            cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except psycopg2.Error:
        _logger.info("unaccent is not available: names are folded by translate()")


def has_unaccent(cr):
    cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
    return bool(cr.fetchone())


def compact_sql(column):
    """``names.normalise_zip`` / ``normalise_vat`` in SQL."""
    return SQL("NULLIF(upper(translate(%s, %s, '')), '')", column, names.SEPARATORS)


def ico_sql(column):
    """``names.ico_key`` in SQL: without separators and leading zeros, NULL
    unless digits (string functions only, as the name keys)."""
    digits = SQL("translate(%s, %s, '')", column, names.SEPARATORS)
    return SQL(
        "CASE WHEN translate(%s, '0123456789', '') = '' THEN"
        " NULLIF(ltrim(%s, '0'), '') END",
        digits,
        digits,
    )


def name_key_sql(column, unaccent=True):
    """``names.normalise_name`` in SQL: string functions only (a regular
    expression per row would cost more than reading the file)."""
    folded = (
        SQL("unaccent(%s)", column)
        if unaccent
        else SQL(
            "translate(%s, %s, %s)", column, names.TRANSLATE_FROM, names.TRANSLATE_TO
        )
    )
    key = SQL("translate(lower(%s), %s, '')", folded, names.REMOVED)
    for spelling, canonical in names.CANONICAL:
        key = SQL("replace(%s, %s, %s)", key, spelling, canonical)
    return SQL("NULLIF(%s, '')", key)


def published_value(raw_column, index):
    """The value of column ``index`` (0-based) of a row as published."""
    return SQL("split_part(%s, %s, %s)", raw_column, SEPARATOR, index + 1)
