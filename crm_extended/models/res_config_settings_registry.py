from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_registry_block_insolvency = fields.Boolean(
        related="company_id.crm_registry_block_insolvency", readonly=False
    )
    crm_registry_block_liquidation = fields.Boolean(
        related="company_id.crm_registry_block_liquidation", readonly=False
    )
    crm_registry_block_debtor = fields.Boolean(
        related="company_id.crm_registry_block_debtor", readonly=False
    )
    crm_registry_block_unreliable_vat = fields.Boolean(
        related="company_id.crm_registry_block_unreliable_vat", readonly=False
    )
    crm_registry_grade_e = fields.Boolean(
        related="company_id.crm_registry_grade_e", readonly=False
    )
