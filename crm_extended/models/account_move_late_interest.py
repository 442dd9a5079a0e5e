from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_is_penalty_invoice = fields.Boolean(
        string="Penalty Invoice",
        readonly=True,
        copy=False,
        help="Invoices late-payment interest and recovery fees; it bears no "
        "interest itself.",
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # What a line of a penalty invoice charges: the interest of one instalment
    # over one period, or the flat recovery fee of one invoice. Interest and
    # fees invoiced once (in an invoice that is not cancelled) are not again.
    crm_interest_instalment_id = fields.Many2one(
        "account.move.line",
        string="Interest on Instalment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    crm_interest_date_from = fields.Date(string="Interest From", readonly=True)
    crm_interest_date_to = fields.Date(string="Interest To", readonly=True)
    crm_interest_days = fields.Integer(string="Interest Days", readonly=True)
    crm_interest_rate = fields.Float(
        string="Interest Rate (%)", digits=(5, 2), readonly=True
    )
    crm_interest_base = fields.Monetary(
        string="Interest Base",
        currency_field="company_currency_id",
        readonly=True,
    )
    crm_recovery_fee_move_id = fields.Many2one(
        "account.move",
        string="Recovery Fee for Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
