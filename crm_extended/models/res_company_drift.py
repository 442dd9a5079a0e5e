from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..scoring import drift as drift_maths

_DEFAULTS = drift_maths.Thresholds()
DRIFT_THRESHOLD_FIELDS = (
    "crm_drift_lapsing_factor",
    "crm_drift_declining_percent",
    "crm_drift_lost_days",
    "crm_drift_new_days",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_drift_lapsing_factor = fields.Float(
        string="Lapsing after (x usual interval)",
        default=_DEFAULTS.lapsing_factor,
        digits=(16, 1),
        help="A customer is lapsing when it has bought nothing for its usual "
        "interval between purchases times this factor (for a seasonal buyer: "
        "counted from the day its yearly rhythm expects it back).",
    )
    crm_drift_declining_percent = fields.Float(
        string="Declining when turnover falls by (%)",
        default=_DEFAULTS.declining_percent,
        digits=(16, 1),
        help="Turnover of the last 12 months against the 12 months before.",
    )
    crm_drift_lost_days = fields.Integer(
        string="Lost after (days without a purchase)",
        default=_DEFAULTS.lost_days,
    )
    crm_drift_new_days = fields.Integer(
        string="New for (days after the first purchase)",
        default=_DEFAULTS.new_days,
    )

    def _crm_drift_thresholds(self):
        self.ensure_one()
        return drift_maths.Thresholds(
            lapsing_factor=self.crm_drift_lapsing_factor,
            declining_percent=self.crm_drift_declining_percent,
            lost_days=self.crm_drift_lost_days,
            new_days=self.crm_drift_new_days,
        )

    @api.constrains(*DRIFT_THRESHOLD_FIELDS)
    def _check_crm_drift_thresholds(self):
        for company in self:
            problems = company._crm_drift_thresholds().problems()
            if "factor" in problems:
                raise ValidationError(
                    self.env._("The lapsing factor must be greater than 1.")
                )
            if "percent" in problems:
                raise ValidationError(
                    self.env._(
                        "The declining threshold must be between 0 and 100 percent."
                    )
                )
            if "days" in problems:
                raise ValidationError(
                    self.env._(
                        "The periods of lost and new customers must be at least "
                        "one day."
                    )
                )
