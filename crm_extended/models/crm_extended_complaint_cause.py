from odoo import fields, models


class CrmExtendedComplaintCause(models.Model):
    """Why it happened, found when the complaint is resolved."""

    _name = "crm_extended.complaint.cause"
    _description = "Complaint Root Cause"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = (("name_unique", "UNIQUE(name)", "This name is already used."),)
