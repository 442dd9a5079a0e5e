from odoo import models


class Base(models.AbstractModel):
    """Refuse to export a field the user may not read.

    Odoo's export_data reads values without checking field groups, so a user with export
    rights could export, through RPC, an amount the form hides from them (a ledger
    figure, a cost, a registry credential). The check applies to every model.
    """

    _inherit = "base"

    def export_data(self, fields_to_export):
        # export_data itself checks neither the model's access rights nor its record
        # rules: exporting is reading.
        self.check_access("read")
        for path in fields_to_export:
            self._check_export_path(path)
        return super().export_data(fields_to_export)

    def _check_export_path(self, path):
        model = self
        for name in path.replace(":", "/").split("/"):
            if name in (".id", "id") or name not in model._fields:
                return
            model.check_field_access_rights("read", [name])
            field = model._fields[name]
            if not field.relational:
                return
            model = model.env[field.comodel_name]
