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
    code = fields.Char(
        readonly=True,
        copy=False,
        help="Rule-based axes: the key of the rule's result (A, 543, lapsing...).",
    )
    axis_rule = fields.Selection(related="axis_id.rule", string="Axis Rule")
    color = fields.Integer()
    active = fields.Boolean(default=True)
    default_potential = fields.Float(
        string="Default Yearly Potential",
        company_dependent=True,
        # Read with the values (the card shows them and the potential).
        prefetch=True,
        digits="Account",
        help="What a customer of this segment could buy from us in a year, in the "
        "company's currency: the customer's potential when none is entered on it.",
    )
    company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_company_currency_id"
    )

    _sql_constraints = (
        (
            "name_axis_unique",
            "UNIQUE(axis_id, name)",
            "This value already exists on the axis.",
        ),
        (
            "code_axis_unique",
            "UNIQUE(axis_id, code)",
            "This rule key already exists on the axis.",
        ),
    )

    @api.depends_context("company")
    def _compute_company_currency_id(self):
        self.company_currency_id = self.env.company.currency_id

    @api.depends("axis_id.name", "name")
    def _compute_display_name(self):
        for value in self:
            value.display_name = f"{value.axis_id.name}: {value.name}"
