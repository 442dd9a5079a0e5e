import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services import campaign_csv

MATCH_STATES = [
    ("matched", "Matched"),
    ("ambiguous", "Ambiguous"),
    ("unknown", "Unknown"),
    ("invalid", "Invalid"),
]


class CampaignMemberImport(models.TransientModel):
    _name = "crm_extended.campaign.member.import"
    _description = "Import Campaign Members from CSV"

    campaign_id = fields.Many2one("utm.campaign", required=True)
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    status = fields.Many2one(
        "crm_extended.campaign.response.status",
        default=lambda self: self.env.ref(
            "crm_extended.campaign_status_visited_stand", raise_if_not_found=False
        ),
    )
    response_channel = fields.Selection(
        selection=lambda self: (
            self.env["crm_extended.campaign.member"]
            ._fields["response_channel"]
            .selection
        ),
        default="stand",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview")], default="upload"
    )
    line_ids = fields.One2many("crm_extended.campaign.member.import.line", "wizard_id")
    matched_count = fields.Integer(compute="_compute_counts")
    ambiguous_count = fields.Integer(compute="_compute_counts")
    unknown_count = fields.Integer(compute="_compute_counts")
    invalid_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for wizard in self:
            states = wizard.line_ids.mapped("state")
            wizard.matched_count = states.count("matched")
            wizard.ambiguous_count = states.count("ambiguous")
            wizard.unknown_count = states.count("unknown")
            wizard.invalid_count = states.count("invalid")

    def _error_text(self, code, params):
        texts = {
            "bad_ico": self.env._("not a company number: %(value)s"),
            "bad_email": self.env._("not an e-mail address: %(value)s"),
            "bad_phone": self.env._("not a phone number: %(value)s"),
            "no_identifier": self.env._("no IČO, e-mail or phone"),
            "encoding": self.env._("The file is neither UTF-8 nor Windows-1250 text."),
            "empty": self.env._("The file has no rows."),
            "no_columns": self.env._(
                "No IČO, e-mail or phone column in the header: %(header)s"
            ),
        }
        return texts[code] % params if params else texts[code]

    def _parse(self):
        try:
            return campaign_csv.parse(base64.b64decode(self.file or b""))
        except campaign_csv.CsvFormatError as error:
            raise UserError(self._error_text(error.code, error.params)) from error

    def _match_identifiers(self, rows):
        """Partners found per IČO, e-mail and phone key, each in one query."""
        icos = {r.ico for r in rows if r.ico and not r.errors}
        emails = {r.email for r in rows if r.email and not r.errors}
        phones = {r.phone_key for r in rows if r.phone_key and not r.errors}
        Partner = self.env["res.partner"]
        by_ico, by_email, by_phone = {}, {}, {}
        Partner.flush_model(["company_registry", "vat", "phone", "mobile", "active"])
        if icos:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, company_registry,
                           regexp_replace(COALESCE(vat, ''), '^[A-Za-z]{2}', '')
                      FROM res_partner
                     WHERE active
                       AND (company_registry IN %(icos)s
                            OR regexp_replace(COALESCE(vat, ''), '^[A-Za-z]{2}', '')
                               IN %(icos)s)
                    """,
                    icos=tuple(icos),
                )
            )
            for partner_id, registry, vat in self.env.cr.fetchall():
                for key in {registry, vat} & icos:
                    by_ico.setdefault(key, set()).add(partner_id)
        if emails:
            for partner in Partner.search([("email_normalized", "in", list(emails))]):
                by_email.setdefault(partner.email_normalized, set()).add(partner.id)
        if phones:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, phone_key.phone, phone_key.mobile
                      FROM res_partner,
                   LATERAL (
                    SELECT right(regexp_replace(COALESCE(phone, ''), '\\D', '', 'g'), 9)
                               AS phone,
                           right(regexp_replace(COALESCE(mobile, ''),
                                                '\\D', '', 'g'), 9)
                               AS mobile
                   ) phone_key
                     WHERE active
                       AND (phone_key.phone IN %(phones)s
                            OR phone_key.mobile IN %(phones)s)
                    """,
                    phones=tuple(phones),
                )
            )
            for partner_id, phone, mobile in self.env.cr.fetchall():
                for key in {phone, mobile} & phones:
                    by_phone.setdefault(key, set()).add(partner_id)
        # The SQL above bypasses record rules: keep only partners the user may see
        # (their companies, their customers), in one more query.
        found = set().union(*by_ico.values(), *by_phone.values())
        visible = set(Partner.search([("id", "in", list(found))]).ids) if found else ()
        by_ico, by_phone = (
            {key: ids & visible for key, ids in found_by.items() if ids & visible}
            for found_by in (by_ico, by_phone)
        )
        return by_ico, by_email, by_phone

    def _line_values(self, rows):
        by_ico, by_email, by_phone = self._match_identifiers(rows)
        Partner = self.env["res.partner"]
        values = []
        for row in rows:
            line = {
                "wizard_id": self.id,
                "row_number": row.row_number,
                "ico": row.ico,
                "email": row.email,
                "phone": row.phone,
                "name": row.name,
            }
            if row.errors:
                line["state"] = "invalid"
                line["message"] = "; ".join(
                    self._error_text(code, params) for code, params in row.errors
                )
                values.append(line)
                continue
            companies = Partner.browse(by_ico.get(row.ico, ())).commercial_partner_id
            people = Partner.browse(
                by_email.get(row.email, ()) or by_phone.get(row.phone_key, ())
            )
            candidates = people or companies
            if people and companies:
                agreeing = people.filtered(
                    lambda p, companies=companies: p.commercial_partner_id in companies
                )
                candidates = agreeing or (people | companies)
            line["candidate_ids"] = [fields.Command.set(candidates.ids)]
            if len(candidates) == 1:
                line["state"] = "matched"
                line["partner_id"] = candidates.id
            elif candidates:
                line["state"] = "ambiguous"
                line["message"] = self.env._(
                    "%(count)s partners match; choose one.", count=len(candidates)
                )
            else:
                line["state"] = "unknown"
                line["message"] = self.env._(
                    "No partner matches; choose one or fix the file."
                )
            values.append(line)
        return values

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_preview(self):
        self.ensure_one()
        rows = self._parse()
        self.line_ids.unlink()
        self.env["crm_extended.campaign.member.import.line"].create(
            self._line_values(rows)
        )
        self.state = "preview"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "upload"
        return self._reopen()

    def _check_lines(self):
        problems = []
        for line in self.line_ids.sorted("row_number"):
            if line.state == "invalid":
                problems.append(
                    self.env._(
                        "row %(row)s: %(message)s",
                        row=line.row_number,
                        message=line.message,
                    )
                )
            elif not line.partner_id:
                problems.append(
                    self.env._(
                        "row %(row)s: %(message)s",
                        row=line.row_number,
                        message=line.message or self.env._("no partner chosen"),
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "Nothing was imported. Fix these rows first:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )
        if not self.line_ids:
            raise UserError(self.env._("Preview the file before importing it."))

    def action_import(self):
        """Validate every row, then write all members at once."""
        self.ensure_one()
        self._check_lines()
        partners = self.line_ids.partner_id
        Member = self.env["crm_extended.campaign.member"]
        existing = Member.search(
            [
                ("campaign_id", "=", self.campaign_id.id),
                ("partner_id", "in", partners.ids),
            ]
        )
        update = {"response_channel": self.response_channel}
        if self.status:
            update["status"] = self.status.id
        existing.write(update)
        Member.create(
            [
                dict(update, campaign_id=self.campaign_id.id, partner_id=partner.id)
                for partner in partners - existing.partner_id
            ]
        )
        return self.campaign_id.action_view_members()


class CampaignMemberImportLine(models.TransientModel):
    _name = "crm_extended.campaign.member.import.line"
    _description = "Campaign Member Import Row"
    _order = "row_number"

    wizard_id = fields.Many2one(
        "crm_extended.campaign.member.import", required=True, ondelete="cascade"
    )
    row_number = fields.Integer(string="Row", readonly=True)
    ico = fields.Char(string="IČO", readonly=True)
    email = fields.Char(string="E-mail", readonly=True)
    phone = fields.Char(readonly=True)
    name = fields.Char(readonly=True)
    state = fields.Selection(MATCH_STATES, readonly=True)
    candidate_ids = fields.Many2many("res.partner", string="Candidates", readonly=True)
    partner_id = fields.Many2one("res.partner")
    message = fields.Char(readonly=True)
