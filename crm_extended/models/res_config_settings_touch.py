from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_touch_respect_preferred = fields.Boolean(
        related="company_id.crm_touch_respect_preferred", readonly=False
    )
    crm_complaint_rating_request = fields.Boolean(
        related="company_id.crm_complaint_rating_request", readonly=False
    )
    crm_invoice_rating_request = fields.Boolean(
        related="company_id.crm_invoice_rating_request", readonly=False
    )

    def action_crm_contact_caps(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_extended_contact_cap"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["context"] = {"default_company_id": self.company_id.id}
        return action
