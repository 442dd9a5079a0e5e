from odoo import api, fields, models, tools

RESPONSE_CHANNELS = [
    ("email", "E-mail"),
    ("stand", "Exhibition stand"),
    ("phone", "Phone"),
    ("social", "Social media"),
    ("web", "Website"),
    ("other", "Other"),
]


class CampaignMember(models.Model):
    _name = "crm_extended.campaign.member"
    _description = "Campaign Member"
    _order = "campaign_id desc, first_response_date desc, id desc"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        "utm.campaign", required=True, index=True, ondelete="cascade"
    )
    campaign_type = fields.Selection(related="campaign_id.campaign_type")
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, index=True, ondelete="cascade"
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Company",
        store=True,
        index=True,
    )
    # The contact's company: a member of another company's customer belongs to
    # that company (record rules), a shared contact's member to everyone.
    company_id = fields.Many2one(
        related="partner_id.company_id",
        string="Our Company",
        store=True,
        index="btree_not_null",
    )
    status = fields.Many2one(
        "crm_extended.campaign.response.status",
        index=True,
        ondelete="restrict",
        group_expand="_group_expand_status",
    )
    responded = fields.Boolean(
        compute="_compute_responded",
        store=True,
        help="Reached a status that counts as a response at least once.",
    )
    response_channel = fields.Selection(RESPONSE_CHANNELS)
    first_response_date = fields.Datetime(copy=False)
    lead_ids = fields.One2many("crm.lead", "campaign_member_id", string="Opportunities")
    lead_count = fields.Integer(compute="_compute_lead_count")
    note = fields.Text()
    create_opportunity = fields.Boolean(
        compute="_compute_create_opportunity",
        readonly=False,
        help="Tick to create an opportunity for this response when saving.",
    )

    _sql_constraints = (
        (
            "campaign_partner_unique",
            "UNIQUE(campaign_id, partner_id)",
            "This contact is already a member of the campaign.",
        ),
    )

    @api.depends("first_response_date")
    def _compute_responded(self):
        for member in self:
            member.responded = bool(member.first_response_date)

    @api.depends("lead_ids")
    def _compute_lead_count(self):
        for member in self:
            # Counted without CRM rights, so that accountants can open members.
            member.lead_count = len(member.sudo().lead_ids)

    def _compute_create_opportunity(self):
        self.create_opportunity = False

    @api.model
    def _group_expand_status(self, statuses, domain):
        return statuses.search([])

    @api.model_create_multi
    def create(self, vals_list):
        wants_lead = [bool(vals.pop("create_opportunity", False)) for vals in vals_list]
        members = super().create(vals_list)
        members._complete_response()
        for member, wanted in zip(members, wants_lead, strict=True):
            if wanted:
                member.action_create_opportunity()
        return members

    def write(self, vals):
        wants_lead = vals.pop("create_opportunity", False)
        result = super().write(vals)
        if "status" in vals:
            self._complete_response()
        if wants_lead:
            self.action_create_opportunity()
        return result

    def _complete_response(self, when=None):
        """Date the first response and fill the channel from the status."""
        when = when or fields.Datetime.now()
        for member in self.filtered("status"):
            vals = {}
            if member.status.counts_as_response and not member.first_response_date:
                vals["first_response_date"] = when
            if not member.response_channel and member.status.default_channel:
                vals["response_channel"] = member.status.default_channel
            if vals:
                member.write(vals)

    def _apply_status(self, status, when, channel=False):
        """Move members to ``status`` unless they are already further on.

        Used by the automation (mailing events): a click never undoes a reply.
        """
        for member in self:
            current = member.status
            if current and (current.sequence, current.id) >= (
                status.sequence,
                status.id,
            ):
                continue
            vals = {"status": status.id}
            if status.counts_as_response:
                if not member.first_response_date:
                    vals["first_response_date"] = when
                if channel and not member.response_channel:
                    vals["response_channel"] = channel
            member.write(vals)

    @api.model
    def _record_unsubscribe(self, mailing, email):
        """Move the mailing's recipient to the "unsubscribe" status of its campaign."""
        status = self.env["crm_extended.campaign.response.status"].search(
            [("trace_event", "=", "unsubscribe")], limit=1
        )
        normalized = tools.email_normalize(email or "")
        if not (mailing.campaign_id and status and normalized):
            return self
        partners = self.env["res.partner"].search(
            [("email_normalized", "=", normalized)]
        )
        members = self.search(
            [
                ("campaign_id", "=", mailing.campaign_id.id),
                ("partner_id", "in", partners.ids),
            ]
        )
        members._apply_status(status, fields.Datetime.now(), channel="email")
        return members

    def _opportunity_values(self):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(campaign)s: %(partner)s",
                campaign=self.campaign_id.title,
                partner=self.partner_id.display_name,
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "campaign_id": self.campaign_id.id,
            "campaign_member_id": self.id,
            "user_id": self.env.user.id,
            "description": self.note or False,
        }

    def action_create_opportunity(self):
        """Create one opportunity per member, linked to the member and campaign."""
        leads = self.env["crm.lead"]
        for member in self:
            leads |= leads.create(member._opportunity_values())
        if len(leads) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.lead",
                "res_id": leads.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return True

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action["domain"] = [("id", "in", self.lead_ids.ids)]
        action["context"] = {"create": False}
        return action
