from odoo import fields, models


class CrmExtendedComplaintCategory(models.Model):
    """What the complaint is about: quality, delivery, invoice..."""

    _name = "crm_extended.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = (("name_unique", "UNIQUE(name)", "This name is already used."),)
