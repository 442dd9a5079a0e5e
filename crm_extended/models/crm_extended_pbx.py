import hmac
import secrets

from odoo import api, fields, models


class CrmExtendedPbx(models.Model):
    """A telephone exchange that posts its call events to Odoo."""

    _name = "crm_extended.pbx"
    _description = "Telephone Exchange (PBX)"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    token = fields.Char(
        groups="crm_extended.group_card_manager",
        copy=False,
        default=lambda self: self._new_token(),
        help="Secret the exchange sends as 'Authorization: Bearer <token>' "
        "(or in the header X-PBX-Token) with every call event.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    country_id = fields.Many2one(
        "res.country",
        string="Country for Local Numbers",
        default=lambda self: self.env.company.country_id,
        help="Numbers the exchange sends without a country code are read as "
        "numbers of this country.",
    )
    call_ids = fields.One2many("crm_extended.call", "pbx_id", string="Calls")

    _sql_constraints = (
        (
            "token_unique",
            "UNIQUE(token)",
            "Two telephone exchanges cannot share a token.",
        ),
    )

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(32)

    def action_generate_token(self):
        """Replace the token: the exchange must be given the new one."""
        for pbx in self:
            pbx.token = self._new_token()
        return True

    @api.model
    def _authenticate(self, token):
        """The active PBX whose token is ``token``, or an empty recordset.

        Tokens are compared in constant time. Reads the tokens as superuser: it is
        the authentication step itself, and only the matching PBX is returned.
        """
        pbx_model = self.sudo()
        if not token or not isinstance(token, str):
            return pbx_model.browse()
        given = token.encode()
        found = pbx_model.browse()
        for pbx in pbx_model.search([("token", "!=", False)]):
            if hmac.compare_digest(pbx.token.encode(), given):
                found = pbx
        return found
