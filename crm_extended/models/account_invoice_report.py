from odoo import api, fields, models
from odoo.tools import SQL

# Over core's FROM (``line``, ``move``, ``account_currency_table``): the untaxed
# amount in company currency, core's ``price_subtotal``, and the product cost
# frozen at posting, signed alike. The card's figures read them without the
# report's other joins (crm_extended.card.figures.card_sales_by_partner).
TURNOVER_SQL = SQL("-line.balance * account_currency_table.rate")
COST_SQL = SQL("COALESCE(line.crm_cost_amount, 0) * account_currency_table.rate")


class AccountInvoiceReport(models.Model):
    """Core's invoice analysis with the product cost frozen at posting, so that
    turnover (``price_subtotal``) and gross profit come from one report:
    ``crm_extended.sale.report`` and the card read them from here. The
    invoice's commercial partner is exposed (``crm_move_partner_id``) for the
    card to read a customer's invoices by index."""

    _inherit = "account.invoice.report"

    crm_cost = fields.Float(
        string="Product Cost at Posting",
        readonly=True,
        groups="crm_extended.group_card_accountant",
        help="Cost of the products when the invoice was posted (standard price "
        "times quantity), signed like the untaxed amount.",
    )

    @api.model
    def _select(self) -> SQL:
        return SQL(
            "%s, %s AS crm_cost, move.commercial_partner_id AS crm_move_partner_id",
            super()._select(),
            COST_SQL,
        )
