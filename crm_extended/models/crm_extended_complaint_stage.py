from odoo import fields, models


class CrmExtendedComplaintStage(models.Model):
    _name = "crm_extended.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_closed = fields.Boolean(
        string="Resolved Stage",
        help="Complaints in this stage count as resolved; the resolution date is set "
        "when they reach it.",
    )
    fold = fields.Boolean(string="Folded in Kanban")
