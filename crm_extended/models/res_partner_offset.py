from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_crm_offset(self):
        """A draft offset of this customer's open receivables and payables."""
        self.ensure_one()
        Offset = self.env["crm_extended.offset"]
        Offset._check_crm_offset_access()
        offset = Offset.create(
            {
                "partner_id": self.commercial_partner_id.id,
                "company_id": self.env.company.id,
            }
        )
        offset.action_propose()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm_extended.offset",
            "res_id": offset.id,
            "view_mode": "form",
            "target": "current",
        }
