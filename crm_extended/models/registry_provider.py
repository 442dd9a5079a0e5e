from odoo import api, fields, models

from ..registries import CLIENTS


class RegistryProvider(models.Model):
    _name = "crm_extended.registry.provider"
    _description = "Company Registry Provider"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("cz_ares", "ARES (CZ)"),
            ("cz_adis", "ADIS: unreliable VAT payers and bank accounts (CZ)"),
            ("sk_rpo", "RPO (SK)"),
            ("pl_whitelist", "White list of VAT payers (PL)"),
            ("pl_krs", "KRS (PL)"),
            ("eu_vies", "VIES (EU)"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    base_url = fields.Char(
        string="Base URL",
        required=True,
        help="Where the registry's API answers; change it only for a mirror or a "
        "test server.",
    )
    timeout = fields.Float(
        default=10.0, help="Seconds to wait for an answer before giving up."
    )
    credentials = fields.Char(
        groups="crm_extended.group_card_manager",
        help="API key where the registry needs one; for VIES the requester's own "
        "VAT number, which makes VIES return a consultation number.",
    )
    rate_limit_calls = fields.Integer(
        string="Requests Allowed",
        help="Requests allowed per period. Leave 0 for the registry's published limit.",
    )
    rate_limit_period = fields.Integer(
        string="Per Seconds", help="Length of the rate-limit period in seconds."
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo 18 API)
        (
            "code_unique",
            "unique(code)",
            "There is already a provider for this registry.",
        )
    ]

    @api.model
    def _get_active(self):
        """Active providers by code."""
        return {provider.code: provider for provider in self.search([])}

    def _make_client(self):
        """The plain-Python client configured from this record."""
        self.ensure_one()
        secret = self.sudo().credentials
        credentials = {}
        if secret:
            key = "requester_vat" if self.code == "eu_vies" else "api_key"
            credentials[key] = secret.strip()
        rate_limits = None
        if self.rate_limit_calls > 0 and self.rate_limit_period > 0:
            rate_limits = ((self.rate_limit_calls, float(self.rate_limit_period)),)
        return CLIENTS[self.code](
            base_url=self.base_url,
            timeout=self.timeout or 10.0,
            credentials=credentials,
            rate_limits=rate_limits,
        )
