from odoo import fields, models, tools
from odoo.tools import SQL


class CrmExtendedSegmentMembership(models.Model):
    """One row per customer and segment: customers grouped by any axis."""

    _name = "crm_extended.segment.membership"
    _description = "Segmentation Analysis"
    _auto = False
    _order = "axis_id, value_id, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    axis_id = fields.Many2one("crm_extended.segment.axis", readonly=True)
    value_id = fields.Many2one(
        "crm_extended.segment.value", string="Segment", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    is_company = fields.Boolean(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT ROW_NUMBER() OVER (
                               ORDER BY rel.partner_id, rel.value_id) AS id,
                           rel.partner_id,
                           segment.axis_id,
                           rel.value_id,
                           partner.user_id,
                           partner.country_id,
                           partner.is_company,
                           partner.company_id
                      FROM crm_extended_partner_segment_rel rel
                      JOIN crm_extended_segment_value segment
                        ON segment.id = rel.value_id
                      JOIN res_partner partner ON partner.id = rel.partner_id
                     WHERE partner.active
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
