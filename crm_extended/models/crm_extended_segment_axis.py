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
        """The contact list grouped by the values of this axis only."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contacts.action_contacts"
        )
        action.update(
            name=self.env._("Customers by %(axis)s", axis=self.name),
            view_mode="list,kanban,form",
            views=[(False, "list"), (False, "kanban"), (False, "form")],
            context={
                "crm_segment_axis_id": self.id,
                "group_by": ["crm_segment_value_ids"],
                "default_is_company": True,
            },
        )
        return action
