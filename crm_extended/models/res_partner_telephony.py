from odoo import api, fields, models

from ..telephony.phone import normalize as normalize_phone


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Telephony: normalised numbers for caller lookup, call statistics
    # ------------------------------------------------------------------

    crm_phone_normalized = fields.Char(
        string="Phone (E.164)",
        compute="_compute_crm_phone_normalized",
        store=True,
        index="btree_not_null",
        help="The phone number in E.164 form, to find the caller of a call.",
    )
    crm_mobile_normalized = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_crm_phone_normalized",
        store=True,
        index="btree_not_null",
        help="The mobile number in E.164 form, to find the caller of a call.",
    )
    crm_call_count = fields.Integer(
        string="Calls",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    crm_call_missed_count = fields.Integer(
        string="Missed Calls",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )
    crm_call_last_date = fields.Datetime(
        string="Last Call",
        compute="_compute_card_counts",
        groups="crm_extended.group_card_user",
    )

    @api.depends(
        "phone",
        "mobile",
        "country_id",
        "parent_id.country_id",
        "company_id.country_id",
    )
    def _compute_crm_phone_normalized(self):
        fallback = self.env.company.country_id
        for partner in self:
            country = (
                partner.country_id
                or partner.parent_id.country_id
                or partner.company_id.country_id
                or fallback
            )
            partner.crm_phone_normalized = (
                normalize_phone(partner.phone, country.code) or False
            )
            partner.crm_mobile_normalized = (
                normalize_phone(partner.mobile, country.code) or False
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # Numbers may come from defaults (the "create contact" of an unknown caller).
        with_numbers = partners.filtered(
            lambda p: p.crm_phone_normalized or p.crm_mobile_normalized
        )
        if with_numbers:
            self.env["crm_extended.call"].sudo()._crm_link_orphan_calls(with_numbers)
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("phone") or vals.get("mobile"):
            self.env["crm_extended.call"].sudo()._crm_link_orphan_calls(self)
        return result

    @api.model
    def _crm_find_caller(self, number_normalized, company=None):
        """The partner who has this E.164 number, in one indexed query.

        A contact person is preferred to the company, which the card then shows.
        """
        if not number_normalized:
            return self.browse()
        domain = self._crm_caller_domain(number_normalized, company)
        return self.search(domain, order="is_company, id", limit=1)

    @api.model
    def _crm_caller_domain(self, number_normalized, company=None):
        domain = [
            "|",
            ("crm_phone_normalized", "=", number_normalized),
            ("crm_mobile_normalized", "=", number_normalized),
        ]
        if company:
            domain += [("company_id", "in", [company.id, False])]
        return domain

    def action_crm_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_extended.action_crm_extended_call"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action
