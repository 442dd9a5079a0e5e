from odoo import fields, models


class CrmExtendedSegmentMove(models.Model):
    """A customer's move between two values of a rule-based axis (history).

    Written by the nightly fill of the rule-based axes only.
    """

    _name = "crm_extended.segment.move"
    _description = "Segment Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    axis_id = fields.Many2one(
        "crm_extended.segment.axis", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", ondelete="cascade", index=True)
    from_value_id = fields.Many2one(
        "crm_extended.segment.value", string="From", ondelete="set null"
    )
    to_value_id = fields.Many2one(
        "crm_extended.segment.value", string="To", ondelete="set null"
    )
    date = fields.Date(required=True)
