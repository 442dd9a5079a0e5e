from odoo import fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_drift_lapsing_factor = fields.Float(
        related="company_id.crm_drift_lapsing_factor", readonly=False
    )
    crm_drift_declining_percent = fields.Float(
        related="company_id.crm_drift_declining_percent", readonly=False
    )
    crm_drift_lost_days = fields.Integer(
        related="company_id.crm_drift_lost_days", readonly=False
    )
    crm_drift_new_days = fields.Integer(
        related="company_id.crm_drift_new_days", readonly=False
    )

    def action_crm_drift_rebuild(self):
        """Manager button: recompute every customer's drift now."""
        if not self.env.user.has_group("crm_extended.group_card_manager"):
            raise AccessError(
                self.env._("Only customer card managers can recompute the drift.")
            )
        self.env["crm_extended.drift.engine"].sudo()._refresh()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The buying rhythm of every customer is updated."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
