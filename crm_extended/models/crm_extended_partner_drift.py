import json

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..scoring import drift as drift_maths

DRIFT_STATES = [
    ("new", "New"),
    ("active", "Active"),
    ("lapsing", "Lapsing"),
    ("declining", "Declining"),
    ("lost", "Lost"),
]


class CrmExtendedPartnerDrift(models.Model):
    """Buying rhythm and drift of one customer in one company.

    Written only by ``crm_extended.drift.engine`` (nightly, and when invoices of
    the customer are posted, reset or cancelled) with set-based SQL: nobody has
    write access. Read through record rules: the user's companies, and for
    salespeople limited to their own customers, their customers.
    """

    _name = "crm_extended.partner.drift"
    _description = "Customer Buying Rhythm"
    _order = "lost_turnover desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(DRIFT_STATES, readonly=True, index=True)
    state_date = fields.Date(
        string="In This State Since",
        readonly=True,
        help="The day the customer turned to its present state.",
    )
    reason_data = fields.Char(
        readonly=True, help="Technical: the reason and its numbers, as JSON."
    )
    reason = fields.Char(compute="_compute_reason", string="Why")
    interval_days = fields.Float(
        string="Usual Interval (days)",
        readonly=True,
        digits=(16, 0),
        aggregator="avg",
        help="Median of the days between consecutive purchases.",
    )
    days_since = fields.Integer(
        string="Days Since Last Purchase", compute="_compute_days_since"
    )
    last_purchase_date = fields.Date(readonly=True)
    first_purchase_date = fields.Date(readonly=True)
    expected_date = fields.Date(
        string="Next Purchase Expected",
        readonly=True,
        help="One usual interval after the last purchase, or the next season for "
        "a customer buying in a yearly rhythm.",
    )
    invoice_count_12m = fields.Integer(string="Invoices (12 Months)", readonly=True)
    turnover_12m = fields.Monetary(
        string="Turnover Last 12 Months",
        readonly=True,
        groups="crm_extended.group_card_user",
    )
    turnover_prev_12m = fields.Monetary(
        string="Turnover 12 Months Before",
        readonly=True,
        groups="crm_extended.group_card_user",
    )
    lost_turnover = fields.Monetary(
        string="Turnover at Stake",
        readonly=True,
        groups="crm_extended.group_card_user",
        help="Declining: the fall against the 12 months before; lapsing: the last "
        "12 months' turnover; lost: the better of the two periods.",
    )
    computed_on = fields.Date(
        string="Changed On", readonly=True, help="The last day its figures changed."
    )
    history_key = fields.Char(
        readonly=True,
        help="Technical: a digest of the purchases and thresholds it was computed "
        "from; the nightly pass assesses the customer again when it changes.",
    )
    review_date = fields.Date(
        readonly=True,
        help="Technical: the first day the same purchases may give another state; "
        "the nightly pass assesses the customer again from that day.",
    )

    _sql_constraints = [  # noqa: RUF012
        (
            "partner_company_unique",
            "unique(partner_id, company_id)",
            "One buying rhythm per customer and company.",
        )
    ]

    @api.depends_context("lang", "tz")
    @api.depends("reason_data", "last_purchase_date", "first_purchase_date")
    def _compute_reason(self):
        for record in self:
            record.reason = record._reason_text()

    @api.depends_context("tz")
    @api.depends("last_purchase_date")
    def _compute_days_since(self):
        today = fields.Date.context_today(self)
        for record in self:
            last = record.last_purchase_date
            record.days_since = (today - last).days if last else 0

    def _reason_text(self):
        if not self.reason_data:
            return False
        params = drift_maths.reason_params(
            json.loads(self.reason_data),
            fields.Date.context_today(self),
            self.last_purchase_date,
            self.first_purchase_date,
        )
        reason = params.pop("reason")
        if params.get("expected"):
            params["expected"] = format_date(
                self.env, fields.Date.to_date(params["expected"])
            )
        return drift_maths.describe(
            reason, params, lambda source, **kw: self.env._(source, **kw)
        )

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
