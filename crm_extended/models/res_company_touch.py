from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_contact_cap_ids = fields.One2many(
        "crm_extended.contact.cap", "company_id", string="Contact Caps"
    )
    crm_touch_respect_preferred = fields.Boolean(
        string="Respect Preferred Channel",
        help="Mailings and campaigns hold back the people whose preferred channel "
        "(on the card) is another one they would not use.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "crm_touch_respect_preferred" in vals:
            self.env.registry.clear_cache()
        return result
