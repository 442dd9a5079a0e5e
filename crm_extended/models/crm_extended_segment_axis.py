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

    def action_group_customers(self):
        """The customers of this axis grouped by its values (Segmentation Analysis)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_extended_segment_membership"
        )
        action.update(
            name=self.env._("Customers by %(axis)s", axis=self.name),
            domain=[("axis_id", "=", self.id)],
            context={"group_by": ["value_id"]},
        )
        return action
