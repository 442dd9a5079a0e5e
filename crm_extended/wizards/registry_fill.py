from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..registries import SOURCES, subject_of
from ..registries import result as res
from ..registries.identifiers import compact, split_vat

# Partner fields the wizard can fill, in display order.
FILL_FIELDS = [
    "name",
    "registry_legal_form",
    "street",
    "zip",
    "city",
    "country_id",
    "vat",
    "company_registry",
]


def plan_lookup(country_code, identifier):
    """(provider code, query) for what the user typed."""
    value = compact(identifier)
    prefix, number = split_vat(value)
    country = (prefix if prefix and prefix != "EL" else country_code or "").upper()
    if prefix == "CZ" or (not prefix and country == "CZ"):
        return "cz_ares", number.zfill(8)
    if not prefix and country == "SK":
        return "sk_rpo", number.zfill(8)
    if prefix == "PL" or (not prefix and country == "PL"):
        if not prefix and number.startswith("0000"):
            return "pl_krs", number
        return "pl_whitelist", number
    if prefix and SOURCES["eu_vies"].query_for(subject_of(None, value, None)):
        return "eu_vies", value
    return None, value


def vies_query(country_code, identifier):
    """The VAT number VIES can be asked about when the first registry cannot
    answer: the typed VAT number, or a Czech legal person's CZ + IČO."""
    value = compact(identifier)
    prefix, number = split_vat(value)
    if prefix:
        return SOURCES["eu_vies"].query_for(subject_of(None, value, None))
    if (country_code or "").upper() == "CZ" and number.isdigit() and len(number) == 8:
        return "CZ" + number
    if (country_code or "").upper() == "PL" and number.isdigit() and len(number) == 10:
        return "PL" + number
    return None


