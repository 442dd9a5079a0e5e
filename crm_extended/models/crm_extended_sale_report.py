from odoo import fields, models, tools
from odoo.tools import SQL


class CrmExtendedSaleReport(models.Model):
    """Posted customer invoice lines, for the card's trend graph and item lists."""

    _name = "crm_extended.sale.report"
    _description = "Customer Card Sales Analysis"
    _auto = False
    _order = "invoice_date desc"
    _rec_name = "move_id"

    invoice_date = fields.Date(readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")],
        string="Type",
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one(
        "res.partner", string="Invoiced Contact", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    turnover = fields.Monetary(readonly=True)
    cost = fields.Monetary(readonly=True, groups="crm_extended.group_card_accountant")
    profit = fields.Monetary(
        string="Gross Profit",
        readonly=True,
        groups="crm_extended.group_card_accountant",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT line.id AS id,
                           move.invoice_date,
                           move.id AS move_id,
                           move.move_type,
                           move.commercial_partner_id AS partner_id,
                           move.partner_id AS contact_id,
                           move.company_id,
                           line.company_currency_id AS currency_id,
                           line.product_id,
                           template.categ_id AS product_categ_id,
                           CASE WHEN move.move_type = 'out_refund'
                                THEN -line.quantity ELSE line.quantity END AS quantity,
                           -line.balance AS turnover,
                           COALESCE(line.crm_cost_amount, 0) AS cost,
                           -line.balance - COALESCE(line.crm_cost_amount, 0) AS profit
                      FROM account_move_line line
                      JOIN account_move move ON move.id = line.move_id
                 LEFT JOIN product_product product ON product.id = line.product_id
                 LEFT JOIN product_template template
                        ON template.id = product.product_tmpl_id
                     WHERE move.state = 'posted'
                       AND move.move_type IN ('out_invoice', 'out_refund')
                       AND line.display_type = 'product'
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
