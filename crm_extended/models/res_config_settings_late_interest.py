from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_interest_rule = fields.Selection(
        related="company_id.crm_interest_rule", readonly=False
    )
    crm_interest_recovery_fee = fields.Boolean(
        related="company_id.crm_interest_recovery_fee", readonly=False
    )
    crm_interest_window_days = fields.Integer(
        related="company_id.crm_interest_window_days", readonly=False
    )
    crm_interest_journal_id = fields.Many2one(
        related="company_id.crm_interest_journal_id", readonly=False
    )
