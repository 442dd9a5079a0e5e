from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    card_open_balance = fields.Monetary(
        string="Open Balance",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Receivable minus payable still open on posted entries of this company "
        "and its contacts, in the current company's currency.",
    )
    card_overdue_balance = fields.Monetary(
        string="Overdue Balance",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Open receivable whose due date has passed.",
    )
    card_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_card_currency_id",
    )

    @api.depends_context("company")
    def _compute_card_currency_id(self):
        self.card_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_card_balances(self):
        """Open and overdue amounts for many partners in one grouped query."""
        commercial = self.commercial_partner_id
        open_by_partner = dict.fromkeys(commercial.ids, 0.0)
        overdue_by_partner = dict.fromkeys(commercial.ids, 0.0)
        if commercial.ids:
            self.env["account.move.line"].flush_model(
                [
                    "partner_id",
                    "amount_residual",
                    "parent_state",
                    "reconciled",
                    "date_maturity",
                    "company_id",
                    "account_id",
                ]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT partner.commercial_partner_id,
                           SUM(line.amount_residual),
                           SUM(line.amount_residual) FILTER (
                             WHERE account.account_type = 'asset_receivable'
                               AND COALESCE(line.date_maturity, line.date)
                                   < %(today)s)
                      FROM account_move_line line
                      JOIN res_partner partner ON partner.id = line.partner_id
                      JOIN account_account account ON account.id = line.account_id
                     WHERE partner.commercial_partner_id IN %(partners)s
                       AND line.parent_state = 'posted'
                       AND line.company_id = %(company)s
                       AND line.reconciled IS NOT TRUE
                       AND account.account_type
                           IN ('asset_receivable', 'liability_payable')
                  GROUP BY partner.commercial_partner_id
                    """,
                    today=fields.Date.context_today(self),
                    partners=tuple(commercial.ids),
                    company=self.env.company.id,
                )
            )
            for partner_id, open_amount, overdue_amount in self.env.cr.fetchall():
                open_by_partner[partner_id] = open_amount or 0.0
                overdue_by_partner[partner_id] = overdue_amount or 0.0
        for partner in self:
            commercial_id = partner.commercial_partner_id.id
            partner.card_open_balance = open_by_partner.get(commercial_id, 0.0)
            partner.card_overdue_balance = overdue_by_partner.get(commercial_id, 0.0)

    # Campaign responses -------------------------------------------------------
    card_campaign_member_ids = fields.Many2many(
        "crm_extended.campaign.member",
        string="Campaigns",
        compute="_compute_card_campaign_member_ids",
        help="Every campaign this company or its contacts were members of.",
    )
    card_campaign_count = fields.Integer(compute="_compute_card_campaign_member_ids")

    def _compute_card_campaign_member_ids(self):
        members = self.env["crm_extended.campaign.member"].search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )
        for partner in self:
            own = members.filtered(
                lambda m, partner=partner: (
                    m.commercial_partner_id == partner.commercial_partner_id
                )
            )
            partner.card_campaign_member_ids = own
            partner.card_campaign_count = len(own.campaign_id)

    def action_view_card_campaign_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_campaign_member"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"create": False}
        return action
