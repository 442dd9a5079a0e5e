from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

#: The partners a campaign is usually about: customers (companies and their
#: contacts), never the partners of the company's own users.
CUSTOMER_DOMAIN = (
    "['|', ('customer_rank', '>', 0), ('commercial_partner_id.customer_rank', '>', 0), "
    "('user_ids', 'not any', [('share', '=', False)])]"
)


class CampaignMemberAdd(models.TransientModel):
    _name = "crm_extended.campaign.member.add"
    _description = "Add Partners to a Campaign"

    campaign_id = fields.Many2one("utm.campaign", required=True)
    mode = fields.Selection(
        [("selected", "Selected partners"), ("domain", "Partners matching a filter")],
        required=True,
        default="selected",
    )
    partner_ids = fields.Many2many("res.partner", string="Partners")
    partner_domain = fields.Char(
        string="Filter",
        default=CUSTOMER_DOMAIN,
        help="By default the customers and their contacts; the users of this "
        "database are never added.",
    )
    status = fields.Many2one("crm_extended.campaign.response.status")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner":
            if context.get("active_domain") is not None and not context.get(
                "active_ids"
            ):
                values["mode"] = "domain"
                values["partner_domain"] = repr(context["active_domain"])
            elif context.get("active_ids"):
                values["partner_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def _partners(self):
        self.ensure_one()
        if self.mode == "domain":
            try:
                domain = safe_eval(self.partner_domain or "[]")
            except Exception as error:
                raise UserError(
                    self.env._("The filter cannot be read: %(error)s", error=error)
                ) from error
            # Whatever the filter, the company's own users are not campaign targets.
            domain = [*domain, ("user_ids", "not any", [("share", "=", False)])]
            return self.env["res.partner"].search(domain)
        return self.partner_ids

    def action_add(self):
        self.ensure_one()
        partners = self._partners()
        if not partners:
            raise UserError(self.env._("No partner to add to the campaign."))
        members = self.env["crm_extended.campaign.member"]
        already = members.search(
            [
                ("campaign_id", "=", self.campaign_id.id),
                ("partner_id", "in", partners.ids),
            ]
        ).partner_id
        new_partners = partners - already
        members.create(
            [
                {
                    "campaign_id": self.campaign_id.id,
                    "partner_id": partner.id,
                    "status": self.status.id,
                }
                for partner in new_partners
            ]
        )
        return self.campaign_id.action_view_members()
