from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..registries import identifiers
from ..registries.messages import identifier_rule_text


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

    # -- Registry checks (issue 5) -------------------------------------------
    registry_status = fields.Selection(
        [
            ("ok", "OK"),
            ("warning", "Warning"),
            ("risk", "Risk"),
            ("unknown", "Unknown"),
        ],
        readonly=True,
        copy=False,
        help="Summary of the last registry check. Risk: unreliable VAT payer, in "
        "liquidation, dissolved or insolvent. Unknown: a registry could not answer "
        "and nothing says risk. Warning: a registry does not know the company or "
        "its VAT registration ended.",
    )
    registry_checked_at = fields.Datetime(
        string="Registry Checked On", readonly=True, copy=False
    )
    registry_summary = fields.Text(
        string="Registry Findings", readonly=True, copy=False
    )
    registry_legal_form = fields.Char(string="Legal Form", copy=False)
    registry_check_ids = fields.One2many(
        "crm_extended.registry.check",
        "partner_id",
        string="Registry Evidence",
        groups="crm_extended.group_card_accountant",
    )
    registry_check_count = fields.Integer(
        compute="_compute_registry_check_count",
        groups="crm_extended.group_card_accountant",
    )

    def _compute_registry_check_count(self):
        counts = dict(
            self.env["crm_extended.registry.check"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.registry_check_count = counts.get(partner, 0)

    @api.constrains("company_registry", "country_id", "parent_id")
    def _check_company_registry_identifier(self):
        if self.env.context.get("crm_registry_data"):
            return  # a registry's own identifier is never rejected
        for partner in self.filtered(lambda p: p.company_registry and not p.parent_id):
            try:
                identifiers.validate_company_registry(
                    partner.country_id.code, partner.company_registry
                )
            except identifiers.InvalidIdentifier as error:
                raise ValidationError(
                    self.env._(
                        "%(field)s %(value)s of %(partner)s is not valid: %(rule)s.",
                        field=self._fields["company_registry"].get_description(
                            self.env
                        )["string"],
                        value=partner.company_registry,
                        partner=partner.display_name,
                        rule=identifier_rule_text(self.env, error.kind),
                    )
                ) from error

    def action_registry_check(self):
        """Ask every applicable registry about these companies and keep the evidence.

        Never raises on a registry outage: that is recorded as outcome unknown.
        """
        partners = self.commercial_partner_id
        self.env["crm_extended.registry.runner"]._run(partners)
        return True

    def action_view_registry_checks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Registry Evidence"),
            "res_model": "crm_extended.registry.check",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False, "edit": False, "delete": False},
        }

    @api.model
    def _cron_registry_recheck(self, batch_size=50):
        """Re-check customers with open items or recent sales, batch by batch."""
        self.env["crm_extended.registry.runner"]._cron_recheck(batch_size)
