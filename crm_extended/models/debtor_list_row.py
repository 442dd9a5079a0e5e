from odoo import fields, models
from odoo.tools import SQL, create_index

from ..registries import names


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


def _name_key_body():
    """``registries.names.normalise_name`` in SQL, built from the same table and
    pattern (the test suite compares both on the same names)."""
    text = (
        "btrim(regexp_replace(lower(translate($1, "
        f"{_literal(names.TRANSLATE_FROM)}, {_literal(names.TRANSLATE_TO)})), "
        "'[^0-9a-z]+', ' ', 'g'))"
    )
    for _pass in range(names.SUFFIX_PASSES):
        text = f"regexp_replace({text}, {_literal(names.SUFFIX_PATTERN)}, '')"
    return f"SELECT NULLIF({text}, '')"


# The import's value rules in SQL, mirroring registries/lists.py and names.py;
# empty results are NULL (never equal to anything in a join).
COMPACT_SQL = r"""
SELECT NULLIF(upper(regexp_replace(coalesce($1, ''), '[^0-9A-Za-z]', '', 'g')), '')
"""
ICO_SQL = r"""
SELECT CASE WHEN d ~ '[1-9]' THEN
       CASE WHEN length(d) <= 8 THEN lpad(d, 8, '0') ELSE d END END
  FROM (SELECT regexp_replace(coalesce($1, ''), '[^0-9]', '', 'g') AS d) AS s
"""
AMOUNT_SQL = r"""
SELECT CASE WHEN n ~ '^-?[0-9]+(\.[0-9]+)?$' THEN n::numeric END
  FROM (SELECT CASE
          WHEN strpos(v, ',') > 0 AND strpos(v, '.') > 0 THEN
            CASE WHEN strpos(reverse(v), ',') < strpos(reverse(v), '.')
                 THEN replace(replace(v, '.', ''), ',', '.')
                 ELSE replace(v, ',', '') END
          WHEN v ~ ',.*,' THEN replace(v, ',', '')
          WHEN strpos(v, ',') > 0 THEN replace(v, ',', '.')
          WHEN v ~ '\..*\.' OR v ~ '^-?[0-9]{1,3}\.[0-9]{3}$'
            THEN replace(v, '.', '')
          ELSE v END AS n
          FROM (SELECT regexp_replace(replace(coalesce($1, ''), chr(8722), '-'),
                                      '[^0-9,.-]', '', 'g') AS v) AS cleaned
       ) AS normalised
"""
DATE_SQL = r"""
SELECT CASE WHEN p[2]::int BETWEEN 1 AND 12 AND p[3]::int BETWEEN 1 AND 31
             AND p[1]::int BETWEEN 1 AND 9999
             AND extract(month FROM make_date(p[1]::int, p[2]::int, 1)
                                    + (p[3]::int - 1)) = p[2]::int
            THEN make_date(p[1]::int, p[2]::int, 1) + (p[3]::int - 1) END
  FROM (SELECT COALESCE(
          (SELECT ARRAY[m[3], m[2], m[1]]
             FROM regexp_match(t, '^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4})')
                  AS m
            WHERE m IS NOT NULL),
          regexp_match(t, '^(\d{4})-(\d{2})-(\d{2})'),
          regexp_match(t, '^(\d{4})(\d{2})(\d{2})$')) AS p
          FROM (SELECT btrim(coalesce($1, '')) AS t) AS s) AS q
"""
# The import's value rules in SQL, mirroring registries/lists.py and names.py
# (compared on the same values by the tests); empty results are NULL, which
# never joins.
SQL_FUNCTIONS = {
    "crm_extended_name_key": ("text", _name_key_body()),
    "crm_extended_compact": ("text", COMPACT_SQL),
    "crm_extended_ico": ("text", ICO_SQL),
    "crm_extended_amount": ("numeric", AMOUNT_SQL),
    "crm_extended_date": ("date", DATE_SQL),
}


class DebtorListRow(models.Model):
    """One row of an imported list version. Written set-based (``COPY``) by the
    import, never through ``create``; only the current version's rows are kept
    (evidence keeps the row it matched as published)."""

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
    ico = fields.Char(string="Company ID", readonly=True)
    vat = fields.Char(string="VAT Number", readonly=True)
    name = fields.Char(readonly=True)
    name_key = fields.Char(readonly=True)
    address = fields.Char(readonly=True)
    zip = fields.Char(string="Postal Code", readonly=True)
    city = fields.Char(readonly=True)
    amount = fields.Float(readonly=True)
    as_of = fields.Date(readonly=True)
    iban = fields.Char(string="IBAN", readonly=True)
    raw = fields.Text(string="Row as Published", readonly=True)

    def init(self):
        for function, (returns, body) in SQL_FUNCTIONS.items():
            self.env.cr.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION %s(text) RETURNS %s"
                    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %s",
                    SQL.identifier(function),
                    SQL(returns),
                    body,
                )
            )
        # The three ways a row is matched: company ID, VAT number, name + PSČ.
        # Empty values are NULL (COPY's csv format): never equal to anything.
        for name, columns, where in (
            ("ico", ["ico", "version_id"], "ico IS NOT NULL"),
            ("vat", ["vat", "version_id"], "vat IS NOT NULL"),
            ("name_zip", ["name_key", "zip", "version_id"], "name_key IS NOT NULL"),
        ):
            create_index(
                self.env.cr,
                f"{self._table}_{name}_key_idx",
                self._table,
                columns,
                where=where,
            )
