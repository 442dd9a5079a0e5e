from odoo import api, fields, models


class CrmExtendedComplaint(models.Model):
    """A customer complaint (reklamácia), by hand or from a mail to the alias."""

    _name = "crm_extended.complaint"
    _description = "Customer Complaint"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date_received desc, id desc"
    _primary_email = "email_from"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    email_from = fields.Char(string="Email")
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    stage_id = fields.Many2one(
        "crm_extended.complaint.stage",
        tracking=True,
        index=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("phone", "Phone"),
            ("visit", "Visit"),
            ("letter", "Letter"),
            ("portal", "Web Form"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    invoice_id = fields.Many2one(
        "account.move",
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')),"
        " ('commercial_partner_id', '=', commercial_partner_id)]",
    )
    product_id = fields.Many2one("product.product")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    description = fields.Html()
    resolution = fields.Html()
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    resolution_days = fields.Float(
        string="Days to Resolve",
        compute="_compute_resolution_days",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )

    # Less typing: from the card the complaint is the salesperson's and about
    # the customer's latest posted invoice.
    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if not self.env.context.get("default_partner_id"):
            return defaults
        partner_id = defaults.get("partner_id") or self.env.context.get(
            "default_partner_id"
        )
        partner = self.env["res.partner"].browse(partner_id).exists()
        partner = partner.commercial_partner_id
        if not partner:
            return defaults
        if "user_id" in fields_list and partner.user_id:
            defaults["user_id"] = partner.user_id.id
        if "invoice_id" in fields_list and not defaults.get("invoice_id"):
            invoice = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                order="invoice_date desc, id desc",
                limit=1,
            )
            if invoice:
                defaults["invoice_id"] = invoice.id
        return defaults

    @api.model
    def _default_stage(self):
        return self.env["crm_extended.complaint.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.depends("date_resolved", "date_received")
    def _compute_resolution_days(self):
        for complaint in self:
            if complaint.date_resolved and complaint.date_received:
                delta = complaint.date_resolved - complaint.date_received
                complaint.resolution_days = max(delta.total_seconds(), 0) / 86400
            else:
                complaint.resolution_days = 0.0

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._sync_resolved_date()
        return complaints

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            self._sync_resolved_date()
        return result

    def _sync_resolved_date(self):
        now = fields.Datetime.now()
        self.filtered(lambda c: c.is_closed and not c.date_resolved).date_resolved = now
        self.filtered(
            lambda c: not c.is_closed and c.date_resolved
        ).date_resolved = False

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias opens a complaint for its sender."""
        values = {
            "name": msg_dict.get("subject") or self.env._("Complaint without subject"),
            "email_from": msg_dict.get("email_from") or msg_dict.get("from"),
            "partner_id": msg_dict.get("author_id") or False,
            "channel": "email",
            "description": msg_dict.get("body"),
            "user_id": False,
        }
        values.update(custom_values or {})
        return super().message_new(msg_dict, custom_values=values)
