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
DECISIONS = [
    ("add", "Add"),
    ("create", "Create contact"),
    ("skip", "Skip"),
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
    mismatch_count = fields.Integer(compute="_compute_counts")
    columns_help = fields.Text(compute="_compute_columns_help")
    columns_read = fields.Char(
        readonly=True, help="The columns of the file that were read, and those ignored."
    )

    @api.depends("line_ids.state", "line_ids.name_mismatch")
    def _compute_counts(self):
        for wizard in self:
            states = wizard.line_ids.mapped("state")
            wizard.matched_count = states.count("matched")
            wizard.ambiguous_count = states.count("ambiguous")
            wizard.unknown_count = states.count("unknown")
            wizard.invalid_count = states.count("invalid")
            wizard.mismatch_count = len(wizard.line_ids.filtered("name_mismatch"))

    def _column_labels(self):
        return {
            "ico": self.env._("Company ID (IČO, NIP, ЕДБ)"),
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "name": self.env._("Company"),
            "contact": self.env._("Contact person"),
            "note": self.env._("Note"),
        }

    @api.depends_context("lang")
    def _compute_columns_help(self):
        labels = self._column_labels()
        lines = [
            self.env._(
                "%(column)s: a column headed %(headers)s",
                column=labels[key],
                headers=", ".join(campaign_csv.headers_of(key)),
            )
            for key in campaign_csv.COLUMNS
        ]
        text = "\n".join(
            [
                self.env._(
                    "The first line of the file names its columns (comma, semicolon or "
                    "tab separated; UTF-8 or Windows-1250). These are read, whatever "
                    "the case and accents; every other column is ignored:"
                ),
                *lines,
                self.env._(
                    "A row needs an IČO, an e-mail or a phone. Rows that match nobody "
                    "can become new contacts."
                ),
            ]
        )
        for wizard in self:
            wizard.columns_help = text

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
            rows, read, ignored = campaign_csv.parse_file(
                base64.b64decode(self.file or b"")
            )
        except campaign_csv.CsvFormatError as error:
            raise UserError(self._error_text(error.code, error.params)) from error
        labels = self._column_labels()
        self.columns_read = self.env._(
            "Read: %(read)s. Ignored: %(ignored)s.",
            read=", ".join(
                f"{labels[key]} ({read[key]})"
                for key in campaign_csv.COLUMNS
                if key in read
            ),
            ignored=", ".join(ignored) or self.env._("none"),
        )
        return rows

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
        can_create = Partner.has_access("create")
        values = []
        for row in rows:
            line = {
                "wizard_id": self.id,
                "row_number": row.row_number,
                "ico": row.ico,
                "email": row.email,
                "phone": row.phone,
                "name": row.name,
                "contact": row.contact,
                "note": row.note,
                "decision": "add",
            }
            if row.errors:
                line["state"] = "invalid"
                line["decision"] = "skip"
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
            elif can_create:
                line["state"] = "unknown"
                line["decision"] = "create"
                line["message"] = self.env._(
                    "No partner matches: a new contact is created from the row, "
                    "unless you choose one or skip the row."
                )
            else:
                line["state"] = "unknown"
                line["decision"] = "skip"
                line["message"] = self.env._(
                    "No partner matches and you may not create contacts: choose one "
                    "or the row is skipped."
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
        """Only a row that must be added without a chosen partner stops the import."""
        if not self.line_ids:
            raise UserError(self.env._("Preview the file before importing it."))
        problems = [
            self.env._(
                "row %(row)s: %(message)s",
                row=line.row_number,
                message=line.message or self.env._("no partner chosen"),
            )
            for line in self.line_ids.sorted("row_number")
            if line.decision == "add" and not line.partner_id
        ]
        if problems:
            raise UserError(
                self.env._(
                    "Nothing was imported. Choose the partner of these rows, or "
                    "create a contact from them, or skip them:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )

    def action_import(self):
        """Add the rows to the campaign at once and say what happened.

        Rows marked "create contact" become new contacts first; rows marked
        "skip" are left out; partners already in the campaign get the new status
        and note. Nothing is written when a row still needs a choice.
        """
        self.ensure_one()
        self._check_lines()
        lines = self.line_ids.filtered(lambda line: line.decision != "skip")
        created = lines.filtered(
            lambda line: line.decision == "create"
        )._create_contacts()
        by_partner = {}
        for line in lines.sorted("row_number"):
            by_partner.setdefault(line.partner_id, []).append(line)
        Member = self.env["crm_extended.campaign.member"]
        existing = Member.search(
            [
                ("campaign_id", "=", self.campaign_id.id),
                ("partner_id", "in", [partner.id for partner in by_partner]),
            ]
        )
        update = {"response_channel": self.response_channel}
        if self.status:
            update["status"] = self.status.id
        for member in existing:
            notes = [line.note for line in by_partner[member.partner_id] if line.note]
            member.write(
                dict(update, note=self._joined_note(member.note, notes))
                if notes
                else update
            )
        new_partners = [p for p in by_partner if p not in existing.partner_id]
        Member.create(
            [
                dict(
                    update,
                    campaign_id=self.campaign_id.id,
                    partner_id=partner.id,
                    note=self._joined_note(
                        False, [line.note for line in by_partner[partner] if line.note]
                    ),
                )
                for partner in new_partners
            ]
        )
        summary = self.env._(
            "%(added)s added, %(existing)s already a member, %(skipped)s skipped",
            added=len(new_partners),
            existing=len(existing),
            skipped=len(self.line_ids) - len(lines),
        )
        if created:
            summary = self.env._(
                "%(summary)s; %(created)s new contacts created",
                summary=summary,
                created=len(created),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "Import into %(campaign)s", campaign=self.campaign_id.title
                ),
                "message": summary,
                "type": "success",
                "sticky": False,
                "next": self.campaign_id.action_view_members(),
            },
        }

    @staticmethod
    def _joined_note(existing, notes):
        return "\n".join(note for note in [existing, *notes] if note) or False


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
    contact = fields.Char(string="Contact Person", readonly=True)
    note = fields.Text()
    candidate_ids = fields.Many2many("res.partner", string="Candidates", readonly=True)
    partner_id = fields.Many2one("res.partner")
    decision = fields.Selection(
        DECISIONS,
        required=True,
        default="add",
        help="Add the chosen partner, create a new contact from the row, or leave the "
        "row out.",
    )
    name_mismatch = fields.Boolean(
        string="Other Company",
        compute="_compute_name_mismatch",
        store=True,
        help="The company named in the file is not the company of the partner found.",
    )
    message = fields.Char(readonly=True)

    @api.depends("partner_id", "name")
    def _compute_name_mismatch(self):
        for line in self:
            known = line.partner_id.commercial_partner_id.name
            line.name_mismatch = bool(
                line.name and known and not campaign_csv.names_match(line.name, known)
            )

    @api.onchange("partner_id")
    def _onchange_partner_id_decision(self):
        if self.partner_id and self.decision == "create":
            self.decision = "add"

    def _create_contacts(self):
        """New partners for the rows to create: the company named in the row (or
        found by its IČO) and, when the row names a person, that person in it."""
        Partner = self.env["res.partner"]
        created = Partner
        for line in self:
            company = line.candidate_ids.filtered("is_company")[:1]
            if not company and (line.name or line.ico):
                company = Partner.create(
                    {
                        "name": line.name or line.ico,
                        "is_company": True,
                        "company_registry": line.ico or False,
                        "email": False if line.contact else line.email or False,
                        "phone": False if line.contact else line.phone or False,
                    }
                )
                created |= company
            partner = company
            if line.contact or not company:
                partner = Partner.create(
                    {
                        "name": line.contact or line.email or line.phone,
                        "parent_id": company.id or False,
                        "email": line.email or False,
                        "phone": line.phone or False,
                    }
                )
                created |= partner
            line.partner_id = partner
        return created
