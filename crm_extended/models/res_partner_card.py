from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..services.card_periods import (
    PERIOD_SUFFIXES,
    average,
    empty_figures,
    margin_percent,
)
from ..services.card_render import month_starts, render_top_items, render_trend
from .card_group_memo import group_checks_remembered
from .card_numbers import CardNumbers


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Customer card (issue 8): commercial figures, header counts, segments,
    # contact persons and the communications timeline.
    # ------------------------------------------------------------------
    card_turnover_this_year = fields.Monetary(
        string="Turnover This Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
        help="Posted customer invoices minus credit notes, without taxes, in the "
        "current company's currency, of this company and its contacts.",
    )
    card_turnover_last_year = fields.Monetary(
        string="Turnover Last Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
    )
    card_turnover_12m = fields.Monetary(
        string="Turnover Last 12 Months",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
    )
    card_profit_this_year = fields.Monetary(
        string="Gross Profit This Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Turnover minus the product cost stored on the invoice lines when they "
        "were posted.",
    )
    card_profit_last_year = fields.Monetary(
        string="Gross Profit Last Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    card_profit_12m = fields.Monetary(
        string="Gross Profit Last 12 Months",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )
    card_margin_this_year = fields.Float(
        string="Margin This Year (%)",
        compute="_compute_card_figures",
        digits=(16, 1),
        groups="crm_extended.group_card_accountant",
    )
    card_margin_last_year = fields.Float(
        string="Margin Last Year (%)",
        compute="_compute_card_figures",
        digits=(16, 1),
        groups="crm_extended.group_card_accountant",
    )
    card_margin_12m = fields.Float(
        string="Margin Last 12 Months (%)",
        compute="_compute_card_figures",
        digits=(16, 1),
        groups="crm_extended.group_card_accountant",
    )
    card_invoice_count_this_year = fields.Integer(
        string="Invoices This Year",
        compute="_compute_card_figures",
        groups="crm_extended.group_card_user",
    )
    card_invoice_count_last_year = fields.Integer(
        string="Invoices Last Year",
        compute="_compute_card_figures",
        groups="crm_extended.group_card_user",
    )
    card_invoice_count_12m = fields.Integer(
        string="Invoices Last 12 Months",
        compute="_compute_card_figures",
        groups="crm_extended.group_card_user",
    )
    card_avg_order_this_year = fields.Monetary(
        string="Average Order This Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
        help="Turnover divided by the number of invoices.",
    )
    card_avg_order_last_year = fields.Monetary(
        string="Average Order Last Year",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
    )
    card_avg_order_12m = fields.Monetary(
        string="Average Order Last 12 Months",
        compute="_compute_card_figures",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
    )
    card_top_items_html = fields.Html(
        string="Top Items",
        compute="_compute_card_top_items",
        sanitize=False,
        groups="crm_extended.group_card_user",
        help="The products bought most in the last 12 months, by revenue and by "
        "quantity.",
    )
    card_trend_html = fields.Html(
        string="Monthly Trend",
        compute="_compute_card_figures",
        sanitize=False,
        groups="crm_extended.group_card_user",
        help="Turnover per month over the last 12 months.",
    )
    card_pricelist_item_ids = fields.Many2many(
        "product.pricelist.item",
        string="Special Prices",
        compute="_compute_card_pricelist_item_ids",
        groups="crm_extended.group_card_user",
    )
    card_invoice_total_count = fields.Integer(
        string="Posted Invoices",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    card_contract_count = fields.Integer(
        string="Contracts",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    card_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    card_complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    card_complaint_avg_days = fields.Float(
        string="Average Days to Resolve",
        compute="_compute_card_counts",
        digits=(16, 1),
        groups="crm_extended.group_card_user",
    )
    card_contact_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        compute="_compute_card_contact_ids",
    )
    card_timeline_ids = fields.One2many(
        "crm_extended.timeline",
        "partner_id",
        string="Communications",
        compute="_compute_card_timeline_ids",
        search="_search_card_timeline_ids",
        groups="crm_extended.group_card_user",
    )
    crm_segment_value_ids = fields.Many2many(
        "crm_extended.segment.value",
        "crm_extended_partner_segment_rel",
        "partner_id",
        "value_id",
        string="Segments",
        help="At most one value per segmentation axis.",
    )
    crm_contact_role = fields.Selection(
        [
            ("decision_maker", "Decision Maker"),
            ("buyer", "Buyer"),
            ("influencer", "Influencer"),
            ("user", "User"),
            ("technical", "Technical Contact"),
            ("finance", "Finance"),
            ("gatekeeper", "Gatekeeper"),
            ("other", "Other"),
        ],
        string="Role in Buying",
        groups="crm_extended.group_card_user",
        copy=False,
    )
    crm_decision_weight = fields.Selection(
        [("0", "None"), ("1", "Low"), ("2", "Medium"), ("3", "High")],
        string="Decision Weight",
        help="How much this person weighs in the customer's buying decisions.",
        groups="crm_extended.group_card_user",
        copy=False,
    )
    crm_preferred_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("meeting", "Meeting"),
            ("video", "Video Call"),
            ("sms", "SMS / Chat"),
            ("letter", "Letter"),
        ],
        string="Preferred Channel",
    )

    def web_read(self, specification):
        # The form reads some 200 fields of the card, each checked against the
        # reader's groups several times: one answer per distinct check.
        with group_checks_remembered(self.env):
            return super().web_read(specification)

    def _card_today(self):
        return fields.Date.context_today(self)

    @api.depends_context("company", "lang")
    def _compute_card_figures(self):
        """All commercial figures and the monthly trend of many partners from one
        SQL statement."""
        commercial = self.commercial_partner_id
        today = self._card_today()
        months = month_starts(today)
        figures, trend = self.env["crm_extended.card.figures"].card_sales_by_partner(
            commercial.ids, self.env.company, today, months[0]
        )
        self._card_render_trends(months, trend)
        empty = empty_figures()
        for partner in self:
            by_period = figures.get(partner.commercial_partner_id.id, empty)
            for period, suffix in PERIOD_SUFFIXES.items():
                values = by_period[period]
                turnover = values["turnover"]
                profit = turnover - values["cost"]
                partner[f"card_turnover_{suffix}"] = turnover
                partner[f"card_profit_{suffix}"] = profit
                partner[f"card_margin_{suffix}"] = margin_percent(turnover, profit)
                partner[f"card_invoice_count_{suffix}"] = values["invoices"]
                partner[f"card_avg_order_{suffix}"] = average(
                    turnover, values["invoices"]
                )

    @api.depends_context("company", "lang")
    def _compute_card_top_items(self):
        """The top items of many partners from one SQL statement, apart from the
        figures: they are on the Items tab, read when it is shown."""
        tops = self.env["crm_extended.card.figures"].card_top_items_by_partner(
            self.commercial_partner_id.ids, self.env.company, self._card_today()
        )
        self._card_render_top_items(tops)

    def _card_format_quantity(self, quantity, numbers=None):
        """A quantity the reader's way: "12" or "2,5" in Slovak."""
        numbers = numbers or CardNumbers(self.env)
        digits = 0 if float(quantity).is_integer() else 3
        text = numbers.number(quantity, digits=digits)
        if digits:
            text = text.rstrip("0").rstrip(numbers.decimal_point or ".")
        return text

    def _card_format_short(self, amount, numbers=None):
        """An amount short enough to stand above a bar of the monthly chart:
        "12,3 k", "1,2 M", "850" (the currency is in the chart's title)."""
        numbers = numbers or CardNumbers(self.env)
        for limit, unit in ((1e6, "M"), (1e3, "k")):
            if abs(amount) >= limit:
                return f"{numbers.number(amount / limit, digits=1)} {unit}"
        return numbers.number(amount, digits=0)

    def _card_render_top_items(self, tops):
        product_ids = {
            item[0] for top in tops.values() for items in top.values() for item in items
        }
        names = {
            product.id: product.display_name
            for product in self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .browse(product_ids)
        }
        currency = self.env.company.currency_id
        numbers = CardNumbers(self.env)
        labels = {
            "by_revenue": self.env._("By revenue"),
            "by_quantity": self.env._("By quantity"),
            "product": self.env._("Product"),
            "revenue": self.env._("Revenue"),
            "quantity": self.env._("Quantity"),
            "empty": self.env._("No products invoiced in the last 12 months."),
        }
        for partner in self:
            partner.card_top_items_html = render_top_items(
                tops.get(partner.commercial_partner_id.id),
                names,
                lambda amount: numbers.amount(amount, currency),
                labels,
                format_quantity=lambda quantity: self._card_format_quantity(
                    quantity, numbers
                ),
            )

    def _card_render_trends(self, months, trend):
        currency = self.env.company.currency_id
        title = self.env._("Turnover per month (%(currency)s)", currency=currency.name)
        numbers = CardNumbers(self.env)
        for partner in self:
            partner.card_trend_html = render_trend(
                months,
                trend.get(partner.commercial_partner_id.id, {}),
                lambda amount: numbers.amount(amount, currency),
                title,
                format_short=lambda amount: self._card_format_short(amount, numbers),
            )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_card_pricelist_item_ids(self):
        commercial = self.commercial_partner_id
        pricelists = commercial.mapped("property_product_pricelist")
        items = self.env["product.pricelist.item"].search(
            [("pricelist_id", "in", pricelists.ids)]
        )
        by_pricelist = {}
        for item in items:
            by_pricelist.setdefault(item.pricelist_id.id, []).append(item.id)
        for partner in self:
            pricelist = partner.commercial_partner_id.property_product_pricelist
            partner.card_pricelist_item_ids = [
                Command.set(by_pricelist.get(pricelist.id, []))
            ]

    def _card_invoice_domain(self, commercial_ids):
        """The posted customer invoices and credit notes of the card: one domain
        for the count on the smart button and the list it opens, so both agree
        (contacts' documents included, the current company only)."""
        return [
            ("commercial_partner_id", "in", commercial_ids),
            ("company_id", "=", self.env.company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]

    @api.depends("child_ids.type", "child_ids.active")
    def _compute_card_contact_ids(self):
        for partner in self:
            partner.card_contact_ids = partner.child_ids.filtered(
                lambda child: child.type == "contact"
            )

    @api.constrains("crm_segment_value_ids")
    def _check_one_segment_per_axis(self):
        for partner in self:
            axes = partner.crm_segment_value_ids.axis_id
            if len(axes) == len(partner.crm_segment_value_ids):
                continue
            duplicated = axes.filtered(
                lambda axis, partner=partner: (
                    len(
                        partner.crm_segment_value_ids.filtered(
                            lambda value, axis=axis: value.axis_id == axis
                        )
                    )
                    > 1
                )
            )
            raise ValidationError(
                self.env._(
                    "%(partner)s can have only one segment per axis; check the "
                    "axis %(axes)s.",
                    partner=partner.display_name,
                    axes=", ".join(duplicated.mapped("name")),
                )
            )

    def _card_action(self, xmlid, domain, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = dict(
            context or {}, default_partner_id=self.commercial_partner_id.id
        )
        return action

    def action_card_invoices(self):
        self.ensure_one()
        return self._card_action(
            "account.action_move_out_invoice_type",
            self._card_invoice_domain(self.commercial_partner_id.ids),
            {"default_move_type": "out_invoice", "create": False},
        )

    def action_card_contracts(self):
        self.ensure_one()
        return self._card_action(
            "crm_extended.action_crm_extended_contract",
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
        )

    def action_card_complaints(self):
        self.ensure_one()
        return self._card_action(
            "crm_extended.action_crm_extended_complaint",
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
        )

    def action_card_sales_analysis(self):
        self.ensure_one()
        return self._card_action(
            "crm_extended.action_crm_extended_sale_report",
            [("partner_id", "=", self.commercial_partner_id.id)],
        )

    def action_card_timeline(self):
        self.ensure_one()
        return self._card_action(
            "crm_extended.action_crm_extended_timeline",
            [("partner_id", "=", self.commercial_partner_id.id)],
        )

    card_contract_ids = fields.One2many(
        "crm_extended.contract",
        "commercial_partner_id",
        string="Contracts of the Customer",
        compute="_compute_card_contract_ids",
        search="_search_card_contract_ids",
        groups="crm_extended.group_card_user",
    )
    card_complaint_ids = fields.One2many(
        "crm_extended.complaint",
        "commercial_partner_id",
        string="Complaints of the Customer",
        compute="_compute_card_complaint_ids",
        search="_search_card_complaint_ids",
        groups="crm_extended.group_card_user",
    )
