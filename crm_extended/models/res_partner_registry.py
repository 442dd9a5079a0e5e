from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from ..registries import SOURCES, identifiers, verdict
from ..registries import result as res
from ..registries.messages import identifier_rule_text

# Fields only the registry runner writes (as the system).
VERDICT_FIELDS = {"registry_reason_data", "registry_verified_at"}


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
        groups="base.group_user",
        help="When a registry last answered about this company.",
    )
    registry_reason_data = fields.Json(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Technical: the reasons of the registry verdict, as data.",
    )
    registry_summary = fields.Text(
        string="Registry Findings",
        compute="_compute_registry_summary",
        help="Why the registry verdict is what it is, in the reader's language.",
    )
    registry_legal_form = fields.Char(string="Legal Form", copy=False)
    registry_check_ids = fields.One2many(
        "crm_extended.registry.check",
        "partner_id",
        string="Registry Evidence",
        groups="crm_extended.group_card_accountant",
    )
    registry_check_count = fields.Integer(
        compute="_compute_registry_check_count",
        groups="crm_extended.group_card_accountant",
    )
    registry_manual = fields.Boolean(
        compute="_compute_registry_manual",
        help="Technical: a registry of this company's country is read by a person "
        "(North Macedonia).",
    )

    def _compute_registry_check_count(self):
        counts = dict(
            self.env["crm_extended.registry.check"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.registry_check_count = counts.get(partner, 0)

    @api.depends("country_id")
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

    # -- wording ---------------------------------------------------------------
    def _registry_name(self, reason):
        provider = self.env["crm_extended.registry.provider"].sudo()
        if reason.get("provider_id"):
            provider = provider.browse(reason["provider_id"]).exists()
        if provider:
            return provider.name
        source = SOURCES.get(reason.get("provider"))
        return (source.label if source else None) or reason.get("provider") or ""

    def _registry_date(self, value):
        return format_date(self.env, value) if value else ""

    def _registry_amount(self, amount, currency_code):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", currency_code or "EUR")], limit=1)
        )
        return formatLang(self.env, amount, currency_obj=currency or None)

    def _registry_status_word(self, code, provider_code):
        words = {
            res.ACTIVE: lambda: self.env._("active"),
            res.IN_LIQUIDATION: lambda: self.env._("in liquidation"),
            res.DISSOLVED: lambda: self.env._("dissolved"),
            res.INSOLVENT: lambda: self.env._("insolvent"),
            res.FOUND: lambda: self.env._("found"),
            res.NOT_FOUND: lambda: self.env._("not found"),
        }
        source = SOURCES.get(provider_code)
        if code == res.NOT_FOUND and source and source.absent_means_clean:
            return self.env._("not listed")
        return words[code]() if code in words else code

    def _registry_unreachable_text(self, registry, kind):
        texts = {
            res.RATE_LIMITED: lambda: self.env._(
                "%(registry)s refuses more requests for now (rate limit)",
                registry=registry,
            ),
            res.REFUSED: lambda: self.env._(
                "%(registry)s refused the request", registry=registry
            ),
            res.MALFORMED: lambda: self.env._(
                "%(registry)s answered with something that cannot be read",
                registry=registry,
            ),
            res.MAINTENANCE: lambda: self.env._(
                "%(registry)s is in scheduled maintenance", registry=registry
            ),
            res.NOT_CONFIGURED: lambda: self.env._(
                "%(registry)s is not set up yet (API key or list file missing)",
                registry=registry,
            ),
            res.STALE: lambda: self.env._(
                "the published list of %(registry)s is out of date",
                registry=registry,
            ),
            res.INTERNAL: lambda: self.env._(
                "%(registry)s could not be checked (internal error, see the server "
                "log)",
                registry=registry,
            ),
        }
        if kind in texts:
            return texts[kind]()
        return self.env._("%(registry)s cannot be reached now", registry=registry)

    def _registry_proceeding_text(self, registry, params):
        kinds = dict(
            self.env["crm_extended.registry.finding"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        details = ", ".join(
            part
            for part in (
                params.get("file_number"),
                self.env._(
                    "since %(date)s", date=self._registry_date(params["started"])
                )
                if params.get("started")
                else None,
            )
            if part
        )
        kind = kinds.get(params.get("kind"), params.get("state") or "")
        if details:
            return self.env._(
                "%(registry)s: %(kind)s (%(details)s).",
                registry=registry,
                kind=kind.lower(),
                details=details,
            )
        return self.env._(
            "%(registry)s: %(kind)s.", registry=registry, kind=kind.lower()
        )

    def _registry_debtor_text(self, registry, params):
        if params.get("amount") is not None:
            text = self.env._(
                "%(registry)s: debt %(amount)s as of %(date)s",
                registry=registry,
                amount=self._registry_amount(params["amount"], params.get("currency")),
                date=self._registry_date(params.get("as_of")) or "?",
            )
        else:
            text = self.env._("%(registry)s: on the list of debtors", registry=registry)
        if params.get("match") == res.MATCH_NAME_ZIP:
            text += " " + self.env._(
                "(matched by name and postal code: the list has no company ID)"
            )
        return text

    def _registry_reason_sentence(self, reason):
        """One sentence of a verdict reason, in the reader's language."""
        code = reason.get("code")
        params = reason.get("params") or {}
        if code == "no_registry":
            return self.env._(
                "No registry applies to this company: set its country and its "
                "company ID or VAT number."
            )
        if code == "failed":
            return self.env._(
                "The registry check failed; it will be tried again with the next check."
            )
        registry = self._registry_name(reason)
        if code == "no_answer":
            text = self._registry_unreachable_text(registry, params.get("error_kind"))
            if params.get("last_ok"):
                return self.env._(
                    "%(problem)s; last successful check %(date)s: %(status)s",
                    problem=text,
                    date=self._registry_date(params["last_ok"]),
                    status=self._registry_status_word(
                        params.get("last_status"), reason.get("provider")
                    ),
                )
            return self.env._("%(problem)s; no successful check yet", problem=text)
        if code == "proceeding":
            return self._registry_proceeding_text(registry, params)
        if code == "debtor":
            return self._registry_debtor_text(registry, params)
        if code == "vat_grounds":
            if params.get("as_of"):
                return self.env._(
                    "%(registry)s: listed with grounds for VAT deregistration "
                    "(published %(date)s).",
                    registry=registry,
                    date=self._registry_date(params["as_of"]),
                )
            return self.env._(
                "%(registry)s: listed with grounds for VAT deregistration.",
                registry=registry,
            )
        if code == "expired":
            return self.env._(
                "%(registry)s: the extract of %(date)s expired on %(until)s; record "
                "a new one.",
                registry=registry,
                date=self._registry_date(params.get("checked")),
                until=self._registry_date(params.get("valid_until")),
            )
        texts = {
            "not_found": lambda: self.env._(
                "%(registry)s does not know this company.", registry=registry
            ),
            "unreliable": lambda: self.env._(
                "%(registry)s: unreliable VAT payer.", registry=registry
            ),
            "in_liquidation": lambda: self.env._(
                "%(registry)s: in liquidation.", registry=registry
            ),
            "dissolved": lambda: self.env._(
                "%(registry)s: dissolved.", registry=registry
            ),
            "insolvent": lambda: self.env._(
                "%(registry)s: insolvent.", registry=registry
            ),
            "vat_cancelled": lambda: self.env._(
                "%(registry)s: VAT registration ended.", registry=registry
            ),
            "suspended": lambda: self.env._(
                "%(registry)s: business activity suspended.", registry=registry
            ),
            "insolvency_hint": lambda: self.env._(
                "%(registry)s lists an insolvency record; the insolvency register "
                "could not confirm whether a proceeding is current.",
                registry=registry,
            ),
            "manual_needed": lambda: self.env._(
                "%(registry)s cannot be asked automatically: record an extract "
                "(PDF) to get a dated verdict.",
                registry=registry,
            ),
        }
        return texts[code]() if code in texts else ""

    # -- risks that act (invoices, quotations, payments, grade) ------------------
    def _registry_risks(self):
        """[(risk kind, sentence)] of this company's registry verdict, read as
        the system: the documents that warn may be posted by users who cannot
        read the verdict themselves."""
        partner = self.commercial_partner_id.sudo()
        if len(partner) != 1:
            return []
        return [
            (kind, partner._registry_reason_sentence(reason))
            for kind, reason in verdict.risks(partner.registry_reason_data or [])
        ]

    def _registry_risk_kinds(self):
        """The kinds of risk of this company's verdict (no wording: cheap)."""
        partner = self.commercial_partner_id.sudo()
        if len(partner) != 1:
            return set()
        return {
            kind for kind, _reason in verdict.risks(partner.registry_reason_data or [])
        }

    def _registry_act(self, company):
        """(warnings, blocking) sentences for a document of ``company`` with this
        partner: each risk warns; it blocks when the company made that kind of
        risk blocking."""
        risks = self._registry_risks()
        blocking_kinds = company.sudo()._crm_registry_blocking_kinds()
        warnings = [text for _kind, text in risks]
        blocking = [text for kind, text in risks if kind in blocking_kinds]
        return warnings, blocking

    def _registry_warning_text(self, company):
        warnings, _blocking = self._registry_act(company)
        if not warnings:
            return ""
        return self.env._(
            "Registry risk for %(partner)s: %(reasons)s",
            partner=self.commercial_partner_id.display_name,
            reasons=" ".join(warnings),
        )

    def _registry_check_blocking(self, company, document):
        """Raise when a blocking risk forbids ``document`` (a sentence naming the
        action); return the warnings to note otherwise."""
        warnings, blocking = self._registry_act(company)
        if blocking:
            raise UserError(
                self.env._(
                    "%(document)s is blocked: %(reasons)s A manager can change which "
                    "registry risks block in the settings.",
                    document=document,
                    reasons=" ".join(blocking),
                )
            )
        return warnings

    def _registry_grade_e_ids(self, partner_ids):
        """{company id: partner ids} whose payment grade a registry risk forces
        to E (companies where the manager turned it on). Read by the payment
        grading, once per refresh."""
        companies = (
            self.env["res.company"].sudo().search([("crm_registry_grade_e", "=", True)])
        )
        if not companies or not partner_ids:
            return {}
        risky = (
            self.sudo()
            .browse(partner_ids)
            .filtered(lambda partner: partner._registry_risk_kinds())
            .ids
        )
        return {company.id: set(risky) for company in companies}

    def _registry_grade_reason(self, text, params):
        """The payment grade's reason with the registry risks added."""
        risks = self._registry_risks()
        if not risks:
            return text
        lines = [text] if text else []
        if params.get("registry_letter"):
            lines.append(
                self.env._(
                    "Grade E because of a registry risk (payment behaviour alone: "
                    "%(letter)s):",
                    letter=params["registry_letter"],
                )
            )
        lines.extend(sentence for _kind, sentence in risks)
        return "\n".join(lines)

    def _registry_touch_grades(self):
        """Re-grade partners whose registry risk changed where a risk forces E."""
        if (
            self.env["res.company"]
            .sudo()
            .search_count([("crm_registry_grade_e", "=", True)])
        ):
            self.env["crm_extended.payment.behaviour"]._touch(self)

    # -- writes --------------------------------------------------------------
    def write(self, vals):
        if VERDICT_FIELDS & set(vals) and not (
            self.env.su and self.env.context.get("crm_registry_verdict")
        ):
            raise AccessError(
                self.env._("Registry verdicts are written only by the registry check.")
            )
        return super().write(vals)

    @api.constrains("company_registry", "country_id", "parent_id")
    def _check_company_registry_identifier(self):
        if self.env.context.get("crm_registry_data"):
            return  # a registry's own identifier is never rejected
        for partner in self.filtered(lambda p: p.company_registry and not p.parent_id):
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