class RegistryFill(models.TransientModel):
    _name = "crm_extended.registry.fill"
    _description = "Fill a Company from a Registry"

    partner_id = fields.Many2one("res.partner", string="Company")
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
    )
    identifier = fields.Char(
        string="IČO / NIP / KRS / VAT Number",
        compute="_compute_identifier",
        store=True,
        readonly=False,
        help="Company ID for CZ and SK, NIP or KRS number for PL, or a VAT number "
        "with its country prefix for any EU country.",
    )
    line_ids = fields.One2many("crm_extended.registry.fill.line", "wizard_id")
    state = fields.Selection(
        [("ask", "Ask"), ("compare", "Compare"), ("manual", "By Hand")], default="ask"
    )
    registry_name = fields.Char(string="Answered By", readonly=True)
    message = fields.Text(readonly=True)
    # The registry's answer as the lookup received it ({field: value}); only
    # the lookup writes it (as the system), and only its values are applied.
    registry_answer = fields.Json(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_answer_untouched(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_answer_untouched(vals)
        return super().write(vals)

    @api.model
    def _check_answer_untouched(self, vals):
        if not self.env.su and {"registry_answer", "registry_name"} & vals.keys():
            raise AccessError(
                self.env._("Only a registry lookup can set what the registry answered.")
            )

    @api.depends("partner_id")
    def _compute_country_id(self):
        for wizard in self:
            wizard.country_id = wizard.partner_id.country_id or wizard.country_id

    @api.depends("partner_id")
    def _compute_identifier(self):
        for wizard in self:
            partner = wizard.partner_id
            wizard.identifier = (
                partner.company_registry or partner.vat or wizard.identifier
            )

    def _registry_values(self, result):
        country = self.env["res.country"].search(
            [("code", "=", result.country_code or self.country_id.code or "")], limit=1
        )
        ids = result.identifiers or {}
        values = {
            "name": result.name,
            "registry_legal_form": result.legal_form,
            "street": result.street,
            "zip": result.zip,
            "city": result.city,
            "country_id": country,
            "vat": ids.get("vat"),
            "company_registry": ids.get("ico") or ids.get("krs"),
        }
        if not result.street and result.address:
            values["street"] = result.address
        return {key: value for key, value in values.items() if value}

    def _provider(self, code):
        return self.env["crm_extended.registry.provider"].search(
            [("code", "=", code)], limit=1
        )

    def _to_manual(self, message):
        self.write(
            {
                "state": "manual",
                "message": message,
                "line_ids": [fields.Command.clear()],
            }
        )
        return self._reopen()

    def _no_registry_message(self):
        country = self.country_id
        manual = [
            source
            for source in SOURCES.values()
            if source.manual
            and source.query_for(subject_of(country.code, None, self.identifier or "x"))
        ]
        if manual:
            return self.env._(
                "%(country)s has no public registry that can be asked automatically. "
                "Enter the company by hand from its registry extract; an accountant "
                "can attach the extract to the card as evidence.",
                country=country.name,
            )
        return self.env._(
            "No registry of %(country)s can be asked automatically. Enter the "
            "company by hand, or type a VAT number with its country prefix to ask "
            "VIES.",
            country=country.name or self.env._("this country"),
        )

    def action_lookup(self):
        self.ensure_one()
        code, query = plan_lookup(self.country_id.code, self.identifier)
        if not query:
            raise UserError(
                self.env._(
                    "Type an IČO (CZ, SK), a NIP or KRS number (PL) with the country "
                    "set, or a VAT number with its country prefix."
                )
            )
        if not code:
            return self._to_manual(self._no_registry_message())
        runner = self.env["crm_extended.registry.runner"]
        provider = self._provider(code)
        problems = []
        result = None
        if provider:
            result = runner._ask(provider, [query])[query]
            if result.outcome == res.NOT_FOUND:
                return self._to_manual(
                    self.env._(
                        "%(registry)s does not know %(query)s. Check the number, or "
                        "enter the company by hand.",
                        registry=provider.name,
                        query=query,
                    )
                )
            if result.outcome != res.FOUND:
                problems.append(
                    self.env["res.partner"]._registry_unreachable_text(
                        provider.name, result.error_kind
                    )
                )
        vat = vies_query(self.country_id.code, self.identifier)
        vies = self._provider("eu_vies")
        if (
            (not result or result.outcome != res.FOUND)
            and vat
            and vies
            and code != "eu_vies"
        ):
            fallback = runner._ask(vies, [vat])[vat]
            if fallback.outcome == res.FOUND:
                provider, result = vies, fallback
            elif fallback.outcome == res.UNKNOWN:
                problems.append(
                    self.env["res.partner"]._registry_unreachable_text(
                        vies.name, fallback.error_kind
                    )
                )
        if not result or result.outcome != res.FOUND:
            if not problems:
                problems.append(
                    self.env._("The registry for %(query)s is not active.", query=query)
                )
            return self._to_manual(
                self.env._(
                    "%(problems)s. Enter the company by hand: %(query)s is kept.",
                    problems="; ".join(problems),
                    query=self.identifier,
                )
            )
        lines = []
        answer = {}
        for name, value in self._registry_values(result).items():
            answer[name] = value.id if name == "country_id" else str(value)
            shown = value.display_name if name == "country_id" else str(value)
            current_shown = ""
            if self.partner_id:
                current = self.partner_id[name]
                current_shown = (
                    current.display_name if name == "country_id" else (current or "")
                )
            if self.partner_id and current_shown == shown:
                continue
            lines.append(
                fields.Command.create(
                    {
                        "field_name": name,
                        "label": self.env["res.partner"]
                        ._fields[name]
                        .get_description(self.env)["string"],
                        "current_value": current_shown,
                        "registry_value": shown,
                        "value_ref": value.id if name == "country_id" else False,
                        "apply": True,
                    }
                )
            )
        message = False
        if problems:
            message = self.env._(
                "%(problems)s; the values below come from %(registry)s.",
                problems="; ".join(problems),
                registry=provider.name,
            )
        self.write(
            {
                "line_ids": [fields.Command.clear(), *lines],
                "state": "compare",
                "message": message,
            }
        )
        self.sudo().write({"registry_name": provider.name, "registry_answer": answer})
        return self._reopen()

    def action_manual(self):
        """Go on by hand: the existing card as it is, or a new company with the
        typed identifier and country filled in."""
        self.ensure_one()
        if self.partner_id:
            return {"type": "ir.actions.act_window_close"}
        value = compact(self.identifier)
        prefix, _number = split_vat(value)
        context = {
            "default_is_company": True,
            "default_country_id": self.country_id.id,
        }
        if prefix:
            context["default_vat"] = value
        else:
            context["default_company_registry"] = value
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "target": "current",
            "context": context,
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        self.ensure_one()
        # The lines only say which fields to take; the values are the registry's,
        # and the partner validates them as it validates a manual edit.
        answer = self.registry_answer or {}
        values = {
            line.field_name: answer[line.field_name]
            for line in self.line_ids.filtered("apply")
            if line.field_name in FILL_FIELDS and line.field_name in answer
        }
        partner = self.partner_id
        if values.get("company_registry"):
            partner._crm_registry_confirmed().add(values["company_registry"])
        if partner:
            if values:
                partner.write(values)
        else:
            if not values.get("name"):
                raise UserError(self.env._("The registry returned no company name."))
            partner = partner.create(dict(values, is_company=True))
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "target": "current",
        }


class RegistryFillLine(models.TransientModel):
    _name = "crm_extended.registry.fill.line"
    _description = "Registry Value to Fill"

    wizard_id = fields.Many2one(
        "crm_extended.registry.fill", required=True, ondelete="cascade"
    )
    field_name = fields.Char(required=True)
    label = fields.Char(string="Field", readonly=True)
    current_value = fields.Char(string="On the Card", readonly=True)
    registry_value = fields.Char(string="In the Registry", readonly=True)
    value_ref = fields.Integer()
    apply = fields.Boolean(string="Update")
