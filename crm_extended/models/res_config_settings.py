from odoo import fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_payment_grade_a_days = fields.Integer(
        related="company_id.crm_payment_grade_a_days", readonly=False
    )
    crm_payment_grade_b_days = fields.Integer(
        related="company_id.crm_payment_grade_b_days", readonly=False
    )
    crm_payment_grade_c_days = fields.Integer(
        related="company_id.crm_payment_grade_c_days", readonly=False
    )
    crm_payment_grade_d_days = fields.Integer(
        related="company_id.crm_payment_grade_d_days", readonly=False
    )
    crm_payment_e_overdue_days = fields.Integer(
        related="company_id.crm_payment_e_overdue_days", readonly=False
    )
    crm_payment_window_days = fields.Integer(
        related="company_id.crm_payment_window_days", readonly=False
    )
    crm_payment_block_posting = fields.Boolean(
        related="company_id.crm_payment_block_posting", readonly=False
    )

    def action_crm_payment_rebuild(self):
        """Manager button: rebuild every grade and snapshot in the background."""
        if not self.env.user.has_group("crm_extended.group_card_manager"):
            raise AccessError(
                self.env._("Only customer card managers can rebuild payment grades.")
            )
        self.env["crm_extended.payment.behaviour"]._schedule_rebuild()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The payment behaviour of every customer is being rebuilt "
                    "in the background."
                ),
                "sticky": False,
            },
        }
