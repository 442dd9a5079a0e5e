from odoo import fields, models

from ..registries import verdict


class ResCompany(models.Model):
    _inherit = "res.company"

    # A registry risk always warns on invoices, quotations and vendor payments;
    # per kind of risk the manager decides whether it also blocks them.
    crm_registry_block_insolvency = fields.Boolean(
        string="Block for insolvency",
        help="Refuse to post customer invoices, confirm quotations and pay vendor "
        "bills for a company in insolvency proceedings.",
    )
    crm_registry_block_liquidation = fields.Boolean(
        string="Block for liquidation",
        help="Refuse them for a company in liquidation or dissolved.",
    )
    crm_registry_block_debtor = fields.Boolean(
        string="Block for debtor lists",
        help="Refuse them for a company on a list of debtors (tax office, social "
        "or health insurer, lists you added).",
    )
    crm_registry_block_unreliable_vat = fields.Boolean(
        string="Block for unreliable VAT payers",
        help="Refuse them for an unreliable VAT payer (CZ) or a payer with grounds "
        "for VAT deregistration (SK).",
    )
    crm_registry_grade_e = fields.Boolean(
        string="Registry risk forces payment grade E",
        help="A company with a registry risk gets payment grade E whatever its "
        "payment behaviour; the grade's reason says why.",
    )

    def _crm_registry_blocking_kinds(self):
        self.ensure_one()
        return {
            kind for kind in verdict.RISK_KINDS if self[f"crm_registry_block_{kind}"]
        }
