import base64
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..registries import result as res

OUTCOMES = [("found", "Found"), ("not_found", "Not Found"), ("unknown", "Unknown")]
LEGAL_STATUSES = [
    ("active", "Active"),
    ("in_liquidation", "In Liquidation"),
    ("dissolved", "Dissolved"),
    ("insolvent", "Insolvent"),
    ("unknown", "Unknown"),
]


class RegistryCheck(models.Model):
    """Evidence of one registry answer. Written once by the system, never changed."""

    _name = "crm_extended.registry.check"
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
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    raw_payload = fields.Binary(string="Raw Response", attachment=True, readonly=True)
    raw_filename = fields.Char(readonly=True)
    raw_content_type = fields.Char(readonly=True)
    raw_sha256 = fields.Char(string="SHA-256 of Raw Response", readonly=True)

    @api.model
    def _values_from_result(self, partner, provider, result):
        raw = result.raw or b""
        extension = "xml" if "xml" in (result.content_type or "") else "json"
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
        values = [
            self._values_from_result(partner, provider, result)
            for provider, result in pairs
        ]
        return self.sudo().with_context(crm_registry_evidence=True).create(values)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_registry_evidence"):
            raise UserError(
                _("Registry evidence is created only by running a registry check.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(_("Registry evidence cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Registry evidence cannot be deleted."))

    def _snapshot(self):
        """This check as a plain dict for the verdict logic."""
        self.ensure_one()
        return {
            "provider": self.provider_code,
            "outcome": self.outcome,
            "legal_status": self.legal_status,
            "vat_payer": self.vat_payer,
            "unreliable_vat_payer": self.unreliable_vat_payer,
            "vat_cancelled": self.vat_cancelled,
            "published_accounts": set((self.published_bank_accounts or "").split()),
        }
