from odoo import api, fields, models
from odoo.tools import SQL

from .crm_extended_payment_behaviour import PAYMENT_JOURNAL_TYPES

# How many of each contact's newest receivable lines the last payment is looked
# for in, before reading all of them (see LAST_PAYMENT_SQL).
LAST_PAYMENT_DEPTH = 60

# The last payment of each customer: the newest bank or cash entry whose lines on
# the receivable of the customer and its contacts credit it on balance.
#
# It is looked for among the entries of each contact's newest receivable lines
# (``recent``: read backwards on the ledger index by contact and date, a few
# rows whatever the customer's history, with their amounts from the index),
# each payment entry summed over its lines read (``candidate``). The newest of
# them is the answer unless an entry not read could be as new: that is so only
# when a contact had more lines than were read and its oldest line read is not
# older than the answer (``boundary``); an answer newer than every contact's
# oldest line read has all its lines read, so its sum is whole. Those customers
# (a run of invoices or refunds since their last payment) are answered by the
# aggregate over every payment line (``rest``), which reads nothing for the
# others.
#
# The card runs it on every opening, where planning it cost more than running
# it for a small customer: the payment journals and the contacts are given as
# arrays (ANY(ARRAY(...))) rather than joined, and the amounts come with the
# lines read, not from a second reading of each entry's lines.
LAST_PAYMENT_SQL = """
WITH contact AS (
    SELECT id, commercial_partner_id AS partner_id
      FROM res_partner
     WHERE commercial_partner_id IN %(partners)s
),
recent AS MATERIALIZED (
    SELECT contact.partner_id, newest.move_id, newest.date, newest.amount,
           newest.rank
      FROM contact
     CROSS JOIN LATERAL (
            SELECT line.move_id, line.date, line.credit - line.debit AS amount,
                   ROW_NUMBER() OVER (ORDER BY line.date DESC) AS rank
              FROM account_move_line line
             WHERE line.partner_id = contact.id
               AND line.parent_state = 'posted'
               AND line.company_id = %(company)s
               AND line.account_id = ANY(ARRAY(
                       SELECT id FROM account_account
                        WHERE account_type = 'asset_receivable'))
          ORDER BY line.date DESC
             LIMIT %(depth)s
           ) newest
),
boundary AS (
    SELECT partner_id, MAX(date) AS date
      FROM recent
     WHERE rank = %(depth)s
  GROUP BY partner_id
),
candidate AS (
    SELECT DISTINCT ON (recent.partner_id)
           recent.partner_id, recent.date, SUM(recent.amount) AS amount
      FROM recent
      JOIN account_move move ON move.id = recent.move_id
     WHERE move.journal_id = ANY(ARRAY(
               SELECT id FROM account_journal WHERE type IN %(journals)s))
  GROUP BY recent.partner_id, recent.move_id, recent.date
    HAVING SUM(recent.amount) > 0
  ORDER BY recent.partner_id, recent.date DESC, recent.move_id DESC
),
answered AS (
    SELECT candidate.partner_id, candidate.date, candidate.amount
      FROM candidate
      LEFT JOIN boundary ON boundary.partner_id = candidate.partner_id
     WHERE boundary.partner_id IS NULL OR candidate.date > boundary.date
),
unanswered AS MATERIALIZED (
    SELECT boundary.partner_id
      FROM boundary
     WHERE NOT EXISTS (
            SELECT 1 FROM answered WHERE answered.partner_id = boundary.partner_id)
),
rest AS (
    SELECT unanswered.partner_id, last.date, last.amount
      FROM unanswered
     CROSS JOIN LATERAL (
            SELECT line.date, SUM(line.credit - line.debit) AS amount
              FROM account_move_line line
             WHERE line.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner
                        WHERE commercial_partner_id = unanswered.partner_id))
               AND line.company_id = %(company)s
               AND line.parent_state = 'posted'
               AND line.account_id = ANY(ARRAY(
                       SELECT id FROM account_account
                        WHERE account_type = 'asset_receivable'))
               AND line.journal_id = ANY(ARRAY(
                       SELECT id FROM account_journal
                        WHERE type IN %(journals)s))
          GROUP BY line.move_id, line.date
            HAVING SUM(line.credit - line.debit) > 0
          ORDER BY line.date DESC, line.move_id DESC
             LIMIT 1
           ) last
)
SELECT partner_id, date, amount FROM answered
 UNION ALL
SELECT partner_id, date, amount FROM rest
"""


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

    @api.depends_context("uid", "company")
    def _compute_card_dso(self):
        commercial = self.commercial_partner_id
        if self.env["account.move"].has_access("read"):
            # Core's figure as core computes it for this reader, under its
            # record rules: the account form shows the same field.
            dso = {partner.id: partner.days_sales_outstanding for partner in commercial}
        else:
            # Salespeople may see the ratio without being allowed to read the
            # invoices behind it: computed as the system. The cache keeps one
            # value per partner whoever computed it: another reader's is not
            # the system's, nor is the system's anyone's afterwards.
            commercial = commercial.sudo()
            commercial.invalidate_recordset(["days_sales_outstanding"])
            dso = {partner.id: partner.days_sales_outstanding for partner in commercial}
            commercial.invalidate_recordset(["days_sales_outstanding"])
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
                    LAST_PAYMENT_SQL,
                    partners=tuple(commercial_ids),
                    company=self.env.company.id,
                    journals=PAYMENT_JOURNAL_TYPES,
                    depth=LAST_PAYMENT_DEPTH,
                )
            )
            last = {partner_id: (day, amount) for partner_id, day, amount in rows}
        for partner in self:
            day, amount = last.get(partner.commercial_partner_id.id, (False, 0.0))
            partner.card_last_payment_date = day
            partner.card_last_payment_amount = amount
