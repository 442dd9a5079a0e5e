from odoo import api, fields, models
from odoo.tools import SQL

from .crm_extended_payment_behaviour import PAYMENT_JOURNAL_TYPES


class ResPartner(models.Model):
    """The card's summary strip (issue 15): credit limit and its use, last
    payment; stored open amount for grouped lists."""

    _inherit = "res.partner"

    # Core's degree of trust follows the payment grade (crm_extended.payment.
    # behaviour._write_trust): tracked, so the chatter says when and why.
    trust = fields.Selection(tracking=True)

    payment_open_amount = fields.Float(
        string="Open Amount",
        company_dependent=True,
        readonly=True,
        copy=False,
        digits="Account",
        groups="crm_extended.group_card_accountant",
        help="Receivable minus payable still open, in company currency, stored "
        "with the payment grade (refreshed with every posting and reconciliation "
        "and nightly): the sums of grouped customer lists.",
    )
    card_receivable_balance = fields.Monetary(
        string="Open Receivable",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="What this customer and its contacts still owe, in company currency: "
        "the sum of the ageing buckets.",
    )
    card_credit_limit = fields.Monetary(
        string="Credit Limit on the Card",
        compute="_compute_card_balances",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
        help="Odoo's credit limit of the customer (its own or the company's "
        "default), when the company uses credit limits.",
    )
    card_credit_limit_use = fields.Float(
        string="Credit Limit Used (%)",
        compute="_compute_card_balances",
        digits=(16, 1),
        groups="crm_extended.group_card_accountant",
        help="Open receivable in percent of the credit limit.",
    )
    card_last_payment_date = fields.Date(
        string="Last Payment",
        compute="_compute_card_last_payment",
        groups="crm_extended.group_card_user",
        help="Date of the customer's last payment (a bank or cash entry on its "
        "receivable).",
    )
    card_last_payment_amount = fields.Monetary(
        string="Last Payment Amount",
        compute="_compute_card_last_payment",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_accountant",
    )

    card_dso = fields.Float(
        string="DSO (days)",
        compute="_compute_card_dso",
        digits=(16, 0),
        groups="crm_extended.group_card_user",
        help="Odoo's days sales outstanding of the customer: what it owes, in "
        "days of what it was invoiced since its first invoice.",
    )

    @api.depends_context("company")
    def _compute_card_dso(self):
        # Core's figure, read as the system: salespeople may see the ratio
        # without being allowed to read the invoices behind it.
        commercial = self.commercial_partner_id.sudo()
        dso = {partner.id: partner.days_sales_outstanding for partner in commercial}
        for partner in self:
            partner.card_dso = dso.get(partner.commercial_partner_id.id, 0.0)

    @api.depends_context("company")
    def _compute_card_last_payment(self):
        """The last payment of many customers in one statement."""
        commercial_ids = self.commercial_partner_id.ids
        last = {}
        if commercial_ids:
            self.env["account.move.line"].flush_model()
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT ON (partner_id) partner_id, date, amount
                      FROM (SELECT partner.commercial_partner_id AS partner_id,
                                   line.move_id, line.date,
                                   SUM(line.credit - line.debit) AS amount
                              FROM account_move_line line
                              JOIN res_partner partner
                                ON partner.id = line.partner_id
                              JOIN account_account account
                                ON account.id = line.account_id
                              JOIN account_journal journal
                                ON journal.id = line.journal_id
                             WHERE partner.commercial_partner_id IN %(partners)s
                               AND line.company_id = %(company)s
                               AND line.parent_state = 'posted'
                               AND account.account_type = 'asset_receivable'
                               AND journal.type IN %(journals)s
                          GROUP BY 1, 2, 3) payment
                     WHERE amount > 0
                  ORDER BY partner_id, date DESC, move_id DESC
                    """,
                    partners=tuple(commercial_ids),
                    company=self.env.company.id,
                    journals=PAYMENT_JOURNAL_TYPES,
                )
            )
            last = {partner_id: (day, amount) for partner_id, day, amount in rows}
        for partner in self:
            day, amount = last.get(partner.commercial_partner_id.id, (False, 0.0))
            partner.card_last_payment_date = day
            partner.card_last_payment_amount = amount
