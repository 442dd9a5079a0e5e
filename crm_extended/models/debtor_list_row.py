from odoo import fields, models
from odoo.tools import SQL, create_index


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

    # Columns in the order the import writes them with COPY.
    COPY_COLUMNS = (
        "version_id",
        "list_id",
        "row_number",
        "ico",
        "vat",
        "name",
        "name_key",
        "address",
        "zip",
        "city",
        "amount",
        "as_of",
        "iban",
        "raw",
    )

    def init(self):
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

    def _copy_sql(self):
        return SQL(
            "COPY %s (%s) FROM STDIN WITH (FORMAT csv)",
            SQL.identifier(self._table),
            SQL(", ").join(SQL.identifier(column) for column in self.COPY_COLUMNS),
        )
