from odoo import api, fields, models

from odoo.addons.crm_extended.models.card_figure_fields import (
    PIPELINE_GROUPS,
    card_figure,
)
from odoo.addons.crm_extended.services.selling import (
    OFFER_PERIODS,
    discount_percent,
    win_rate,
)


def _quotation_figure(kind, string, help_text=None):
    return card_figure(kind, "_compute_card_quotations", string, help_text)


class ResPartner(models.Model):
    _inherit = "res.partner"

    card_quotation_open_count = _quotation_figure(
        "count",
        "Open Quotations",
        "Quotations of this company and its contacts not yet confirmed.",
    )
    card_quotation_open_amount = _quotation_figure(
        "amount", "Open Quotations Amount", "Untaxed, in the company's currency."
    )
    card_open_quotation_ids = fields.Many2many(
        "sale.order",
        string="Open Quotations List",
        compute="_compute_card_open_quotation_ids",
        groups=PIPELINE_GROUPS,
    )
    card_quotation_count_12m = _quotation_figure(
        "count", "Quotations (12 Months)", "Quotations dated in the last 12 months."
    )
    card_quotation_won_count_12m = _quotation_figure(
        "count", "Confirmed Quotations (12 Months)"
    )
    card_quotation_lost_count_12m = _quotation_figure(
        "count", "Cancelled Quotations (12 Months)"
    )
    card_quotation_won_amount_12m = _quotation_figure(
        "amount", "Confirmed Amount (12 Months)"
    )
    card_quotation_lost_amount_12m = _quotation_figure(
        "amount", "Cancelled Amount (12 Months)"
    )
    card_quotation_win_rate_12m = _quotation_figure(
        "ratio",
        "Quotation Win Rate (12 Months, %)",
        "Confirmed quotations in percent of those confirmed or cancelled.",
    )
    card_quotation_win_rate_amount_12m = _quotation_figure(
        "ratio", "Quotation Win Rate by Amount (12 Months, %)"
    )
    card_days_to_order_12m = _quotation_figure(
        "ratio",
        "Days to Order (12 Months)",
        "Average days from the inquiry (the opportunity, else the quotation) to "
        "the confirmation of the order.",
    )
    card_discount_12m = _quotation_figure(
        "ratio",
        "Average Discount (12 Months, %)",
        "Discount granted on confirmed orders, in percent of their amount at list "
        "price.",
    )
    card_quotation_count_prev_12m = _quotation_figure(
        "count", "Quotations (12 Months Before)"
    )
    card_quotation_won_count_prev_12m = _quotation_figure(
        "count", "Confirmed Quotations (12 Months Before)"
    )
    card_quotation_lost_count_prev_12m = _quotation_figure(
        "count", "Cancelled Quotations (12 Months Before)"
    )
    card_quotation_won_amount_prev_12m = _quotation_figure(
        "amount", "Confirmed Amount (12 Months Before)"
    )
    card_quotation_lost_amount_prev_12m = _quotation_figure(
        "amount", "Cancelled Amount (12 Months Before)"
    )
    card_quotation_win_rate_prev_12m = _quotation_figure(
        "ratio", "Quotation Win Rate (12 Months Before, %)"
    )
    card_quotation_win_rate_amount_prev_12m = _quotation_figure(
        "ratio", "Quotation Win Rate by Amount (12 Months Before, %)"
    )
    card_days_to_order_prev_12m = _quotation_figure(
        "ratio", "Days to Order (12 Months Before)"
    )
    card_discount_prev_12m = _quotation_figure(
        "ratio", "Average Discount (12 Months Before, %)"
    )

    @api.depends_context("company", "uid", "allowed_company_ids")
    def _compute_card_quotations(self):
        Figures = self.env["crm_extended.pipeline.figures"]
        figures = Figures.quotation_figures_by_partner(
            self.commercial_partner_id.ids, self.env.company, self._card_today()
        )
        empty = Figures.empty_quotation_figures()
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id, empty)
            partner.card_quotation_open_count = values["open"]["count"]
            partner.card_quotation_open_amount = values["open"]["amount"]
            for period in OFFER_PERIODS:
                by_period = values[period]
                partner[f"card_quotation_count_{period}"] = by_period["made"]
                partner[f"card_quotation_won_count_{period}"] = by_period["won"]
                partner[f"card_quotation_lost_count_{period}"] = by_period["lost"]
                partner[f"card_quotation_won_amount_{period}"] = by_period["won_amount"]
                partner[f"card_quotation_lost_amount_{period}"] = by_period[
                    "lost_amount"
                ]
                partner[f"card_quotation_win_rate_{period}"] = win_rate(
                    by_period["won"], by_period["lost"]
                )
                partner[f"card_quotation_win_rate_amount_{period}"] = win_rate(
                    by_period["won_amount"], by_period["lost_amount"]
                )
                partner[f"card_days_to_order_{period}"] = by_period["days_to_order"]
                partner[f"card_discount_{period}"] = discount_percent(
                    by_period["discount_amount"], by_period["list_amount"]
                )

    @api.depends_context("company", "uid", "allowed_company_ids")
    def _compute_card_open_quotation_ids(self):
        orders = self.env["crm_extended.pipeline.figures"].open_quotations_by_partner(
            self.commercial_partner_id.ids, self.env.company
        )
        for partner in self:
            partner.card_open_quotation_ids = orders.get(
                partner.commercial_partner_id.id, self.env["sale.order"]
            )

    def action_card_quotations(self):
        """The quotations behind one quotation figure of the card."""
        self.ensure_one()
        outcome, period = self._card_pipeline_request()
        domain = self.env["crm_extended.pipeline.figures"].quotation_domain(
            self.commercial_partner_id.ids,
            self.env.company,
            outcome,
            period,
            self._card_today(),
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        titles = {
            "open": self.env._("Open quotations"),
            "made": self.env._("Quotations"),
            "won": self.env._("Confirmed quotations"),
            "lost": self.env._("Cancelled quotations"),
            "closed": self.env._("Confirmed or cancelled quotations"),
        }
        action.update(
            name=self.env._(
                "%(figure)s: %(customer)s",
                figure=titles.get(outcome, outcome),
                customer=self.commercial_partner_id.name,
            ),
            domain=domain,
            context={"default_partner_id": self.commercial_partner_id.id},
            view_mode="list,form,pivot,graph",
            views=[
                (False, "list"),
                (False, "form"),
                (False, "pivot"),
                (False, "graph"),
            ],
        )
        return action
