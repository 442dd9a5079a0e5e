from odoo import fields, models


class CrmExtendedSegmentAxis(models.Model):
    """An independent axis of segmentation: size, industry, region, potential..."""

    _name = "crm_extended.segment.axis"
    _description = "Segmentation Axis"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    value_ids = fields.One2many(
        "crm_extended.segment.value", "axis_id", string="Values"
    )

    _sql_constraints = (
        ("name_unique", "UNIQUE(name)", "An axis with this name already exists."),
    )
