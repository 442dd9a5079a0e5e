import base64
import hashlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..registries import result as res


class RegistryManualEntry(models.TransientModel):
    """What a registry extract says, entered by a person (North Macedonia's
    Central Registry has no free machine access): who, when, what it said, the
    PDF, valid until. It becomes evidence and gives the company a dated verdict."""

    _name = "crm_extended.registry.manual"
    _description = "Record a Registry Extract"

    partner_id = fields.Many2one("res.partner", string="Company", required=True)
    provider_id = fields.Many2one(
        "crm_extended.registry.provider",
        string="Registry",
        required=True,
        domain="[('is_manual', '=', True)]",
        default=lambda self: self._default_provider(),
    )
    document_date = fields.Date(
        string="Extract Date", required=True, default=fields.Date.context_today
    )
    outcome = fields.Selection(
        [("found", "The registry knows the company"), ("not_found", "Not registered")],
        required=True,
        default="found",
    )
    legal_status = fields.Selection(
        [
            ("active", "Active"),
            ("in_liquidation", "In Liquidation"),
            ("dissolved", "Dissolved"),
            ("insolvent", "Insolvent (bankruptcy)"),
        ],
        default="active",
    )
    returned_name = fields.Char(string="Name in the Extract")
    returned_address = fields.Char(string="Address in the Extract")
    returned_embs = fields.Char(string="ЕМБС")
    returned_edb = fields.Char(string="ЕДБ")
    note = fields.Text(string="What the Extract Says", required=True)
    document = fields.Binary(string="Extract (PDF)", required=True)
    document_filename = fields.Char()
    valid_until = fields.Date(
        compute="_compute_valid_until", store=True, readonly=False, required=True
    )

    @api.model
    def _default_provider(self):
        return self.env["crm_extended.registry.provider"].search(
            [("code", "=", "mk_crm")], limit=1
        )

    @api.depends("document_date", "provider_id")
    def _compute_valid_until(self):
        for wizard in self:
            if wizard.document_date:
                wizard.valid_until = fields.Date.add(
                    wizard.document_date, days=wizard.provider_id.valid_days or 90
                )

    def action_record(self):
        self.ensure_one()
        if not self.env.user.has_group("crm_extended.group_card_accountant"):
            raise AccessError(
                self.env._(
                    "Only accountants and managers may record registry extracts."
                )
            )
        data = base64.b64decode(self.document or b"")
        if not data.startswith(b"%PDF"):
            raise UserError(self.env._("Attach the registry extract as a PDF file."))
        if self.valid_until < self.document_date:
            raise UserError(
                self.env._("The extract cannot be valid until before its own date.")
            )
        partner = self.partner_id.commercial_partner_id
        identifiers = {
            key: value
            for key, value in (("embs", self.returned_embs), ("edb", self.returned_edb))
            if value
        }
        result = res.RegistryResult(
            provider=self.provider_id.code,
            query=partner.company_registry or partner.vat or partner.name,
            outcome=self.outcome,
            legal_status=self.legal_status if self.outcome == res.FOUND else "unknown",
            name=self.returned_name,
            address=self.returned_address,
            identifiers=identifiers,
            raw=data,
            content_type="application/pdf",
        )
        Check = self.env["crm_extended.registry.check"]
        runner = self.env["crm_extended.registry.runner"]
        previous = runner._latest(partner).get(partner.id)
        check = Check._record_many(
            [(partner, self.provider_id, result)],
            extra={
                0: {
                    "checked_by_id": self.env.user.id,
                    "document_date": self.document_date,
                    "valid_until": self.valid_until,
                    "note": self.note,
                    "raw_filename": self.document_filename or "extract.pdf",
                    "raw_sha256": hashlib.sha256(data).hexdigest(),
                }
            },
        )
        changes = runner._changes([(self.provider_id, result)], previous or {})
        runner._refresh_verdicts(partner)
        if changes:
            runner._notify_changes(partner, changes)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "target": "current",
            "context": {"crm_registry_check_id": check.id},
        }
