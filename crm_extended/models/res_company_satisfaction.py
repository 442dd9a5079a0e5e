from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_complaint_rating_request = fields.Boolean(
        string="Ask for a Rating after a Complaint",
        default=True,
        help="When a complaint is resolved the customer gets a mail asking how "
        "satisfied they are with its settlement.",
    )
    crm_invoice_rating_request = fields.Boolean(
        string="Ask for a Rating when an Invoice is Paid",
        help="When a customer invoice is paid the customer gets a mail asking how "
        "satisfied they are (once per invoice).",
    )
