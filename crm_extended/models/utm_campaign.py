from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..services import campaign_maths

CAMPAIGN_TYPES = [
    ("mailing", "Mailing"),
    ("exhibition", "Exhibition"),
    ("call", "Call campaign"),
    ("social", "Social media"),
    ("other", "Other"),
]
MONEY_GROUPS = "crm_extended.group_card_accountant"


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    campaign_type = fields.Selection(CAMPAIGN_TYPES, default="other", string="Type")
    date_start = fields.Date(string="Start Date")
    date_end = fields.Date(string="End Date")
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    budget = fields.Monetary(groups=MONEY_GROUPS)
    actual_cost = fields.Monetary(groups=MONEY_GROUPS)
    revenue_horizon_days = fields.Integer(
        string="Revenue Horizon (days)",
        default=180,
        help="Invoices of a responding customer dated up to this many days after "
        "their first response count as the campaign's revenue.",
    )
    member_ids = fields.One2many(
        "crm_extended.campaign.member", "campaign_id", string="Members"
    )
    member_count = fields.Integer(
        compute="_compute_member_stats", store=True, string="Members Count"
    )
    response_count = fields.Integer(
        compute="_compute_member_stats", store=True, string="Responses"
    )
    response_rate = fields.Float(
        compute="_compute_member_stats",
        store=True,
        string="Response Rate (%)",
        digits=(16, 1),
        aggregator="avg",
    )
    response_breakdown = fields.Html(
        compute="_compute_response_breakdown",
        string="Response Rate by Channel and Status",
        sanitize=False,
    )
    lead_count = fields.Integer(
        compute="_compute_results",
        string="Leads",
        help="Leads and opportunities of the campaign in your companies, won and "
        "lost ones included.",
    )
    won_count = fields.Integer(compute="_compute_results", string="Won Opportunities")
    won_revenue = fields.Monetary(compute="_compute_results", groups=MONEY_GROUPS)
    invoiced_revenue = fields.Monetary(
        compute="_compute_results",
        groups=MONEY_GROUPS,
        help="Untaxed invoices minus credit notes of the responding customers "
        "dated within the revenue horizon after their first response.",
    )
    paid_revenue = fields.Monetary(
        compute="_compute_results",
        groups=MONEY_GROUPS,
        help="Part of the invoiced revenue paid by the end of the revenue horizon "
        "(payments only, credit notes do not count), untaxed.",
    )
    cost_per_response = fields.Monetary(compute="_compute_results", groups=MONEY_GROUPS)
    roi = fields.Float(
        string="ROI (%)",
        compute="_compute_results",
        groups=MONEY_GROUPS,
        digits=(16, 1),
        help="(Won revenue - actual cost) / actual cost.",
    )

    _sql_constraints = (
        (
            "date_order",
            "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "A campaign cannot end before it starts.",
        ),
        (
            "horizon_positive",
            "CHECK(revenue_horizon_days >= 0)",
            "The revenue horizon cannot be negative.",
        ),
    )

    @api.depends("member_ids.responded")
    def _compute_member_stats(self):
        data = {
            (campaign.id, responded): count
            for campaign, responded, count in self.env[
                "crm_extended.campaign.member"
            ]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "responded"],
                ["__count"],
            )
        }
        for campaign in self:
            responses = data.get((campaign.id, True), 0)
            members = responses + data.get((campaign.id, False), 0)
            campaign.member_count = members
            campaign.response_count = responses
            campaign.response_rate = 100 * campaign_maths.response_rate(
                responses, members
            )

    def _response_breakdown_data(self):
        """{campaign id: {"channel": {key: rate}, "status": {key: rate}}} (0..1)."""
        self.ensure_one()
        responders = self.member_ids.filtered("responded")
        members = len(self.member_ids)
        # The labels in the reader's language, as the member list shows them.
        channel_labels = dict(
            self.env["crm_extended.campaign.member"]
            ._fields["response_channel"]
            ._description_selection(self.env)
        )
        no_channel = self.env._("Unknown channel")
        no_status = self.env._("No status")
        return {
            "channel": campaign_maths.rates_by(
                (
                    channel_labels.get(m.response_channel, no_channel)
                    for m in responders
                ),
                members,
            ),
            "status": campaign_maths.rates_by(
                (m.status.name or no_status for m in responders), members
            ),
        }

    @api.depends("member_ids.responded", "member_ids.response_channel")
    def _compute_response_breakdown(self):
        for campaign in self:
            if not campaign.member_ids.filtered("responded"):
                campaign.response_breakdown = False
                continue
            data = campaign._response_breakdown_data()
            html = Markup("")
            for key, title in (
                ("channel", self.env._("By channel")),
                ("status", self.env._("By status")),
            ):
                rows = Markup("").join(
                    Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
                    % (
                        label,
                        self.env._(
                            "%(percent)s %%",
                            percent=formatLang(self.env, 100 * rate, digits=1),
                        ),
                    )
                    for label, rate in sorted(data[key].items())
                )
                html += Markup(
                    "<table class='table table-sm o_campaign_breakdown'>"
                    "<thead><tr><th colspan='2'>%s</th></tr></thead>"
                    "<tbody>%s</tbody></table>"
                ) % (escape(title), rows)
            campaign.response_breakdown = html

    def _revenue_of_responders(self):
        """Invoiced and paid untaxed revenue per campaign, in one query.

        For each responding company the window runs from its first response to
        that date plus the campaign's horizon.
        """
        result = {campaign_id: (0.0, 0.0) for campaign_id in self.ids}
        if not self.ids:
            return result
        self.env["crm_extended.campaign.member"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.flush_recordset(["revenue_horizon_days"])
        self.env.cr.execute(
            SQL(
                """
                WITH responder AS (
                    SELECT member.campaign_id,
                           member.commercial_partner_id,
                           MIN(member.first_response_date)::date AS date_from,
                           MIN(member.first_response_date)::date
                               + COALESCE(campaign.revenue_horizon_days, 0)
                               AS date_to
                      FROM crm_extended_campaign_member member
                      JOIN utm_campaign campaign ON campaign.id = member.campaign_id
                     WHERE member.campaign_id IN %(campaigns)s
                       AND member.first_response_date IS NOT NULL
                  GROUP BY member.campaign_id, member.commercial_partner_id,
                           campaign.revenue_horizon_days
                ), invoice AS (
                    SELECT responder.campaign_id, responder.date_to, move.id,
                           move.move_type, move.amount_untaxed_signed AS untaxed,
                           move.amount_total_signed AS total
                      FROM responder
                      JOIN account_move move
                        ON move.commercial_partner_id
                           = responder.commercial_partner_id
                     WHERE move.state = 'posted'
                       AND move.company_id = %(company)s
                       AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.invoice_date BETWEEN responder.date_from
                                                 AND responder.date_to
                )
                SELECT invoice.campaign_id,
                       SUM(invoice.untaxed),
                       SUM(CASE WHEN invoice.total = 0 THEN 0
                                ELSE COALESCE(paid.amount, 0)
                                     * invoice.untaxed / invoice.total END)
                  FROM invoice
             LEFT JOIN LATERAL (
                    SELECT SUM(partial.amount) AS amount
                      FROM account_move_line line
                      JOIN account_partial_reconcile partial
                        ON partial.debit_move_id = line.id
                      JOIN account_move_line counter
                        ON counter.id = partial.credit_move_id
                      JOIN account_move counter_move
                        ON counter_move.id = counter.move_id
                     WHERE line.move_id = invoice.id
                       AND invoice.move_type = 'out_invoice'
                       AND line.display_type = 'payment_term'
                       AND partial.max_date <= invoice.date_to
                       AND counter_move.move_type NOT IN ('out_refund', 'in_refund')
                   ) paid ON TRUE
              GROUP BY invoice.campaign_id
                """,
                campaigns=tuple(self.ids),
                company=self.env.company.id,
            )
        )
        for campaign_id, invoiced, paid in self.env.cr.fetchall():
            result[campaign_id] = (invoiced or 0.0, paid or 0.0)
        return result

    def _lead_results(self):
        """{campaign id: (leads, won opportunities, won revenue)}.

        One basis for all three: the campaign's leads and opportunities of the
        reader's companies (archived, i.e. lost, ones included in the leads), so
        a won opportunity is always also one of the campaign's leads."""
        ids = tuple(id_ for id_ in self.ids if isinstance(id_, int))
        if not ids:
            return {}
        self.env["crm.lead"].flush_model(
            ["campaign_id", "stage_id", "active", "expected_revenue", "company_id"]
        )
        self.env["crm.stage"].flush_model(["is_won"])
        # One statement: a won opportunity is an active lead in a won stage.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT lead.campaign_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE lead.active AND stage.is_won),
                       COALESCE(SUM(lead.expected_revenue)
                                FILTER (WHERE lead.active AND stage.is_won), 0)
                  FROM crm_lead lead
             LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.campaign_id IN %(campaigns)s
                   AND (lead.company_id IS NULL OR lead.company_id IN %(companies)s)
              GROUP BY lead.campaign_id
                """,
                campaigns=ids,
                companies=tuple(self.env.companies.ids),
            )
        )
        return {
            campaign_id: (leads, won, float(revenue))
            for campaign_id, leads, won, revenue in rows
        }

    @api.depends_context("company", "allowed_company_ids")
    @api.depends(
        "member_ids.first_response_date", "actual_cost", "revenue_horizon_days"
    )
    def _compute_results(self):
        leads = self._lead_results()
        revenue = self.sudo()._revenue_of_responders()
        for campaign in self:
            lead_count, won_count, won_revenue = leads.get(campaign.id, (0, 0, 0.0))
            invoiced, paid = revenue.get(campaign.id, (0.0, 0.0))
            cost = campaign.sudo().actual_cost
            campaign.lead_count = lead_count
            campaign.won_count = won_count
            campaign.won_revenue = won_revenue
            campaign.invoiced_revenue = invoiced
            campaign.paid_revenue = paid
            campaign.cost_per_response = campaign_maths.cost_per_response(
                cost, campaign.response_count
            )
            campaign.roi = 100 * campaign_maths.roi(won_revenue, cost)

    def _members_action(self, xmlid):
        """A members action of this campaign; the campaign travels as active_id
        (the web client keeps it in the URL, so a browser reload keeps it)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"active_id": self.id, "default_campaign_id": self.id}
        return action

    def action_view_members(self):
        return self._members_action("crm_extended.action_campaign_member_of_campaign")

    def action_quick_entry(self):
        action = self._members_action("crm_extended.action_campaign_member_quick_entry")
        action["name"] = self.env._("Quick Entry: %(campaign)s", campaign=self.title)
        return action

    def action_view_response_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_campaign_response_report"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"pivot_row_groupby": ["status"]}
        return action
