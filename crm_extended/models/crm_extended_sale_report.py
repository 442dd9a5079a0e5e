from odoo import fields, models, tools
from odoo.tools import SQL, frozendict


class CrmExtendedSaleReport(models.Model):
    """Posted customer invoice and credit note lines: the one definition of
    turnover and gross profit (issue 14).

    Built on core's ``account.invoice.report``: turnover is its untaxed amount
    in company currency (``price_subtotal``: credit notes negative, taxes out),
    gross profit that minus the product cost frozen at posting. The card's
    figures per period, its monthly trend and top items, and the Sales Analysis
    pivot and graph all read this model.
    """

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
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="The salesperson of the invoice.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The main sales team of the invoice's salesperson.",
    )
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    payment_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")],
        readonly=True,
        help="The customer's payment grade today in the invoice's company.",
    )
    segment_value_ids = fields.Many2many(
        related="partner_id.crm_segment_value_ids", string="Segments"
    )

    _depends = frozendict(
        {
            "account.move": [
                "commercial_partner_id",
                "company_id",
                "invoice_date",
                "invoice_user_id",
                "move_type",
                "partner_id",
                "state",
            ],
            "account.move.line": [
                "balance",
                "crm_cost_amount",
                "display_type",
                "move_id",
                "partner_id",
                "product_id",
                "product_uom_id",
                "quantity",
            ],
            "product.product": ["product_tmpl_id"],
            "product.template": ["categ_id"],
            "res.partner": ["country_id", "payment_grade", "state_id"],
            "res.users": ["sale_team_id"],
        }
    )

    def init(self):
        # Earlier versions kept this report as a database view of its own.
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        invoices = self.env["account.invoice.report"]
        return SQL(
            """
            SELECT report.id,
                   report.invoice_date,
                   report.move_id,
                   report.move_type,
                   report.commercial_partner_id AS partner_id,
                   report.partner_id AS contact_id,
                   report.crm_move_partner_id AS move_partner_id,
                   report.company_id,
                   %(currency)s AS currency_id,
                   report.product_id,
                   report.product_categ_id,
                   report.quantity,
                   report.price_subtotal AS turnover,
                   report.crm_cost AS cost,
                   report.price_subtotal - report.crm_cost AS profit,
                   report.invoice_user_id AS user_id,
                   salesperson.sale_team_id AS team_id,
                   report.country_id,
                   commercial.state_id,
                   commercial.payment_grade ->> report.company_id::text
                       AS payment_grade
              FROM (%(invoices)s) report
              JOIN res_partner commercial
                ON commercial.id = report.commercial_partner_id
         LEFT JOIN res_users salesperson ON salesperson.id = report.invoice_user_id
             WHERE report.state = 'posted'
               AND report.move_type IN ('out_invoice', 'out_refund')
            """,
            invoices=invoices._table_query,
            currency=self.env.company.currency_id.id,
        )
