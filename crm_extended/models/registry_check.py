import base64
import hashlib
import json

from odoo import api, fields, models

from ..registries import SOURCES
from ..registries import result as res

OUTCOMES = [("found", "Found"), ("not_found", "Not Found"), ("unknown", "Unknown")]
LEGAL_STATUSES = [
    ("active", "Active"),
    ("in_liquidation", "In Liquidation"),
    ("dissolved", "Dissolved"),
    ("insolvent", "Insolvent"),
    ("unknown", "Unknown"),
]
# A registry's yes/no answer, or that it did not say (never shown as "no").
TRI_STATE = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]
ERROR_KINDS = [
    (res.UNREACHABLE, "Cannot be reached"),
    (res.RATE_LIMITED, "Rate limit reached"),
    (res.REFUSED, "Request refused"),
    (res.MALFORMED, "Unreadable answer"),
    (res.MAINTENANCE, "Maintenance"),
    (res.NOT_CONFIGURED, "Not set up"),
    (res.STALE, "List out of date"),
    (res.INTERNAL, "Internal error"),
]
MATCH_QUALITIES = [
    (res.MATCH_ICO, "Same company ID"),
    (res.MATCH_VAT, "Same VAT number"),
    (res.MATCH_NAME_ZIP, "Same name and postal code (the list has no company ID)"),
]


def tri_state(value):
    return "unknown" if value is None else ("yes" if value else "no")


