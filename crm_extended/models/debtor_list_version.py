import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DebtorListVersion(models.Model):
    """One download (or upload) of a published list: the file as received with
    its sha256, and whether it was imported. A file that could not be read is
    kept as a failed version; the previous current version stays in force."""

    _name = "crm_extended.debtor.list.version"
    _description = "Published List Version"
    _order = "received_at desc, id desc"
    _rec_name = "received_at"

    list_id = fields.Many2one(
        "crm_extended.debtor.list",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    received_at = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True
    )
    origin = fields.Char(
        readonly=True, help="The URL it was downloaded from, or the uploaded file."
    )
    state = fields.Selection(
        [
            ("current", "In Force"),
            ("superseded", "Superseded"),
            ("failed", "Not Imported"),
        ],
        required=True,
        readonly=True,
    )
    file = fields.Binary(attachment=True, readonly=True)
    filename = fields.Char(readonly=True)
    sha256 = fields.Char(string="SHA-256", readonly=True, index=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    error_message = fields.Char(string="Why It Was Not Imported", readonly=True)
    columns = fields.Text(
        readonly=True,
        help="Technical: the file's header and which column holds which value, "
        "as JSON, to read the rows as published.",
    )
    as_of = fields.Date(
        string="List As Of",
        readonly=True,
        help="The newest date found in the list's date column.",
    )

    def _layout(self):
        """(header, {field: column index}) of this version's file."""
        self.ensure_one()
        layout = json.loads(self.columns or "{}")
        return layout.get("header") or [], layout.get("fields") or {}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_debtor_list_import"):
            raise UserError(_("List versions are created only by importing a list."))
        return super().create(vals_list)

    def write(self, vals):
        # Only the import moves a version from current to superseded.
        if not self.env.context.get("crm_debtor_list_import") or set(vals) - {"state"}:
            raise UserError(_("List versions cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("List versions are kept as evidence and cannot be deleted."))
