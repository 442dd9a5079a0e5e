from odoo import models


class CrmExtendedExportGuard(models.AbstractModel):
    """Refuse to export a field the user may not read.

    Odoo's export_data reads values without checking field groups, so a user with export
    rights could export, through RPC, an amount the form hides from them. Card models
    inherit this guard.
    """

    _name = "crm_extended.export.guard"
    _description = "Customer card export guard"

    def export_data(self, fields_to_export):
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
