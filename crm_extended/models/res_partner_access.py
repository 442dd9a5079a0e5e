from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .card_group_memo import remember_readable
from .crm_extended_payment_behaviour import STORED_FIELDS as PAYMENT_FIELDS

# Verdicts and figures the system computes (payment behaviour engine, registry
# runner, as superuser). Nobody writes them by hand: blocking relies on them.
SYSTEM_FIELDS = frozenset(
    {
        "payment_avg_days_late",
        "payment_on_time_ratio",
        "payment_overdue_amount",
        "payment_overdue_max_days",
        "payment_grade",
        "payment_grade_data",
        "payment_grade_reason",
        "registry_status",
        "registry_summary",
        "registry_reason_data",
        "registry_verified_at",
    }
)

# The card's Communications tab: its latest rows, fetched with every column
# (the access check reads the company and the document of each row).
CARD_TIMELINE_ROWS = 20
CARD_TIMELINE_FIELDS = (
    "date",
    "kind",
    "summary",
    "detail",
    "partner_id",
    "contact_id",
    "author_id",
    "company_id",
    "res_model",
    "res_id",
    "done",
)

# What decides whose customer a partner is: the rules of "own customers only" key
# on the commercial partner's salesperson.
OWNERSHIP_FIELDS = frozenset({"user_id", "parent_id", "is_company"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_check_system_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_check_system_fields(vals)
        if OWNERSHIP_FIELDS & vals.keys():
            self._crm_check_customer_takeover()
        return super().write(vals)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        result = super().fields_get(allfields, attributes)
        if self.env.context.get("crm_partner_merge"):
            # Odoo's partner merge copies every field listed here onto the kept
            # partner: not what the system computes (see the merge wizard).
            for name in SYSTEM_FIELDS | set(PAYMENT_FIELDS):
                result.pop(name, None)
        return result

    @api.model
    def _crm_check_system_fields(self, vals):
        forbidden = SYSTEM_FIELDS & vals.keys()
        if forbidden and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(fields)s are computed by the system from the books and the "
                    "registries; they cannot be changed by hand.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(forbidden)
                    ),
                )
            )

    def _crm_restricted_to_own_customers(self):
        user = self.env.user
        return (
            not self.env.su
            and user.has_group("crm_extended.group_card_own_customers_only")
            and not user.has_group("crm_extended.group_card_accountant")
        )

    def _crm_check_customer_takeover(self):
        """A salesperson limited to their own customers cannot make someone else's
        customer theirs (or nobody's, which everyone sees): not by changing its
        salesperson, nor by moving it under another company or out of one."""
        if not self._crm_restricted_to_own_customers():
            return
        user = self.env.user
        foreign = self.sudo().filtered(
            lambda partner: (
                partner.commercial_partner_id.user_id
                and partner.commercial_partner_id.user_id != user
            )
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "%(partner)s is a customer of %(salesperson)s: only they, an "
                    "accountant or a manager can change its salesperson or company.",
                    partner=foreign[0].display_name,
                    salesperson=foreign[0].commercial_partner_id.user_id.name,
                )
            )

    # -- Restricted one2many fields --------------------------------------------------
    # Searching ``card_contract_ids != False`` would tell which customers have
    # contracts; Odoo answers such a domain without the comodel's access rules, so
    # these fields search through the comodel's own _search (rights and rules).
    def _crm_compute_one2many(self, fname):
        field = self._fields[fname]
        comodel = self.env[field.comodel_name]
        by_partner = defaultdict(list)
        for record in comodel.search([(field.inverse_name, "in", self.ids)]):
            by_partner[record[field.inverse_name].id].append(record.id)
        for partner in self:
            partner[fname] = comodel.browse(by_partner[partner.id])

    def _crm_search_one2many(self, fname, operator, value):
        self.check_field_access_rights("read", [fname])
        field = self._fields[fname]
        comodel = self.env[field.comodel_name]
        inverse = field.inverse_name
        if operator in ("=", "!=") and not value:
            lines = comodel._search([(inverse, "!=", False)])
            negate = operator == "="
        elif operator in ("in", "not in", "=", "!="):
            if isinstance(value, int):
                value = [value]
            lines = comodel._search([("id", "in", value), (inverse, "!=", False)])
            negate = operator in ("not in", "!=")
        else:
            raise UserError(
                self.env._(
                    "Operator %(operator)s is not supported on %(field)s.",
                    operator=operator,
                    field=fname,
                )
            )
        partners = lines.subselect(SQL.identifier(lines.table, inverse))
        return [("id", "not in" if negate else "in", partners)]

    def _compute_card_timeline_ids(self):
        # The card's tab shows the latest page, read with its rows in one search
        # (as the timeline screen does): all ids of a large customer, then its
        # rows by id, would scan the whole view. The Communications button
        # opens the complete timeline.
        Timeline = self.env["crm_extended.timeline"]
        for partner in self:
            partner_id = partner._origin.id
            rows = (
                Timeline.search_fetch(
                    [("partner_id", "=", partner_id)],
                    CARD_TIMELINE_FIELDS,
                    limit=CARD_TIMELINE_ROWS,
                )
                if partner_id
                else Timeline
            )
            # Found by the reader's search (their access rules): the form's read
            # of these rows needs no second check of them.
            remember_readable(rows)
            partner.card_timeline_ids = rows

    def _search_card_timeline_ids(self, operator, value):
        return self._crm_search_one2many("card_timeline_ids", operator, value)

    def _compute_card_contract_ids(self):
        self._crm_compute_one2many("card_contract_ids")

    def _search_card_contract_ids(self, operator, value):
        return self._crm_search_one2many("card_contract_ids", operator, value)

    def _compute_card_complaint_ids(self):
        self._crm_compute_one2many("card_complaint_ids")

    def _search_card_complaint_ids(self, operator, value):
        return self._crm_search_one2many("card_complaint_ids", operator, value)

    def _compute_registry_check_ids(self):
        self._crm_compute_one2many("registry_check_ids")

    def _search_registry_check_ids(self, operator, value):
        return self._crm_search_one2many("registry_check_ids", operator, value)
