from odoo import api, fields, models


class CrmExtendedCompetitor(models.Model):
    """A company we compete with for orders; managers keep the list."""

    _name = "crm_extended.competitor"
    _description = "Competitor"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    website = fields.Char()
    country_id = fields.Many2one("res.country")
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the competitor between all companies.",
    )
    note = fields.Text(string="Strengths and Weaknesses")
    lead_count = fields.Integer(
        string="Opportunities in Play",
        compute="_compute_lead_counts",
        groups="sales_team.group_sale_salesman",
    )
    lost_count = fields.Integer(
        string="Opportunities Lost to It",
        compute="_compute_lead_counts",
        groups="sales_team.group_sale_salesman",
    )

    _sql_constraints = (
        (
            "name_company_unique",
            "UNIQUE(name, company_id)",
            "This competitor already exists.",
        ),
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_lead_counts(self):
        """Counts of the opportunities the reading user may see."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        in_play = dict(
            Lead._read_group(
                [("competitor_ids", "in", self.ids)], ["competitor_ids"], ["__count"]
            )
        )
        lost = dict(
            Lead._read_group(
                [("lost_to_competitor_id", "in", self.ids)],
                ["lost_to_competitor_id"],
                ["__count"],
            )
        )
        for competitor in self:
            competitor.lead_count = in_play.get(competitor, 0)
            competitor.lost_count = lost.get(competitor, 0)

    def _lead_action(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action.update(
            name=name,
            domain=domain,
            context={"active_test": False, "create": False},
            view_mode="list,form",
            views=[(False, "list"), (False, "form")],
        )
        return action

    def action_open_leads(self):
        self.ensure_one()
        return self._lead_action(
            [("competitor_ids", "in", self.ids)],
            self.env._("Opportunities against %(name)s", name=self.name),
        )

    def action_open_lost_leads(self):
        self.ensure_one()
        return self._lead_action(
            [("lost_to_competitor_id", "=", self.id)],
            self.env._("Lost to %(name)s", name=self.name),
        )