class RegistryCheck(models.Model):
    """Evidence of one registry answer. Written once by the system, never changed."""

    _name = "crm_extended.registry.check"
    _inherit = "crm_extended.registry.evidence"
    _description = "Company Registry Check"
    _order = "checked_at desc, id desc"
    _rec_name = "provider_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict", readonly=True
    )
    provider_id = fields.Many2one(
        "crm_extended.registry.provider",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    provider_code = fields.Selection(related="provider_id.code", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    checked_at = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    checked_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    query = fields.Char(string="Asked For", readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True)
    legal_status = fields.Selection(LEGAL_STATUSES, default="unknown", readonly=True)
    vat_payer = fields.Boolean(string="VAT Payer", readonly=True)
    unreliable_vat_payer = fields.Boolean(string="Unreliable VAT Payer", readonly=True)
    vat_cancelled = fields.Boolean(string="VAT Registration Ended", readonly=True)
    # The booleans above are True only when the registry said so; these say
    # whether it said yes, no, or nothing at all.
    vat_payer_state = fields.Selection(
        TRI_STATE, string="VAT Payer (Answer)", default="unknown", readonly=True
    )
    unreliable_state = fields.Selection(
        TRI_STATE,
        string="Unreliable VAT Payer (Answer)",
        default="unknown",
        readonly=True,
    )
    activity_suspended = fields.Boolean(string="Business Suspended", readonly=True)
    insolvency_hint = fields.Boolean(
        readonly=True,
        help="ARES lists an insolvency record. ISIR says whether a proceeding "
        "is current; this is only a hint.",
    )
    finding_ids = fields.One2many(
        "crm_extended.registry.finding", "check_id", string="Findings", readonly=True
    )
    match_quality = fields.Selection(
        MATCH_QUALITIES,
        readonly=True,
        help="How a published list's row was tied to this company.",
    )
    list_version_id = fields.Many2one("crm_extended.debtor.list.version", readonly=True)
    document_date = fields.Date(
        string="Extract Date",
        readonly=True,
        help="For evidence entered by hand: the date of the registry extract.",
    )
    valid_until = fields.Date(
        readonly=True,
        help="For evidence entered by hand: after this date it no longer counts.",
    )
    note = fields.Text(
        string="What the Extract Says", readonly=True, help="Entered by hand."
    )
    returned_name = fields.Char(readonly=True)
    returned_legal_form = fields.Char(readonly=True)
    returned_address = fields.Char(readonly=True)
    returned_identifiers = fields.Char(readonly=True)
    published_bank_accounts = fields.Text(readonly=True)
    ended_bank_accounts = fields.Text(
        string="Accounts No Longer Published", readonly=True
    )
    request_id = fields.Char(
        string="Request / Consultation ID",
        readonly=True,
        help="The registry's own proof of the query (white list requestId, VIES "
        "consultation number).",
    )
    error_message = fields.Char(readonly=True)
    error_kind = fields.Selection(ERROR_KINDS, readonly=True)
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    raw_payload = fields.Binary(string="Raw Response", attachment=True, readonly=True)
    raw_filename = fields.Char(readonly=True)
    raw_content_type = fields.Char(readonly=True)
    raw_sha256 = fields.Char(string="SHA-256 of Raw Response", readonly=True)

    @api.model
    def _values_from_result(self, partner, provider, result):
        raw = result.raw or b""
        ctype = result.content_type or ""
        extension = "xml" if "xml" in ctype else "zip" if "zip" in ctype else "json"
        return {
            "partner_id": partner.id,
            "provider_id": provider.id,
            "company_id": self.env.company.id,
            "query": result.query,
            "outcome": result.outcome,
            "legal_status": result.legal_status or res.STATUS_UNKNOWN,
            "vat_payer": bool(result.vat_payer),
            "unreliable_vat_payer": bool(result.unreliable_vat_payer),
            "vat_cancelled": bool(result.vat_cancelled),
            "vat_payer_state": tri_state(result.vat_payer),
            "unreliable_state": tri_state(result.unreliable_vat_payer),
            "activity_suspended": bool(result.activity_suspended),
            "insolvency_hint": bool(result.insolvency_hint),
            "error_kind": result.error_kind if result.outcome == res.UNKNOWN else False,
            "match_quality": next((f.match for f in result.findings if f.match), False),
            "returned_name": result.name,
            "returned_legal_form": result.legal_form,
            "returned_address": result.address,
            "returned_identifiers": json.dumps(result.identifiers, sort_keys=True)
            if result.identifiers
            else False,
            "published_bank_accounts": "\n".join(sorted(result.published_accounts))
            or False,
            "ended_bank_accounts": "\n".join(sorted(result.ended_accounts)) or False,
            "request_id": result.request_id,
            "error_message": (result.error_message or "")[:1000] or False,
            "http_status": result.http_status or 0,
            "raw_payload": base64.b64encode(raw) if raw else False,
            "raw_filename": f"{provider.code}-{result.query}.{extension}".replace(
                "/", "_"
            )
            if raw
            else False,
            "raw_content_type": result.content_type,
            "raw_sha256": hashlib.sha256(raw).hexdigest() if raw else False,
        }

    @api.model
    def _record_results(self, partner, pairs):
        """Create the evidence of (provider, result) pairs, as the system."""
        return self._record_many(
            [(partner, provider, result) for provider, result in pairs]
        )

    @api.model
    def _record_many(self, triples, extra=None):
        """Evidence of (partner, provider, result) triples in two batched
        creates (checks, then their findings), as the system. ``extra``: values
        per triple index added to the check (list version, manual fields)."""
        values = []
        for index, (partner, provider, result) in enumerate(triples):
            vals = self._values_from_result(partner, provider, result)
            vals.update((extra or {}).get(index, {}))
            values.append(vals)
        Check = self.sudo().with_context(crm_registry_evidence=True)
        checks = Check.create(values)
        finding_values = []
        for check, (_partner, _provider, result) in zip(checks, triples, strict=True):
            for finding in result.findings:
                finding_values.append(
                    self.env["crm_extended.registry.finding"]._values_from(
                        check, finding
                    )
                )
        if finding_values:
            self.env["crm_extended.registry.finding"].sudo().with_context(
                crm_registry_evidence=True
            ).create(finding_values)
        return checks

    def _snapshot(self):
        """This check as a plain dict for the verdict logic."""
        self.ensure_one()
        state = {"yes": True, "no": False}
        return {
            "provider": self.provider_code,
            "provider_id": self.provider_id.id,
            "outcome": self.outcome,
            "legal_status": self.legal_status,
            "vat_payer": state.get(self.vat_payer_state, self.vat_payer or None),
            "unreliable_vat_payer": state.get(
                self.unreliable_state, self.unreliable_vat_payer or None
            ),
            "vat_cancelled": self.vat_cancelled,
            "activity_suspended": self.activity_suspended,
            "insolvency_hint": self.insolvency_hint,
            "published_accounts": set((self.published_bank_accounts or "").split()),
            "findings": [finding._as_dict() for finding in self.finding_ids],
            "error_kind": self.error_kind or None,
            "checked_at": fields.Date.to_string(
                self.document_date or self.checked_at.date()
            ),
            "checked_dt": fields.Datetime.to_string(self.checked_at),
            "valid_until": fields.Date.to_string(self.valid_until)
            if self.valid_until
            else None,
        }

    def _source(self):
        return SOURCES.get(self.provider_code)
