from odoo import api, fields, models, tools
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
    def _pressure_settings(self, company):
        """(caps, respect preferred channel) of the company.

        Cached: every mass mailing batch asks, and with nothing configured the
        sending must not cost a single query more than in Odoo."""
        return self._pressure_settings_cached(company.id)

    @api.model
    @tools.ormcache("company_id")
    def _pressure_settings_cached(self, company_id):
        caps = self.sudo().search([("company_id", "=", company_id)])
        company = self.env["res.company"].sudo().browse(company_id)
        return (
            tuple(
                contact_pressure.Cap(cap.channel, cap.period, cap.limit) for cap in caps
            ),
            bool(company.crm_touch_respect_preferred),
        )

    @api.model_create_multi
    def create(self, vals_list):
        caps = super().create(vals_list)
        self.env.registry.clear_cache()
        return caps

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
