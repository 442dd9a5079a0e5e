from odoo import fields, models

from ..services.ledger_query import ledger_index_sql


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    crm_cost_amount = fields.Monetary(
        string="Product Cost",
        currency_field="company_currency_id",
        copy=False,
        readonly=True,
        groups="crm_extended.group_card_accountant",
        help="Cost of the product on this line when the invoice was posted "
        "(standard price times quantity, in company currency), signed like revenue: "
        "positive on invoices, negative on credit notes.",
    )

    def write(self, vals):
        # A posted item's due date or partner changes its customers' payment
        # figures (and the day the nightly rebuild must redo them).
        touching = ("date_maturity" in vals or "partner_id" in vals) and self.filtered(
            lambda line: (
                line.parent_state == "posted"
                and line.account_type in ("asset_receivable", "liability_payable")
            )
        )
        partners_before = touching.partner_id if touching else None
        result = super().write(vals)
        if touching:
            self.env["crm_extended.payment.behaviour"].sudo()._touch(
                partners_before | touching.partner_id
            )
        return result

    def init(self):
        result = super().init()
        # Covering index for the balance ledger of a partner (posted lines only).
        self.env.cr.execute(ledger_index_sql())
        # A customer's open instalments (ageing, overdue figures, payment grade):
        # a few percent of the lines, instead of every line of the partner.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_crm_open_items_idx
                ON account_move_line (partner_id, date_maturity)
             WHERE display_type = 'payment_term' AND parent_state = 'posted'
               AND amount_residual <> 0
            """
        )
        # A batch of customers' instalments with what the nightly payment rebuild
        # reads of them: an index-only scan instead of fetching every journal
        # item of the batch's partners from the table (issue 19).
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_crm_instalments_idx
                ON account_move_line (partner_id)
           INCLUDE (id, move_id, company_id, date, date_maturity)
             WHERE display_type = 'payment_term' AND parent_state = 'posted'
            """
        )
        # A customer's invoice lines with what the sales report reads of them
        # (the card's figures, trend and top items): an index-only scan instead
        # of every journal item of the customer from the table.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_crm_sales_idx
                ON account_move_line (partner_id)
           INCLUDE (company_id, account_id, move_id, balance, crm_cost_amount,
                    product_id, quantity, product_uom_id)
             WHERE display_type = 'product'
            """
        )
        return result

    def _crm_cost_values(self):
        """Cost per line from the product's standard price at posting time.

        The standard price is kept per company in that company's currency, so
        reading it in the move's company gives a company-currency amount.
        """
        values = {}
        for line in self:
            product = line.product_id
            if line.display_type != "product" or not product:
                continue
            quantity = line.quantity
            if line.product_uom_id and line.product_uom_id != product.uom_id:
                quantity = line.product_uom_id._compute_quantity(
                    quantity, product.uom_id, round=False
                )
            unit_cost = product.with_company(line.company_id).standard_price
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            values[line] = line.company_currency_id.round(sign * unit_cost * quantity)
        return values
