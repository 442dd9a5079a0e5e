import logging

import psycopg2

from odoo import fields, models
from odoo.tools import SQL, create_index

from ..registries import names

_logger = logging.getLogger(__name__)


def compact_sql(column):
    """``names.normalise_zip`` / ``normalise_vat`` in SQL."""
    return SQL("NULLIF(upper(translate(%s, %s, '')), '')", column, names.SEPARATORS)


def ico_sql(column):
    """``names.ico_key`` in SQL: digits without leading zeros, else NULL."""
    digits = SQL("translate(%s, %s, '')", column, names.SEPARATORS)
    return SQL(
        "CASE WHEN translate(%s, '0123456789', '') = '' THEN NULLIF(ltrim(%s, '0'), '')"
        " END",
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


class DebtorListRow(models.Model):
    """One row of an imported list version: the keys it is matched by and the
    row as published. Written set-based by the import (``COPY`` and one
    ``INSERT ... SELECT``), never through ``create``; only the version in force
    keeps its rows (evidence keeps the row it matched)."""

    _name = "crm_extended.debtor.list.row"
    _description = "Published List Row"
    _order = "version_id, row_number"
    _log_access = False

    version_id = fields.Many2one(
        "crm_extended.debtor.list.version",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    list_id = fields.Many2one(
        "crm_extended.debtor.list", required=True, ondelete="cascade", readonly=True
    )
    row_number = fields.Integer(readonly=True)
    ico = fields.Char(
        string="Company ID", readonly=True, help="Its digits without leading zeros."
    )
    vat = fields.Char(string="VAT Number", readonly=True)
    iban = fields.Char(string="IBAN", readonly=True)
    name = fields.Char(readonly=True)
    name_key = fields.Char(
        readonly=True,
        help="The name as compared. Kept for rows without a company ID; for the "
        "others worked out when a company without one could match them.",
    )
    zip = fields.Char(string="Postal Code", readonly=True)
    raw = fields.Text(
        string="Row as Published", readonly=True, help="The values of the row, JSON."
    )

    def init(self):
        # unaccent folds accents in C; without it a translate() table does.
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except psycopg2.Error:  # no privilege: the translate() fallback is used
            _logger.info("unaccent is not available: names are folded by translate()")
        # The ways a row is matched: company ID, VAT number, name + PSČ, and the
        # rows without company ID by postal code (whose names need a key).
        for name, columns, where in (
            ("ico", ["ico", "version_id"], "ico IS NOT NULL"),
            ("vat", ["vat", "version_id"], "vat IS NOT NULL"),
            ("name_zip", ["name_key", "zip", "version_id"], "name_key IS NOT NULL"),
            ("zip", ["zip", "version_id"], "ico IS NULL"),
        ):
            create_index(
                self.env.cr,
                f"{self._table}_{name}_lookup_idx",
                self._table,
                columns,
                where=where,
            )

    def _has_unaccent(self):
        self.env.cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return bool(self.env.cr.fetchone())
