from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

from ..services import contact_pressure

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
    held_back_partner_ids = fields.Many2many(
        "res.partner",
        "crm_extended_campaign_member_add_held_back_rel",
        string="Held Back",
        compute="_compute_held_back",
        help="People already reached as often as the contact caps allow: they are "
        "not added unless you tick the override.",
    )
    held_back_reasons = fields.Text(compute="_compute_held_back")
    override_contact_cap = fields.Boolean(
        string="Add Them Anyway",
        help="Add also the people the contact caps hold back.",
    )

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

    @api.depends("campaign_id", "mode", "partner_ids", "partner_domain")
    def _compute_held_back(self):
        for wizard in self:
            try:
                partners = wizard._partners()._origin
            except (UserError, ValueError):
                # An unfinished filter: nothing to say yet, the add step tells.
                partners = self.env["res.partner"]
            holds = wizard._contact_holds(partners)
            people = self.env["res.partner"].browse(list(holds))
            wizard.held_back_partner_ids = people
            wizard.held_back_reasons = "\n".join(
                f"{person.display_name}: {holds[person.id]}" for person in people
            )

    def _contact_holds(self, partners):
        """{partner id: reason} for the partners the contact caps hold back."""
        self.ensure_one()
        if not self.campaign_id._origin or not partners:
            return {}
        channels = contact_pressure.campaign_channels(self.campaign_id.campaign_type)
        # Already members are not touched again by the selection.
        already = (
            self.env["crm_extended.campaign.member"]
            .search(
                [
                    ("campaign_id", "=", self.campaign_id._origin.id),
                    ("partner_id", "in", partners.ids),
                ]
            )
            .partner_id
        )
        return (partners - already)._crm_contact_holds(channels)

    def action_add(self):
        self.ensure_one()
        partners = self._partners()
        if not partners:
            raise UserError(self.env._("No partner to add to the campaign."))
        held_back = self.env["res.partner"]
        if not self.override_contact_cap:
            held_back = held_back.browse(list(self._contact_holds(partners)))
            partners -= held_back
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
        action = self.campaign_id.action_view_members()
        if not held_back:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Held back by the contact caps"),
                "message": self.env._(
                    "Not added: %(people)s.",
                    people=", ".join(held_back.mapped("display_name")),
                ),
                "next": action,
            },
        }
