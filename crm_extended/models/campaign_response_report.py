from odoo import fields, models, tools
from odoo.tools import SQL

from .campaign_member import RESPONSE_CHANNELS
from .utm_campaign import CAMPAIGN_TYPES, MONEY_GROUPS


class CampaignResponseReport(models.Model):
    """One row per campaign member, for pivot and graph analysis.

    ``response_rate`` is each responder's share of its campaign's members (in
    %), so summing it over any grouping inside a campaign (channel, status)
    gives that grouping's response rate.
    """

    _name = "crm_extended.campaign.response.report"
    _description = "Campaign Response Analysis"
    _auto = False
    _rec_name = "campaign_id"
    _order = "campaign_id desc"

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    campaign_type = fields.Selection(CAMPAIGN_TYPES, readonly=True)
    date_start = fields.Date(string="Campaign Start", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Company", readonly=True
    )
    status = fields.Many2one("crm_extended.campaign.response.status", readonly=True)
    response_channel = fields.Selection(RESPONSE_CHANNELS, readonly=True)
    responded = fields.Boolean(readonly=True)
    first_response_date = fields.Datetime(readonly=True)
    member_count = fields.Integer(string="Members", readonly=True)
    response_count = fields.Integer(string="Responses", readonly=True)
    response_rate = fields.Float(
        string="Response Rate (%)", readonly=True, digits=(16, 1)
    )
    lead_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won Opportunities", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    won_revenue = fields.Monetary(readonly=True, groups=MONEY_GROUPS)

    def _query(self):
        return SQL(
            """
            SELECT member.id,
                   member.campaign_id,
                   campaign.campaign_type,
                   campaign.date_start,
                   campaign.currency_id,
                   member.partner_id,
                   member.commercial_partner_id,
                   member.status,
                   member.response_channel,
                   COALESCE(member.responded, FALSE) AS responded,
                   member.first_response_date,
                   1 AS member_count,
                   CASE WHEN member.responded THEN 1 ELSE 0 END AS response_count,
                   CASE WHEN member.responded
                        THEN 100.0 / COUNT(*) OVER (PARTITION BY member.campaign_id)
                        ELSE 0 END AS response_rate,
                   COALESCE(lead.lead_count, 0) AS lead_count,
                   COALESCE(lead.won_count, 0) AS won_count,
                   COALESCE(lead.won_revenue, 0) AS won_revenue
              FROM crm_extended_campaign_member member
              JOIN utm_campaign campaign ON campaign.id = member.campaign_id
         LEFT JOIN LATERAL (
                SELECT COUNT(*) AS lead_count,
                       COUNT(*) FILTER (WHERE stage.is_won) AS won_count,
                       SUM(crm.expected_revenue) FILTER (WHERE stage.is_won)
                           AS won_revenue
                  FROM crm_lead crm
             LEFT JOIN crm_stage stage ON stage.id = crm.stage_id
                 WHERE crm.campaign_member_id = member.id
                   AND crm.active
               ) lead ON TRUE
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
