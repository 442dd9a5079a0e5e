from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..registries import CLIENTS, SOURCES

LIST_CODE = "debtor_list"


class RegistryProvider(models.Model):
    _name = "crm_extended.registry.provider"
    _description = "Company Registry Provider"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    # The codes come from the registry clients (registries/*.py, ``@register``):
    # a new registry declares itself there, not here.
    code = fields.Selection(selection="_selection_code", required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    base_url = fields.Char(
        string="Base URL",
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
    valid_days = fields.Integer(
        string="Evidence Valid (days)",
        default=90,
        help="For registries without machine access (North Macedonia): how long "
        "an extract entered by hand counts as evidence.",
    )
    list_ids = fields.One2many(
        "crm_extended.debtor.list", "provider_id", string="Published Lists"
    )
    is_manual = fields.Boolean(compute="_compute_kind", store=True)
    is_list = fields.Boolean(compute="_compute_kind", store=True)

    @api.model
    def _selection_code(self):
        return sorted(
            ((code, source.label or code) for code, source in SOURCES.items()),
            key=lambda item: item[1],
        )

    def init(self):
        # One provider per registry, except published lists (one provider each).
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                SQL.identifier(self._table),
                SQL.identifier(f"{self._table}_code_unique"),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (code) WHERE code != %s",
                SQL.identifier(f"{self._table}_code_unique_idx"),
                SQL.identifier(self._table),
                LIST_CODE,
            )
        )

    @api.depends("code")
    def _compute_kind(self):
        for provider in self:
            source = SOURCES.get(provider.code)
            provider.is_manual = bool(source and source.manual)
            provider.is_list = provider.code == LIST_CODE

    @api.constrains("code", "base_url")
    def _check_base_url(self):
        for provider in self:
            if provider.code in CLIENTS and not provider.base_url:
                raise ValidationError(
                    self.env._(
                        "%(registry)s needs the base URL of its API.",
                        registry=provider.name,
                    )
                )

    def _source(self):
        self.ensure_one()
        return SOURCES[self.code]

    def _uses_lists(self):
        """True when the answers come from imported list files: published lists,
        and Finančná správa without an API key (its daily files)."""
        self.ensure_one()
        if self.code == LIST_CODE:
            return True
        return self.code == "sk_financna_sprava" and not self.sudo().credentials

    @api.model
    def _get_active(self):
        """Active providers asked per company (clients and manual registries),
        by code; list providers are matched by ``crm_extended.debtor.list``."""
        return {
            provider.code: provider
            for provider in self.search([("code", "!=", LIST_CODE)])
            if not provider._uses_lists()
        }

    def _make_client(self):
        """The plain-Python client configured from this record."""
        self.ensure_one()
        client_class = CLIENTS[self.code]
        secret = self.sudo().credentials
        credentials = {}
        if secret:
            credentials[client_class.credential_name] = secret.strip()
        rate_limits = None
        if self.rate_limit_calls > 0 and self.rate_limit_period > 0:
            rate_limits = ((self.rate_limit_calls, float(self.rate_limit_period)),)
        return client_class(
            base_url=self.base_url,
            timeout=self.timeout or 10.0,
            credentials=credentials,
            rate_limits=rate_limits,
        )
