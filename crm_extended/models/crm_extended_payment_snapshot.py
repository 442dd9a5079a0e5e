from odoo import fields, models


class CrmExtendedPaymentSnapshot(models.Model):
    _name = "crm_extended.payment.snapshot"
    _description = "Monthly payment behaviour of a customer"
    _order = "month desc, partner_id"
    _rec_name = "month"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True
    )
    month = fields.Date(required=True, help="First day of the month of the payments.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    paid_amount = fields.Monetary(
        string="Paid",
        currency_field="currency_id",
        groups="crm_extended.group_card_accountant",
        help="Amount of instalments paid in the month, in company currency.",
    )
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 2),
        aggregator="avg",
        help="Days late of the month's payments, weighted by amount.",
    )
    on_time_ratio = fields.Float(
        string="Paid On Time",
        digits=(16, 4),
        aggregator="avg",
        help="Share of the month's paid amount paid by the due date.",
    )

    _sql_constraints = [  # noqa: RUF012
        (
            "partner_company_month_unique",
            "unique(partner_id, company_id, month)",
            "One snapshot per customer, company and month.",
        )
    ]
