from odoo import api, fields, models


class CrmExtendedSegmentValue(models.Model):
    _name = "crm_extended.segment.value"
    _description = "Segment"
    _order = "axis_sequence, axis_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    axis_id = fields.Many2one(
        "crm_extended.segment.axis", required=True, ondelete="cascade", index=True
    )
    axis_sequence = fields.Integer(
        string="Axis Sequence", related="axis_id.sequence", store=True
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "name_axis_unique",
            "UNIQUE(axis_id, name)",
            "This value already exists on the axis.",
        ),
    )

    @api.depends("axis_id.name", "name")
    def _compute_display_name(self):
        for value in self:
            value.display_name = f"{value.axis_id.name}: {value.name}"
