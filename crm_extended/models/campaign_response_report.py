from odoo import fields, models, tools
from odoo.tools import SQL

from .campaign_member import RESPONSE_CHANNELS
from .utm_campaign import CAMPAIGN_TYPES, MONEY_GROUPS


class CampaignResponseReport(models.Model):
    """One row per campaign member, and one per opportunity of a member.

    Member rows carry the member counts: ``response_rate`` is each responder's
    share of its campaign's members (in %), so summing it over any grouping
    inside a campaign (channel, status) gives that grouping's rate. Opportunity
    rows carry the opportunity counts and won revenue, and belong to the
    opportunity's company: a reader counts only the opportunities of their
    companies (record rules on ``company_id``), and every member once.
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
    company_id = fields.Many2one("res.company", string="Our Company", readonly=True)
    member_id = fields.Many2one("crm_extended.campaign.member", readonly=True)
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
    # The revenue of an opportunity is in its company's currency (and utm.campaign
    # has no stored currency once Sales is installed).
    currency_id = fields.Many2one("res.currency", readonly=True)
    won_revenue = fields.Monetary(readonly=True, groups=MONEY_GROUPS)

    def _query(self):
        return SQL(
            """
            WITH member AS (
                SELECT member.id,
                       member.campaign_id,
                       campaign.campaign_type,
                       campaign.date_start,
                       member.partner_id,
                       member.commercial_partner_id,
                       member.company_id,
                       member.status,
                       member.response_channel,
                       COALESCE(member.responded, FALSE) AS responded,
                       member.first_response_date,
                       CASE WHEN member.responded
                            THEN 100.0 / COUNT(*) OVER (
                                PARTITION BY member.campaign_id)
                            ELSE 0 END AS response_rate
                  FROM crm_extended_campaign_member member
                  JOIN utm_campaign campaign ON campaign.id = member.campaign_id
            )
            SELECT member.id * 2 AS id,
                   member.campaign_id, member.campaign_type, member.date_start,
                   company.currency_id, member.partner_id,
                   member.commercial_partner_id, member.company_id,
                   member.id AS member_id, member.status, member.response_channel,
                   member.responded, member.first_response_date,
                   1 AS member_count,
                   CASE WHEN member.responded THEN 1 ELSE 0 END AS response_count,
                   member.response_rate,
                   0 AS lead_count,
                   0 AS won_count,
                   0 AS won_revenue
              FROM member
         LEFT JOIN res_company company ON company.id = member.company_id
            UNION ALL
            SELECT crm.id * 2 + 1,
                   member.campaign_id, member.campaign_type, member.date_start,
                   company.currency_id, member.partner_id,
                   member.commercial_partner_id, crm.company_id,
                   member.id, member.status, member.response_channel,
                   member.responded, member.first_response_date,
                   0, 0, 0,
                   1,
                   CASE WHEN stage.is_won THEN 1 ELSE 0 END,
                   CASE WHEN stage.is_won THEN COALESCE(crm.expected_revenue, 0)
                        ELSE 0 END
              FROM crm_lead crm
              JOIN member ON member.id = crm.campaign_member_id
         LEFT JOIN crm_stage stage ON stage.id = crm.stage_id
         LEFT JOIN res_company company ON company.id = crm.company_id
             WHERE crm.active
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
