from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..services import contact_pressure


class CrmExtendedContactCap(models.Model):
    """At most so many touches of a person through a channel in a period.

    No cap, no holding back: mailings and campaigns behave as in Odoo until a
    manager sets one."""

    _name = "crm_extended.contact.cap"
    _description = "Contact Cap"
    _order = "company_id, channel, period"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        ondelete="cascade",
    )
    channel = fields.Selection(
        [
            ("all", "All Channels"),
            ("email", "E-mail"),
            ("sms", "SMS"),
            ("phone", "Phone"),
            ("campaign", "Campaign"),
        ],
        required=True,
        default="email",
    )
    period = fields.Selection(
        [
            ("day", "Day"),
            ("week", "7 Days"),
            ("month", "30 Days"),
            ("quarter", "90 Days"),
        ],
        required=True,
        default="week",
        help="A rolling period ending now.",
    )
    limit = fields.Integer(
        string="At Most",
        required=True,
        default=5,
        help="The number of touches a person may have had in the period; one more "
        "is held back.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "company_channel_period_unique",
            "UNIQUE(company_id, channel, period)",
            "There is already a cap for this channel and period.",
        ),
    )

    @api.constrains("limit")
    def _check_limit(self):
        if any(cap.limit < 1 for cap in self):
            raise ValidationError(
                self.env._("A contact cap allows at least one touch per period.")
            )

    @api.depends("channel", "period", "limit")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        for cap in self:
            cap.display_name = self.env._(
                "%(channel)s: at most %(limit)s per %(period)s",
                channel=channels.get(cap.channel, ""),
                limit=cap.limit,
                period=periods.get(cap.period, ""),
            )

    @api.model
    def _caps_of(self, company):
        """The company's caps as plain tuples for the pure evaluation."""
        caps = self.sudo().search([("company_id", "=", company.id)])
        return [
            contact_pressure.Cap(cap.channel, cap.period, cap.limit) for cap in caps
        ]
