import json

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..scoring import payment_behaviour as scoring
from .card_numbers import CardNumbers

# Decimals of the grade reason's numbers; the others are whole days or percents.
# Most decimals a reason shows per number; fewer when the value has fewer
# ("5.0 days", "1.19 days"), never none for a fractional figure.
REASON_DIGITS = {"avg_days": 2}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Payment behaviour (docs/design.md). Company-dependent: one value per
    # company, written by crm_extended.payment.behaviour for a batch at once.
    # ------------------------------------------------------------------
    # The figures the nightly rebuild rewrites for every customer with an
    # overdue item carry no index (Odoo indexes a company-dependent column by
    # default): PostgreSQL can then rewrite the row in place (a HOT update)
    # instead of adding an entry to each of the ~40 indexes of res_partner.
    # Searching them is rare and reads most customers anyway.
    payment_avg_days_late = fields.Float(
        string="Average Days Late",
        company_dependent=True,
        index=False,  # rewritten nightly: see the note above
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Days between due date and payment, weighted by the amount paid, "
        "over the payments of the window.",
        groups="crm_extended.group_card_user",
    )
    payment_on_time_ratio = fields.Float(
        string="Paid On Time",
        company_dependent=True,
        index=False,  # rewritten nightly: see the note above
        readonly=True,
        copy=False,
        help="Share of the amount paid in the window that was paid by its due date.",
        groups="crm_extended.group_card_user",
    )
    payment_overdue_amount = fields.Float(
        string="Overdue Instalments",
        company_dependent=True,
        index=False,  # rewritten nightly: see the note above
        readonly=True,
        copy=False,
        digits="Account",
        groups="crm_extended.group_card_accountant",
        help="Open receivable due before today, in company currency (see "
        "crm_extended.open.item); refreshed with every posting and nightly.",
    )
    payment_overdue_max_days = fields.Integer(
        string="Oldest Overdue (days)",
        company_dependent=True,
        index=False,  # rewritten nightly: see the note above
        readonly=True,
        copy=False,
        help="Days the oldest receivable item still owed is past its due date.",
        groups="crm_extended.group_card_user",
    )
    payment_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")],
        company_dependent=True,
        readonly=True,
        copy=False,
        help="A pays on time ... E pays very late or has long-overdue amounts.",
        groups="crm_extended.group_card_user",
    )
    payment_grade_data = fields.Char(
        company_dependent=True,
        index=False,  # rewritten nightly: see the note above
        readonly=True,
        copy=False,
        help="Technical: the reason of the grade and its numbers, as JSON.",
        groups="crm_extended.group_card_user",
    )
    payment_grade_reason = fields.Text(
        string="Grade Reason",
        compute="_compute_payment_grade_reason",
        help="Why the customer has this grade, in the reader's language.",
        groups="crm_extended.group_card_user",
    )
    payment_trust_manual = fields.Boolean(
        string="Trust Set by Hand",
        company_dependent=True,
        copy=False,
        help="When set, the degree of trust no longer follows the payment grade.",
    )
    payment_ageing_not_due = fields.Monetary(
        string="Not Due",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    payment_ageing_1_30 = fields.Monetary(
        string="1-30 Days",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    payment_ageing_31_60 = fields.Monetary(
        string="31-60 Days",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    payment_ageing_61_90 = fields.Monetary(
        string="61-90 Days",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    payment_ageing_over_90 = fields.Monetary(
        string="Over 90 Days",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )

    @api.depends_context("company", "lang")
    @api.depends("payment_grade_data", "registry_reason_data")
    def _compute_payment_grade_reason(self):
        for partner in self:
            partner.payment_grade_reason = partner._payment_reason_text()

    def _payment_reason_text(self):
        data = self.commercial_partner_id.payment_grade_data
        if not data:
            return False
        params = json.loads(data)
        grade, reason = params.pop("grade"), params.pop("reason")
        result = scoring.Grade(grade, reason, self._payment_reason_numbers(params))
        text = scoring.describe(result, lambda source, **kw: self.env._(source, **kw))
        return self._registry_grade_reason(text, params)  # registry risks, if any

    def _payment_reason_numbers(self, params):
        """The reason's numbers written the reader's way ("1,19", "1 000")."""
        numbers = CardNumbers(self.env)
        return {
            key: numbers.number(value, digits=self._reason_digits(key, value))
            if isinstance(value, int | float) and not isinstance(value, bool)
            else value
            for key, value in params.items()
        }

    @staticmethod
    def _reason_digits(key, value):
        most = REASON_DIGITS.get(key, 0)
        for digits in range(1, most):
            if round(value, digits) == round(value, most):
                return digits
        return most

    def _crm_payment_grade_warning(self, company):
        """The warning about this customer's payment grade in ``company``, or "".

        Shared by every document that warns before committing to a risky
        customer: draft invoices here, quotations in crm_extended_sale.
        """
        # The system's verdict decides whoever posts; the grade and its reason
        # are shown only to those who may read them.
        partner = self.commercial_partner_id.with_company(company).sudo()
        if not partner or partner.payment_grade != "E":
            return ""
        if not self.env.user.has_group("crm_extended.group_card_user"):
            return self.env._(
                "%(partner)s is a payment risk according to the customer card; a "
                "customer card user can tell you why.",
                partner=partner.name,
            )
        return self.env._(
            "%(partner)s has payment grade E. %(reason)s",
            partner=partner.name,
            reason=partner.payment_grade_reason or "",
        )

    def write(self, vals):
        if "trust" in vals and not self.env.context.get("crm_payment_trust_sync"):
            vals.setdefault("payment_trust_manual", True)
        moved = "parent_id" in vals or "is_company" in vals
        commercials_before = self.commercial_partner_id if moved else None
        result = super().write(vals)
        if moved and commercials_before != self.commercial_partner_id:
            # A contact's items now count for another customer: both are
            # refreshed (the nightly rebuild only redoes what the date changes).
            self.env["crm_extended.payment.behaviour"].sudo()._touch(
                commercials_before | self.commercial_partner_id
            )
        if "payment_trust_manual" in vals and not vals["payment_trust_manual"]:
            self.env["crm_extended.payment.behaviour"]._refresh(
                self.commercial_partner_id.ids
            )
        return result

    def action_payment_instalments(self):
        """Accountants: the instalments behind the payment figures."""
        self.ensure_one()
        self.env["account.move.line"].check_access("read")
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            raise AccessError(
                self.env._("Only accountants can open the instalments of a customer.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Instalments of %(partner)s", partner=self.name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref(
                        "crm_extended.view_move_line_payment_instalment_list"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": self.env["crm_extended.payment.behaviour"]._instalment_domain(
                self, self.env.company
            ),
            "context": {"search_default_group_by_move": 0, "create": False},
        }

    def action_payment_trend(self):
        """Everyone on the card: the 12-month trend of days late."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_payment_snapshot_trend"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
        ]
        action["name"] = self.env._("Payment trend of %(partner)s", partner=self.name)
        return action
