from odoo import api, fields, models

from ..services import late_interest

INTEREST_RULES = [
    ("sk", "Slovakia: ECB rate of each half-year + 8 p.p."),
    ("sk_fixed", "Slovakia: ECB rate of the first day of delay + 9 p.p."),
    ("cz", "Czechia: ČNB repo rate of the half-year the delay began + 8 p.p."),
    ("pl", "Poland: NBP reference rate of each half-year + 10 p.p."),
    ("pl_medical", "Poland, debtor a public medical entity: NBP rate + 8 p.p."),
    ("none", "No statutory interest"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_interest_rule = fields.Selection(
        INTEREST_RULES,
        string="Late-Payment Interest Rule",
        compute="_compute_crm_interest_rule",
        store=True,
        readonly=False,
        help="Which law computes the late-payment interest of this company's "
        "customers; by default the one of the company's country.",
    )
    crm_interest_recovery_fee = fields.Boolean(
        string="Charge the Flat Recovery Fee",
        default=True,
        help="Add the statutory flat compensation for recovery costs (40 EUR, "
        "1 200 CZK, 40/70/100 EUR in Poland) once per late invoice on the "
        "penalty invoice.",
    )
    crm_interest_window_days = fields.Integer(
        string="Interest on Paid Invoices (days)",
        default=365,
        help="Invoices paid late count for interest while their last payment "
        "is at most this many days old; open invoices always count.",
    )
    crm_interest_journal_id = fields.Many2one(
        "account.journal",
        string="Penalty Invoice Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the penalty invoices; the default sales journal "
        "when empty.",
    )

    @api.depends("country_id")
    def _compute_crm_interest_rule(self):
        for company in self:
            code = company.country_id.code
            current = late_interest.RULES.get(company.crm_interest_rule or "")
            # A rule the manager chose for the same country stays.
            if current and current.country == code:
                company.crm_interest_rule = company.crm_interest_rule
            else:
                company.crm_interest_rule = (
                    late_interest.DEFAULT_RULE_BY_COUNTRY.get(code) or "none"
                )

    def _crm_interest_rule(self):
        """The plain rule of the company, or None when it charges no interest."""
        self.ensure_one()
        return late_interest.RULES.get(self.crm_interest_rule or "none")
