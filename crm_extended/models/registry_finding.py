from odoo import api, fields, models

from ..registries import result as res
from .registry_check import MATCH_QUALITIES

FINDING_KINDS = [
    (res.PETITION, "Insolvency petition"),
    (res.MORATORIUM, "Moratorium"),
    (res.INSOLVENCY, "Insolvency"),
    (res.BANKRUPTCY, "Bankruptcy"),
    (res.REORGANISATION, "Reorganisation"),
    (res.DISCHARGE, "Debt discharge"),
    (res.LIQUIDATION, "Liquidation"),
    (res.DEBTOR, "Debtor list"),
    (res.UNRELIABLE_VAT, "Grounds for VAT deregistration"),
    (res.VAT_DEREGISTERED, "VAT registration cancelled"),
    (res.OTHER, "Other proceeding"),
]


class RegistryFinding(models.Model):
    """A proceeding or a list row behind a registry check: part of the evidence,
    written once with its check, never changed."""

    _name = "crm_extended.registry.finding"
    _inherit = "crm_extended.registry.evidence"
    _description = "Company Registry Finding"
    _order = "check_id desc, is_current desc, date_start desc, id"
    _rec_name = "kind"

    check_id = fields.Many2one(
        "crm_extended.registry.check",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="check_id.partner_id", store=True, index=True, readonly=True
    )
    provider_id = fields.Many2one(related="check_id.provider_id", store=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    kind = fields.Selection(FINDING_KINDS, required=True, readonly=True)
    is_current = fields.Boolean(
        string="Current",
        readonly=True,
        help="Unticked: an ended proceeding, kept as history; it is not a risk.",
    )
    state = fields.Char(string="Registry's Wording", readonly=True)
    court = fields.Char(readonly=True)
    file_number = fields.Char(string="Court File Number", readonly=True)
    url = fields.Char(string="Link", readonly=True)
    administrator = fields.Char(readonly=True)
    date_start = fields.Date(string="Since", readonly=True)
    date_end = fields.Date(string="Ended", readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    as_of = fields.Date(readonly=True)
    list_id = fields.Many2one("crm_extended.debtor.list", readonly=True)
    list_version_id = fields.Many2one("crm_extended.debtor.list.version", readonly=True)
    list_row = fields.Integer(string="Row in the List", readonly=True)
    match_quality = fields.Selection(MATCH_QUALITIES, readonly=True)
    listed_name = fields.Char(readonly=True)
    listed_zip = fields.Char(string="Listed Postal Code", readonly=True)
    listed_address = fields.Char(readonly=True)
    raw_row = fields.Text(string="Row as Published", readonly=True)

    @api.model
    def _values_from(self, check, finding, extra=None):
        currency = False
        if finding.currency:
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", finding.currency)], limit=1)
            )
        values = {
            "check_id": check.id,
            "kind": finding.kind if finding.kind in dict(FINDING_KINDS) else res.OTHER,
            "is_current": bool(finding.active),
            "state": finding.state,
            "court": finding.court,
            "file_number": finding.file_number,
            "url": finding.url,
            "administrator": finding.administrator,
            "date_start": finding.started,
            "date_end": finding.ended,
            "amount": finding.amount or 0.0,
            "currency_id": currency.id if currency else False,
            "as_of": finding.as_of,
            "match_quality": finding.match or False,
            "list_row": finding.row or 0,
            "listed_name": finding.listed_name,
            "listed_zip": finding.listed_zip,
            "listed_address": finding.listed_address,
        }
        values.update(finding.extra or {})
        values.update(extra or {})
        return values

    def _as_dict(self):
        """The finding as the verdict logic reads it (see registries/verdict.py)."""
        self.ensure_one()
        values = {
            "kind": self.kind,
            "active": self.is_current,
            "state": self.state,
            "file_number": self.file_number,
            "started": fields.Date.to_string(self.date_start)
            if self.date_start
            else None,
            "ended": fields.Date.to_string(self.date_end) if self.date_end else None,
            "amount": self.amount if self.currency_id or self.amount else None,
            "currency": self.currency_id.name or None,
            "as_of": fields.Date.to_string(self.as_of) if self.as_of else None,
            "source": self.list_id.name or None,
            "match": self.match_quality or None,
        }
        return {key: value for key, value in values.items() if value is not None}
