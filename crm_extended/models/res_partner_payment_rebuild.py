from odoo import fields, models


class ResPartner(models.Model):
    """When the nightly payment rebuild last did a customer: read from the
    rebuild's own stamp table, so that claiming and stamping a batch never
    rewrites ``res_partner`` rows."""

    _inherit = "res.partner"

    crm_payment_rebuilt_at = fields.Datetime(
        string="Payment Figures Rebuilt At",
        compute="_compute_crm_payment_rebuilt_at",
        groups="base.group_system",
        help="Technical: when the payment figures of this customer were last "
        "recomputed; the nightly rebuild claims the customers not done today.",
    )

    def _compute_crm_payment_rebuilt_at(self):
        stamps = self.env["crm_extended.payment.behaviour"]._rebuild_stamps(
            [partner._origin.id for partner in self if partner._origin.id]
        )
        for partner in self:
            partner.crm_payment_rebuilt_at = stamps.get(partner._origin.id)
