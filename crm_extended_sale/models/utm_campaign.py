from odoo import fields, models


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    # Sales makes the campaign's currency its company's (a related field); the
    # card's default for a campaign without Sales would only be ignored there.
    currency_id = fields.Many2one(default=None)
