from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..scoring import payment_behaviour as scoring

_DEFAULTS = scoring.Thresholds()
THRESHOLD_FIELDS = (
    "crm_payment_grade_a_days",
    "crm_payment_grade_b_days",
    "crm_payment_grade_c_days",
    "crm_payment_grade_d_days",
    "crm_payment_e_overdue_days",
    "crm_payment_window_days",
)
#: Settings whose change regrades every customer (a night redoes only those
#: whose figures the date changes).
REGRADE_FIELDS = (*THRESHOLD_FIELDS, "crm_registry_grade_e")


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_payment_grade_a_days = fields.Integer(
        string="Grade A up to (days late)", default=_DEFAULTS.a_days
    )
    crm_payment_grade_b_days = fields.Integer(
        string="Grade B up to (days late)", default=_DEFAULTS.b_days
    )
    crm_payment_grade_c_days = fields.Integer(
        string="Grade C up to (days late)", default=_DEFAULTS.c_days
    )
    crm_payment_grade_d_days = fields.Integer(
        string="Grade D up to (days late)", default=_DEFAULTS.d_days
    )
    crm_payment_e_overdue_days = fields.Integer(
        string="Grade E when overdue more than (days)",
        default=_DEFAULTS.e_overdue_days,
    )
    crm_payment_window_days = fields.Integer(
        string="Payment window (days)", default=_DEFAULTS.window_days
    )
    crm_payment_block_posting = fields.Boolean(
        string="Block invoices of risky customers",
        help="Refuse to post an invoice for a customer graded E or over the credit "
        "limit, instead of only warning.",
    )

    def _crm_payment_thresholds(self):
        self.ensure_one()
        return scoring.Thresholds(
            a_days=self.crm_payment_grade_a_days,
            b_days=self.crm_payment_grade_b_days,
            c_days=self.crm_payment_grade_c_days,
            d_days=self.crm_payment_grade_d_days,
            e_overdue_days=self.crm_payment_e_overdue_days,
            window_days=self.crm_payment_window_days,
        )

    @api.constrains(*THRESHOLD_FIELDS)
    def _check_crm_payment_thresholds(self):
        for company in self:
            problems = company._crm_payment_thresholds().problems()
            if "negative" in problems:
                raise ValidationError(
                    self.env._("The grade thresholds cannot be negative.")
                )
            if "not_increasing" in problems:
                raise ValidationError(
                    self.env._(
                        "The grade thresholds must increase from A to D "
                        "(A %(a)s, B %(b)s, C %(c)s, D %(d)s days).",
                        a=company.crm_payment_grade_a_days,
                        b=company.crm_payment_grade_b_days,
                        c=company.crm_payment_grade_c_days,
                        d=company.crm_payment_grade_d_days,
                    )
                )
            if "window" in problems:
                raise ValidationError(
                    self.env._("The payment window must be at least one day.")
                )
            if "overdue" in problems:
                raise ValidationError(
                    self.env._(
                        "The overdue limit for grade E must be at least one day."
                    )
                )

    def write(self, vals):
        changed = any(
            company[name] != vals[name]
            for company in self
            for name in REGRADE_FIELDS
            if name in vals
        )
        result = super().write(vals)
        if changed:
            self.env["crm_extended.payment.behaviour"]._schedule_rebuild()
        return result
