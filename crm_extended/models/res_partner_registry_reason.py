from odoo import models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..registries import SOURCES, verdict
from ..registries import result as res


class ResPartner(models.Model):
    """The registry verdict in words (in the reader's language) and the risks
    that act on invoices, quotations, vendor payments and the payment grade."""

    _inherit = "res.partner"

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

    def _registry_grade_e_ids(self, partner_ids, company_ids):
        """{company id: partner ids} whose payment grade a registry risk forces
        to E (companies where the manager turned it on). Read by the payment
        grading once per refresh; no query unless some company turned it on
        (the companies are in the cache already)."""
        companies = (
            self.env["res.company"]
            .sudo()
            .browse(sorted(company_ids))
            .filtered("crm_registry_grade_e")
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
