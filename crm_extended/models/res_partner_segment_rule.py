from odoo import api, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any("crm_segment_value_ids" in vals for vals in vals_list):
            partners._crm_check_rule_segments({})
        return partners

    def write(self, vals):
        if "crm_segment_value_ids" not in vals or self.env.su:
            return super().write(vals)
        before = self._crm_rule_segments()
        result = super().write(vals)
        self._crm_check_rule_segments(before)
        return result

    def _crm_rule_segments(self):
        return {
            partner.id: partner.sudo().crm_segment_value_ids.filtered(
                lambda value: value.axis_id.rule != "manual"
            )
            for partner in self
        }

    def _crm_check_rule_segments(self, before):
        """Values of rule-based axes are the system's: nobody types them."""
        if self.env.su:
            return
        for partner_id, values in self._crm_rule_segments().items():
            old = before.get(partner_id, values.browse())
            if values != old:
                axis = ((values - old) | (old - values)).axis_id[:1]
                raise AccessError(
                    self.env._(
                        "The segments of the axis %(axis)s are set by the system "
                        "every night; they cannot be changed by hand.",
                        axis=axis.name,
                    )
                )
