from odoo import api, fields, models
from odoo.exceptions import UserError

from ..services.card_periods import period_bounds
from ..services.selling import (
    OFFER_PERIODS,
    effective_potential,
    percent,
    unused_potential,
    win_rate,
)
from .card_figure_fields import PIPELINE_GROUPS, card_figure


def _pipeline_figure(kind, string, help_text=None):
    return card_figure(kind, "_compute_card_pipeline", string, help_text)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Pipeline (issue 17): what is in play with the customer and how its
    # offers ended. Amounts a salesperson already sees in the CRM (expected
    # revenue, probability) are not hidden from them here; the figures count
    # only the leads the reading user may read.
    # ------------------------------------------------------------------
    card_lead_open_count = _pipeline_figure(
        "count",
        "Open Inquiries and Opportunities",
        "Active leads and opportunities of this company and its contacts that are "
        "not won yet.",
    )
    card_lead_open_expected = _pipeline_figure("amount", "Open Expected Revenue")
    card_lead_open_weighted = _pipeline_figure(
        "amount", "Open Weighted Revenue", "Expected revenue times probability."
    )
    card_open_lead_ids = fields.Many2many(
        "crm.lead",
        string="Open Inquiries and Opportunities List",
        compute="_compute_card_open_lead_ids",
        groups=PIPELINE_GROUPS,
    )
    card_offer_count_12m = _pipeline_figure(
        "count",
        "Opportunities Made (12 Months)",
        "Opportunities created in the last 12 months.",
    )
    card_offer_won_count_12m = _pipeline_figure(
        "count", "Opportunities Won (12 Months)"
    )
    card_offer_lost_count_12m = _pipeline_figure(
        "count", "Opportunities Lost (12 Months)"
    )
    card_offer_won_amount_12m = _pipeline_figure("amount", "Won Revenue (12 Months)")
    card_offer_lost_amount_12m = _pipeline_figure("amount", "Lost Revenue (12 Months)")
    card_win_rate_12m = _pipeline_figure(
        "ratio",
        "Win Rate (12 Months, %)",
        "Won opportunities in percent of those won or lost, by closing date.",
    )
    card_win_rate_amount_12m = _pipeline_figure(
        "ratio",
        "Win Rate by Amount (12 Months, %)",
        "Won expected revenue in percent of the won and lost expected revenue.",
    )
    card_days_to_win_12m = _pipeline_figure(
        "ratio",
        "Days from Inquiry to Order (12 Months)",
        "Average days from the creation of a won opportunity to its winning.",
    )
    card_lost_to_competitor_count_12m = _pipeline_figure(
        "count", "Lost to Competitors (12 Months)"
    )
    card_offer_count_prev_12m = _pipeline_figure(
        "count", "Opportunities Made (12 Months Before)"
    )
    card_offer_won_count_prev_12m = _pipeline_figure(
        "count", "Opportunities Won (12 Months Before)"
    )
    card_offer_lost_count_prev_12m = _pipeline_figure(
        "count", "Opportunities Lost (12 Months Before)"
    )
    card_offer_won_amount_prev_12m = _pipeline_figure(
        "amount", "Won Revenue (12 Months Before)"
    )
    card_offer_lost_amount_prev_12m = _pipeline_figure(
        "amount", "Lost Revenue (12 Months Before)"
    )
    card_win_rate_prev_12m = _pipeline_figure("ratio", "Win Rate (12 Months Before, %)")
    card_win_rate_amount_prev_12m = _pipeline_figure(
        "ratio", "Win Rate by Amount (12 Months Before, %)"
    )
    card_days_to_win_prev_12m = _pipeline_figure(
        "ratio", "Days from Inquiry to Order (12 Months Before)"
    )
    card_lost_to_competitor_count_prev_12m = _pipeline_figure(
        "count", "Lost to Competitors (12 Months Before)"
    )

    # ------------------------------------------------------------------
    # Potential and yield ("share of wallet"), per company.
    # ------------------------------------------------------------------
    sales_potential = fields.Float(
        string="Yearly Potential",
        company_dependent=True,
        digits="Account",
        groups="crm_extended.group_card_user",
        help="What this customer could buy from us in a year, in the company's "
        "currency. When empty, the highest default potential of its segments "
        "applies.",
    )
    sales_potential_effective = fields.Float(
        string="Potential",
        compute="_compute_sales_potential",
        digits="Account",
        groups="crm_extended.group_card_user",
        help="The potential entered on the customer, else its segments' default.",
    )
    sales_potential_from_segment = fields.Boolean(
        string="Potential from Segment",
        compute="_compute_sales_potential",
        groups="crm_extended.group_card_user",
    )
    sales_yield = fields.Float(
        string="Yield (%)",
        compute="_compute_sales_potential",
        digits=(16, 1),
        groups="crm_extended.group_card_user",
        help="Turnover of the last 12 months in percent of the yearly potential "
        "(share of wallet).",
    )
    sales_potential_unused = fields.Float(
        string="Unused Potential",
        compute="_compute_sales_potential",
        digits="Account",
        groups="crm_extended.group_card_user",
        help="Potential minus the turnover of the last 12 months.",
    )

    @api.depends_context("company", "uid", "allowed_company_ids")
    def _compute_card_pipeline(self):
        commercial = self.commercial_partner_id
        figures = self.env["crm_extended.pipeline.figures"].lead_figures_by_partner(
            commercial.ids, self.env.company, self._card_today()
        )
        empty = self.env["crm_extended.pipeline.figures"].empty_lead_figures()
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id, empty)
            partner.card_lead_open_count = values["open"]["count"]
            partner.card_lead_open_expected = values["open"]["expected"]
            partner.card_lead_open_weighted = values["open"]["weighted"]
            for period in OFFER_PERIODS:
                by_period = values[period]
                partner[f"card_offer_count_{period}"] = by_period["made"]
                partner[f"card_offer_won_count_{period}"] = by_period["won"]
                partner[f"card_offer_lost_count_{period}"] = by_period["lost"]
                partner[f"card_offer_won_amount_{period}"] = by_period["won_amount"]
                partner[f"card_offer_lost_amount_{period}"] = by_period["lost_amount"]
                partner[f"card_win_rate_{period}"] = win_rate(
                    by_period["won"], by_period["lost"]
                )
                partner[f"card_win_rate_amount_{period}"] = win_rate(
                    by_period["won_amount"], by_period["lost_amount"]
                )
                partner[f"card_days_to_win_{period}"] = by_period["days_to_win"]
                partner[f"card_lost_to_competitor_count_{period}"] = by_period[
                    "lost_to_competitor"
                ]

    @api.depends_context("company", "uid", "allowed_company_ids")
    def _compute_card_open_lead_ids(self):
        leads = self.env["crm_extended.pipeline.figures"].open_leads_by_partner(
            self.commercial_partner_id.ids, self.env.company
        )
        for partner in self:
            partner.card_open_lead_ids = leads.get(
                partner.commercial_partner_id.id, self.env["crm.lead"]
            )

    @api.depends(
        "commercial_partner_id.sales_potential",
        "commercial_partner_id.crm_segment_value_ids.default_potential",
    )
    @api.depends_context("company")
    def _compute_sales_potential(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            potential = effective_potential(
                commercial.sales_potential,
                commercial.crm_segment_value_ids.mapped("default_potential"),
            )
            # The card's own turnover figure (crm_extended.card.figures).
            turnover = partner.card_turnover_12m
            partner.sales_potential_effective = potential
            partner.sales_potential_from_segment = bool(
                potential and not commercial.sales_potential
            )
            partner.sales_yield = percent(turnover, potential)
            partner.sales_potential_unused = unused_potential(potential, turnover)

    # Drill-downs -------------------------------------------------------
    def _card_pipeline_request(self):
        """The (outcome, period) a drill-down button asks for in its context."""
        outcome = self.env.context.get("crm_card_outcome", "open")
        period = self.env.context.get("crm_card_period")
        if period not in (None, *OFFER_PERIODS):
            raise UserError(self.env._("Unknown period %(period)s.", period=period))
        return outcome, period

    def action_card_leads(self):
        """The leads behind one pipeline figure of the card."""
        self.ensure_one()
        outcome, period = self._card_pipeline_request()
        Figures = self.env["crm_extended.pipeline.figures"]
        domain = Figures.lead_domain(
            self.commercial_partner_id.ids,
            self.env.company,
            outcome,
            period,
            self._card_today(),
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        titles = {
            "open": self.env._("Open inquiries and opportunities"),
            "made": self.env._("Opportunities made"),
            "won": self.env._("Opportunities won"),
            "lost": self.env._("Opportunities lost"),
            "lost_to_competitor": self.env._("Opportunities lost to competitors"),
            "closed": self.env._("Opportunities won or lost"),
        }
        action.update(
            name=self.env._(
                "%(figure)s: %(customer)s",
                figure=titles.get(outcome, outcome),
                customer=self.commercial_partner_id.name,
            ),
            domain=domain,
            context={
                "active_test": False,
                "default_partner_id": self.commercial_partner_id.id,
                "default_type": "opportunity",
            },
            view_mode="list,kanban,form",
            views=[(False, "list"), (False, "kanban"), (False, "form")],
        )
        return action

    def action_card_turnover_12m(self):
        """The invoice lines behind the yield: the last 12 months' turnover."""
        self.ensure_one()
        date_from, date_to = period_bounds(self._card_today())["last_12m"]
        action = self._card_action(
            "crm_extended.action_crm_extended_sale_report",
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ],
        )
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action

    def action_card_offer_report(self):
        """Offer success of this customer; lost to competitors with the context
        key ``crm_card_lost_to_competitors``."""
        self.ensure_one()
        xmlid = (
            "crm_extended.action_crm_extended_offer_report_competitors"
            if self.env.context.get("crm_card_lost_to_competitors")
            else "crm_extended.action_crm_extended_offer_report"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["name"] = self.env._(
            "%(report)s: %(customer)s",
            report=action["name"],
            customer=self.commercial_partner_id.name,
        )
        return action
