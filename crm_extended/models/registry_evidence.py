from odoo import _, api, models
from odoo.exceptions import UserError


class RegistryEvidence(models.AbstractModel):
    """What a registry answered is evidence: written once by the registry check that
    received it (context key ``crm_registry_evidence``), never changed or deleted."""

    _name = "crm_extended.registry.evidence"
    _description = "Company Registry Evidence"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_registry_evidence"):
            raise UserError(
                _("Registry evidence is created only by running a registry check.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(_("Registry evidence cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Registry evidence cannot be deleted."))
