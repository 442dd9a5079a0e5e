from odoo import fields, models

from ..services import campaign_maths

ATTRIBUTION_MODELS = [
    (campaign_maths.FIRST_TOUCH, "First touch"),
    (campaign_maths.LAST_TOUCH, "Last touch"),
    (campaign_maths.LINEAR, "Linear"),
]


class CampaignAttribution(models.TransientModel):
    _name = "crm_extended.campaign.attribution"
    _description = "Campaign Revenue Attribution"

    attribution_model = fields.Selection(
        ATTRIBUTION_MODELS,
        required=True,
        default=campaign_maths.LINEAR,
        help="First touch: all won revenue goes to the first campaign the customer "
        "responded to before the win. Last touch: to the last one. Linear: split "
        "equally among all of them.",
    )
    date_from = fields.Date(help="Opportunities won on or after this date.")
    date_to = fields.Date(help="Opportunities won on or before this date.")
    line_ids = fields.One2many("crm_extended.campaign.attribution.line", "report_id")

    def _won_leads(self):
        # Read as the system (accountants need no CRM rights), but only the
        # opportunities of the reader's companies.
        domain = [
            ("stage_id.is_won", "=", True),
            ("partner_id", "!=", False),
            ("company_id", "in", [*self.env.companies.ids, False]),
        ]
        if self.date_from:
            domain.append(
                ("date_closed", ">=", fields.Datetime.to_datetime(self.date_from))
            )
        if self.date_to:
            domain.append(
                (
                    "date_closed",
                    "<",
                    fields.Datetime.to_datetime(fields.Date.add(self.date_to, days=1)),
                )
            )
        return self.env["crm.lead"].sudo().search(domain)

    def _compute_lines(self):
        """Attribute won revenue; returns values for the report lines."""
        self.ensure_one()
        leads = self._won_leads()
        partners = leads.partner_id.commercial_partner_id
        # The report is for accountants and managers only (access rules of this
        # model); they need not have access to the CRM pipeline itself.
        members = (
            self.env["crm_extended.campaign.member"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("first_response_date", "!=", False),
                    ("company_id", "in", [*self.env.companies.ids, False]),
                ]
            )
        )
        touches = {}
        for member in members:
            touches.setdefault(member.commercial_partner_id.id, []).append(
                campaign_maths.Touch(member.campaign_id.id, member.first_response_date)
            )
        lines = []
        for lead in leads:
            partner_id = lead.partner_id.commercial_partner_id.id
            shares = campaign_maths.attribute(
                lead.expected_revenue,
                touches.get(partner_id, ()),
                self.attribution_model,
                until=lead.date_closed or None,
            )
            for campaign_id, amount in shares.items():
                lines.append(
                    {
                        "report_id": self.id,
                        "campaign_id": campaign_id,
                        "partner_id": partner_id,
                        "lead_id": lead.id,
                        "attributed_revenue": amount,
                        "share": amount / lead.expected_revenue
                        if lead.expected_revenue
                        else 0.0,
                    }
                )
        return lines

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.env["crm_extended.campaign.attribution.line"].create(self._compute_lines())
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_campaign_attribution_line"
        )
        action["domain"] = [("report_id", "=", self.id)]
        action["display_name"] = self.env._(
            "Won Revenue by Campaign (%(model)s)",
            model=dict(
                self._fields["attribution_model"]._description_selection(self.env)
            )[self.attribution_model],
        )
        return action


class CampaignAttributionLine(models.TransientModel):
    _name = "crm_extended.campaign.attribution.line"
    _description = "Campaign Revenue Attribution Line"
    _order = "campaign_id, partner_id"

    report_id = fields.Many2one(
        "crm_extended.campaign.attribution", required=True, ondelete="cascade"
    )
    attribution_model = fields.Selection(related="report_id.attribution_model")
    campaign_id = fields.Many2one("utm.campaign", required=True, readonly=True)
    campaign_type = fields.Selection(related="campaign_id.campaign_type", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    attributed_revenue = fields.Monetary(readonly=True)
    share = fields.Float(readonly=True, aggregator=None)
