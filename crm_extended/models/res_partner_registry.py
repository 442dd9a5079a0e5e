from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..registries import SOURCES, identifiers, names
from ..registries.messages import identifier_rule_text

REGISTRY_CONFIRMED = "crm_extended.registry_confirmed"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # -- Registry checks (issue 5) -------------------------------------------
    registry_status = fields.Selection(
        [
            ("ok", "OK"),
            ("warning", "Warning"),
            ("risk", "Risk"),
            ("unknown", "Unknown"),
        ],
        readonly=True,
        copy=False,
        groups="crm_extended.group_card_user",
        help="Summary of the last registry check. Risk: unreliable VAT payer, in "
        "liquidation, dissolved or insolvent, on a debtor list. Unknown: a registry "
        "could not answer and nothing says risk. Warning: a registry does not know "
        "the company or its VAT registration ended.",
    )
    registry_checked_at = fields.Datetime(
        string="Registry Last Attempt",
        readonly=True,
        copy=False,
        help="When the registries were last asked, whether or not they answered.",
    )
    registry_verified_at = fields.Datetime(
        string="Registry Verified On",
        readonly=True,
        copy=False,
        groups="crm_extended.group_card_user",
        help="When a registry last answered about this company.",
    )
    registry_reason_data = fields.Json(
        readonly=True,
        copy=False,
        groups="crm_extended.group_card_user",
        help="Technical: the reasons of the registry verdict, as data.",
    )
    registry_summary = fields.Text(
        string="Registry Findings",
        compute="_compute_registry_summary",
        groups="crm_extended.group_card_user",
        help="Why the registry verdict is what it is, in the reader's language.",
    )
    registry_legal_form = fields.Char(string="Legal Form", copy=False)
    registry_check_ids = fields.One2many(
        "crm_extended.registry.check",
        "partner_id",
        string="Registry Evidence",
        compute="_compute_registry_check_ids",
        search="_search_registry_check_ids",
        groups="crm_extended.group_card_accountant",
    )
    registry_check_count = fields.Integer(
        compute="_compute_card_counts",
        groups="crm_extended.group_card_accountant",
    )
    # Match keys for published lists (registries/names.py), kept with the
    # partner so that matching 50,000 companies is one join on indexes.
    registry_ico_key = fields.Char(
        compute="_compute_registry_keys", store=True, index=True, copy=False
    )
    registry_vat_key = fields.Char(
        compute="_compute_registry_keys", store=True, index=True, copy=False
    )
    registry_name_key = fields.Char(
        compute="_compute_registry_keys", store=True, index=True, copy=False
    )
    registry_zip_key = fields.Char(
        compute="_compute_registry_keys", store=True, copy=False
    )
    registry_manual = fields.Boolean(
        compute="_compute_registry_manual",
        help="Technical: a registry of this company's country is read by a person "
        "(North Macedonia).",
    )

    def _crm_registry_confirmed(self):
        """Identifiers a registry answered in this transaction.

        Registries hold active identifiers that fail the checksum; those are
        accepted when the registry's answer (kept on the server) is applied. The
        set lives on the cursor: no request can add to it, unlike a context key.
        """
        return self.env.cr.cache.setdefault(REGISTRY_CONFIRMED, set())

    @api.depends("company_registry", "vat", "name", "zip")
    def _compute_registry_keys(self):
        for partner in self:
            partner.registry_ico_key = names.ico_key(partner.company_registry) or False
            partner.registry_vat_key = names.normalise_vat(partner.vat) or False
            partner.registry_name_key = names.normalise_name(partner.name) or False
            partner.registry_zip_key = names.normalise_zip(partner.zip) or False

    @api.depends("country_id", "vat", "company_registry")
    def _compute_registry_manual(self):
        manual = [s for s in SOURCES.values() if s.manual]
        runner = self.env["crm_extended.registry.runner"]
        for partner in self:
            subject = runner._subject(partner)
            partner.registry_manual = any(s.query_for(subject) for s in manual)

    @api.depends_context("lang")
    @api.depends("registry_reason_data")
    def _compute_registry_summary(self):
        for partner in self:
            reasons = partner.sudo().registry_reason_data or []
            partner.registry_summary = (
                "\n".join(
                    sentence
                    for sentence in map(partner._registry_reason_sentence, reasons)
                    if sentence
                )
                or False
            )

    @api.constrains("company_registry", "country_id", "parent_id")
    def _check_company_registry_identifier(self):
        confirmed = self._crm_registry_confirmed()
        for partner in self.filtered(
            lambda p: (
                p.company_registry
                and not p.parent_id
                and p.company_registry not in confirmed
            )
        ):
            try:
                identifiers.validate_company_registry(
                    partner.country_id.code, partner.company_registry
                )
            except identifiers.InvalidIdentifier as error:
                raise ValidationError(
                    self.env._(
                        "%(field)s %(value)s of %(partner)s is not valid: %(rule)s.",
                        field=self._fields["company_registry"].get_description(
                            self.env
                        )["string"],
                        value=partner.company_registry,
                        partner=partner.display_name,
                        rule=identifier_rule_text(self.env, error.kind),
                    )
                ) from error

    def action_registry_check(self):
        """Ask every applicable registry about these companies and keep the evidence.

        Never raises on a registry outage: that is recorded as outcome unknown.
        """
        # The runner writes the verdict as the system: only card roles may start it.
        if not self.env.su and not self.env.user.has_group(
            "crm_extended.group_card_user"
        ):
            raise AccessError(
                self.env._("Only customer card users may run registry checks.")
            )
        partners = self.commercial_partner_id
        self.env["crm_extended.registry.runner"]._run(partners)
        return True

    def action_view_registry_checks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Registry Evidence"),
            "res_model": "crm_extended.registry.check",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False, "edit": False, "delete": False},
        }

    def action_registry_manual_entry(self):
        """Accountants: record what a registry extract says (North Macedonia)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Registry Extract"),
            "res_model": "crm_extended.registry.manual",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    @api.model
    def _cron_registry_recheck(self, batch_size=20):
        """Re-check customers with open items or recent sales, batch by batch."""
        self.env["crm_extended.registry.runner"]._cron_recheck(batch_size)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registry_evidence(self):
        # Evidence must outlive the partner it is about; archiving keeps both.
        checked = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .search([("partner_id", "in", self.ids)], limit=1)
        )
        if checked:
            raise UserError(
                self.env._(
                    "%(partner)s has registry evidence, which must be kept: "
                    "archive the contact instead of deleting it.",
                    partner=checked.partner_id.display_name,
                )
            )
