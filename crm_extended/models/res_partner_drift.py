from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .crm_extended_partner_drift import DRIFT_STATES

# The buying rhythm is the system's verdict (crm_extended.drift.engine).
DRIFT_SYSTEM_FIELDS = frozenset({"drift_state", "drift_reason", "drift_lost_turnover"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Buying rhythm and drift (issue 18), per company: read from
    # crm_extended.partner.drift for the current company.
    # ------------------------------------------------------------------
    drift_state = fields.Selection(
        DRIFT_STATES,
        string="Buying State",
        compute="_compute_drift",
        search="_search_drift_state",
        groups="crm_extended.group_card_user",
        help="New, active, lapsing (overdue against its usual rhythm), declining "
        "(turnover falling) or lost, in the current company.",
    )
    drift_reason = fields.Char(
        string="Buying State Reason",
        compute="_compute_drift",
        groups="crm_extended.group_card_user",
    )
    drift_lost_turnover = fields.Monetary(
        string="Turnover at Stake",
        compute="_compute_drift",
        currency_field="card_currency_id",
        groups="crm_extended.group_card_user",
    )

    @api.depends_context("company", "lang")
    def _compute_drift(self):
        # As the system: the card shows these to the roles its groups allow,
        # like the payment grade stored on the partner itself.
        # One row per customer and company: no order to sort by (the model's
        # joins the partners' names), and the columns read with the rows.
        rows = (
            self.env["crm_extended.partner.drift"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                [
                    "partner_id",
                    "state",
                    "lost_turnover",
                    "reason_data",
                    "last_purchase_date",
                    "first_purchase_date",
                ],
                order="id",
            )
        )
        by_partner = {row.partner_id.id: row for row in rows}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id)
            partner.drift_state = row.state if row else False
            partner.drift_reason = row.reason if row else False
            partner.drift_lost_turnover = row.lost_turnover if row else 0.0

    def _search_drift_state(self, operator, value):
        # A search tells as much as a read: only the roles that read the state.
        self.check_field_access_rights("read", ["drift_state"])
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._(
                    "Operator %(operator)s is not supported on the buying state.",
                    operator=operator,
                )
            )
        values = value if isinstance(value, list | tuple) else [value]
        wanted = [state for state in values if state]
        positive = operator in ("=", "in")
        company_id = self.env.company.id
        # The states of the current company, as the card shows them (sudo).
        with_state = SQL(
            "(SELECT partner_id FROM crm_extended_partner_drift WHERE company_id = %s)",
            company_id,
        )
        in_states = SQL(
            "(SELECT partner_id FROM crm_extended_partner_drift"
            " WHERE company_id = %s AND state IN %s)",
            company_id,
            tuple(wanted) or (None,),
        )
        commercial = "commercial_partner_id"
        if len(wanted) < len(values):
            # "= False": customers without a state in this company.
            domain = [(commercial, "not in", with_state)]
            if wanted:
                domain = ["|", *domain, (commercial, "in", in_states)]
        else:
            domain = [(commercial, "in", in_states)]
        return domain if positive else ["!", *domain]

    @api.model
    def _crm_check_system_fields(self, vals):
        forbidden = DRIFT_SYSTEM_FIELDS & vals.keys()
        if forbidden and not self.env.su:
            raise AccessError(
                self.env._(
                    "The buying state is computed by the system from the invoices; "
                    "it cannot be changed by hand."
                )
            )
        return super()._crm_check_system_fields(vals)
