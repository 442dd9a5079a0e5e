from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..services.selling import first_of_month


class CrmExtendedSalesTarget(models.Model):
    """What a salesperson (or a team) should sell in a month; set by managers."""

    _name = "crm_extended.sales.target"
    _description = "Sales Target"
    _order = "month desc, team_id, user_id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        domain="[('share', '=', False)]",
        help="Leave empty for a target of the whole team.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        check_company=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    month = fields.Date(
        required=True,
        index=True,
        help="The first day of the month the target is for.",
    )
    amount = fields.Monetary(
        string="Target",
        required=True,
        currency_field="currency_id",
        help="Untaxed turnover to reach in the month, in the company's currency.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = (
        (
            "target_unique",
            "UNIQUE NULLS NOT DISTINCT (company_id, user_id, team_id, month)",
            "There is already a target for this salesperson, team and month.",
        ),
    )

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for target in self:
            if target.user_id and not target.team_id:
                target.team_id = target.user_id.with_company(
                    target.company_id
                ).sale_team_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_month(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_month(vals)
        return super().write(vals)

    @api.model
    def _normalize_month(self, vals):
        """A target is for a whole month: keep its first day."""
        if vals.get("month"):
            vals["month"] = first_of_month(fields.Date.to_date(vals["month"]))

    @api.constrains("user_id", "team_id")
    def _check_salesperson_or_team(self):
        for target in self:
            if not target.user_id and not target.team_id:
                raise ValidationError(
                    self.env._("A sales target needs a salesperson or a sales team.")
                )

    @api.depends("user_id", "team_id", "month")
    def _compute_display_name(self):
        for target in self:
            who = target.user_id.name or target.team_id.name or ""
            month = target.month.strftime("%m/%Y") if target.month else ""
            target.display_name = f"{who} {month}".strip()
