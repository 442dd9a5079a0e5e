import base64
import csv
import hashlib
import io
import json
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..registries import lists as list_files
from ..registries import result as res
from ..registries import verdict
from ..registries.names import normalise_ico, normalise_name, normalise_zip

_logger = logging.getLogger(__name__)
EFFECTS = [
    ("debtor", "Debtors (risk)"),
    ("unreliable_vat", "Grounds for VAT deregistration (risk)"),
    ("vat_deregistered", "VAT registration cancelled (warning)"),
    ("vat_registered", "Registered VAT payers"),
    ("bank_accounts", "Bank accounts published for VAT"),
]
MAPPING_FIELDS = {
    "ico": "column_ico",
    "vat": "column_vat",
    "name": "column_name",
    "address": "column_address",
    "zip": "column_zip",
    "city": "column_city",
    "amount": "column_amount",
    "date": "column_date",
    "iban": "column_iban",
}
# A download with fewer rows than this share of the version in force is taken
# for a broken file rather than good news.
MIN_ROW_RATIO = 0.5
RISK_EFFECTS = {"debtor", "unreliable_vat", "vat_deregistered"}


class DebtorList(models.Model):
    """A list published as a file (URL or upload): social and health insurers'
    debtors, the tax office's daily files, lists a customer adds. Each download
    is a version with its sha256; rows are imported set-based and matched to
    companies by company ID, VAT number, or name and postal code."""

    _name = "crm_extended.debtor.list"
    _description = "Published Debtor or Warning List"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider_id = fields.Many2one(
        "crm_extended.registry.provider",
        string="Registry",
        ondelete="restrict",
        help="Whose evidence a hit is. Left empty, a provider with the list's name "
        "is created.",
    )
    country_id = fields.Many2one(
        "res.country",
        help="Only companies of this country are matched (company IDs of "
        "different countries can be equal).",
    )
    effect = fields.Selection(
        EFFECTS,
        required=True,
        default="debtor",
        help="What being on the list means.",
    )
    source_type = fields.Selection(
        [("url", "Download from a URL"), ("upload", "Uploaded file")],
        required=True,
        default="url",
    )
    url = fields.Char(string="URL")
    upload = fields.Binary(string="File", attachment=True)
    upload_filename = fields.Char()
    encoding = fields.Selection(
        [
            ("auto", "Detect (UTF-8 or Windows-1250)"),
            ("utf-8", "UTF-8"),
            ("cp1250", "Windows-1250"),
        ],
        default="auto",
        required=True,
    )
    delimiter = fields.Selection(
        [
            ("auto", "Detect"),
            (";", "Semicolon"),
            (",", "Comma"),
            ("tab", "Tab"),
            ("|", "Pipe"),
        ],
        string="CSV Delimiter",
        default="auto",
        required=True,
    )
    column_ico = fields.Char(string="Company ID Column")
    column_vat = fields.Char(string="VAT Number Column")
    column_name = fields.Char(string="Name Column")
    column_address = fields.Char(string="Address Column")
    column_zip = fields.Char(string="Postal Code Column")
    column_city = fields.Char(string="Town Column")
    column_amount = fields.Char(string="Amount Column")
    column_date = fields.Char(string="Date Column")
    column_iban = fields.Char(string="IBAN Column")
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        help="Currency of the amounts in the list.",
    )
    interval_days = fields.Integer(
        string="Download Every (days)", default=1, help="For lists with a URL."
    )
    next_download_at = fields.Datetime(string="Next Download", copy=False)
    max_age_days = fields.Integer(
        string="Out of Date After (days)",
        default=45,
        help="When the version in force is older, the list's answer is 'unknown' "
        "instead of 'not listed'.",
    )
    timeout = fields.Float(string="Download Timeout", default=120.0)
    version_ids = fields.One2many(
        "crm_extended.debtor.list.version", "list_id", string="Versions"
    )
    current_version_id = fields.Many2one(
        "crm_extended.debtor.list.version",
        string="Version in Force",
        compute="_compute_current_version",
    )
    last_attempt_at = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Char(string="Last Problem", readonly=True, copy=False)

    def _compute_current_version(self):
        versions = self.env["crm_extended.debtor.list.version"].search(
            [("list_id", "in", self.ids), ("state", "=", "current")]
        )
        by_list = {version.list_id.id: version for version in versions}
        for record in self:
            record.current_version_id = by_list.get(record.id, False)

    @api.model_create_multi
    def create(self, vals_list):
        Provider = self.env["crm_extended.registry.provider"]
        for vals in vals_list:
            if not vals.get("provider_id"):
                vals["provider_id"] = Provider.create(
                    {"name": vals.get("name") or "", "code": "debtor_list"}
                ).id
        return super().create(vals_list)

    # -- import ----------------------------------------------------------------
    def _mapping(self):
        return {key: self[name] for key, name in MAPPING_FIELDS.items() if self[name]}

    def _error_text(self, error):
        """The translated sentence of a ListFormatError."""
        params = error.params
        texts = {
            "empty": lambda: self.env._("the file is empty"),
            "zip_empty": lambda: self.env._("the ZIP file holds no CSV, XML or XLSX"),
            "zip_corrupt": lambda: self.env._("the ZIP file is damaged or incomplete"),
            "too_large": lambda: self.env._("the file is too large"),
            "encoding": lambda: self.env._(
                "the file is not in the chosen encoding %(encoding)s",
                encoding=params.get("encoding"),
            ),
            "csv": lambda: self.env._(
                "the CSV file cannot be read at row %(row)s", row=params.get("row")
            ),
            "xlsx": lambda: self.env._("the Excel file is damaged"),
            "xml": lambda: self.env._("the XML file is damaged or incomplete"),
            "column_missing": lambda: self.env._(
                "the file has no column %(column)s", column=params.get("column")
            ),
            "no_identifier": lambda: self.env._(
                "map a company ID, VAT number or name column first"
            ),
            "row_short": lambda: self.env._(
                "row %(row)s has %(found)s of %(expected)s columns: the file is cut "
                "short",
                row=params.get("row"),
                found=params.get("found"),
                expected=params.get("expected"),
            ),
            "http": lambda: self.env._(
                "the server answered HTTP %(status)s", status=params.get("status")
            ),
            "download": lambda: self.env._("the server cannot be reached"),
            "shrunk": lambda: self.env._(
                "it has %(rows)s rows against %(previous)s in force: taken for a "
                "broken download",
                rows=params.get("rows"),
                previous=params.get("previous"),
            ),
        }
        return texts[error.code]() if error.code in texts else error.code

    def _import_file(self, data, filename, origin, check_shrink=True):
        """Import the bytes as a new version of this list; returns the version
        (state ``current``, or ``failed`` with the previous version in force),
        or the version in force when the file did not change."""
        self.ensure_one()
        Version = (
            self.env["crm_extended.debtor.list.version"]
            .sudo()
            .with_context(crm_debtor_list_import=True)
        )
        sha = hashlib.sha256(data or b"").hexdigest()
        current = self.sudo().current_version_id
        now = fields.Datetime.now()
        self.sudo().write({"last_attempt_at": now})
        if current and current.sha256 == sha:
            self.sudo().write({"last_error": False})
            return current
        values = {
            "list_id": self.id,
            "received_at": now,
            "origin": origin,
            "file": base64.b64encode(data) if data else False,
            "filename": filename,
            "sha256": sha,
        }
        try:
            with self.env.cr.savepoint():
                version = Version.create(dict(values, state="current"))
                count, as_of = self._copy_rows(version, data, filename)
                if (
                    check_shrink
                    and current
                    and count < current.row_count * MIN_ROW_RATIO
                ):
                    raise list_files.ListFormatError(
                        "shrunk", rows=count, previous=current.row_count
                    )
                version.invalidate_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE crm_extended_debtor_list_version SET row_count = %s,"
                        " as_of = %s WHERE id = %s",
                        count,
                        as_of,
                        version.id,
                    )
                )
        except list_files.ListFormatError as error:
            message = self._error_text(error)
            self.sudo().write({"last_error": message})
            return Version.create(
                dict(values, state="failed", error_message=message[:250])
            )
        if current:
            current.with_context(crm_debtor_list_import=True).write(
                {"state": "superseded"}
            )
            # Only the version in force keeps its rows; evidence keeps its row.
            self.env.cr.execute(
                SQL(
                    "DELETE FROM crm_extended_debtor_list_row WHERE version_id = %s",
                    current.id,
                )
            )
        self.sudo().write({"last_error": False})
        self.invalidate_recordset(["current_version_id"])
        return version

    def _copy_rows(self, version, data, filename):
        """Parse the file and COPY its rows: (row count, newest date). The whole
        file is parsed before anything is written, so a broken row leaves
        nothing behind."""
        _header, rows = list_files.read_rows(
            data,
            filename or "",
            self._mapping(),
            encoding=self.encoding,
            delimiter=self.delimiter,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        count = 0
        newest = None
        for row in rows:
            count += 1
            if row.date and (newest is None or row.date > newest):
                newest = row.date
            writer.writerow(
                (
                    version.id,
                    self.id,
                    row.number,
                    row.ico,
                    row.vat,
                    row.name,
                    row.name_key,
                    row.address,
                    row.zip,
                    row.city,
                    "" if row.amount is None else row.amount,
                    row.date or "",
                    row.iban,
                    row.raw,
                )
            )
        if not count:
            raise list_files.ListFormatError("empty")
        self.env.flush_all()
        buffer.seek(0)
        Row = self.env["crm_extended.debtor.list.row"]
        self.env.cr.copy_expert(Row._copy_sql().code, buffer)
        return count, newest

    def _download(self):
        """Download and import this list now; returns the new version."""
        self.ensure_one()
        if self.source_type == "upload":
            if not self.upload:
                raise UserError(self.env._("Upload the list's file first."))
            data = base64.b64decode(self.upload)
            return self._import_file(
                data,
                self.upload_filename or "",
                self.upload_filename,
                check_shrink=False,
            )
        if not self.url:
            raise UserError(self.env._("Set the list's URL first."))
        try:
            data = list_files.download(self.url, timeout=self.timeout or 120.0)
        except list_files.ListFormatError as error:
            message = self._error_text(error)
            self.sudo().write(
                {"last_attempt_at": fields.Datetime.now(), "last_error": message}
            )
            return (
                self.env["crm_extended.debtor.list.version"]
                .sudo()
                .with_context(crm_debtor_list_import=True)
                .create(
                    {
                        "list_id": self.id,
                        "origin": self.url,
                        "state": "failed",
                        "error_message": message[:250],
                    }
                )
            )
        filename = self.url.rsplit("/", 1)[-1].split("?", 1)[0]
        return self._import_file(data, filename, self.url)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "crm_extended.group_card_manager"
        ):
            raise AccessError(
                self.env._("Only customer card managers can import published lists.")
            )

    def action_download(self):
        """Manager button: download (or import the uploaded file) and match now."""
        self._check_manager()
        for record in self:
            version = record.sudo()._download()
            if version.state == "current":
                record.sudo()._match_and_record()
        return True

    # -- matching --------------------------------------------------------------
    def _subject_rows(self, partner_ids=None):
        """(id, country, ico, vat, name key, zip) of the companies to match:
        ``partner_ids`` or every commercial partner of the lists' countries."""
        countries = self.country_id.ids
        clauses = [SQL("partner.parent_id IS NULL"), SQL("partner.active")]
        if partner_ids is not None:
            clauses.append(SQL("partner.id = ANY(%s)", list(partner_ids)))
        if countries and not any(not record.country_id for record in self):
            clauses.append(SQL("partner.country_id = ANY(%s)", countries))
        self.env["res.partner"].flush_model(
            ["company_registry", "vat", "name", "zip", "country_id", "parent_id"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT partner.id, partner.country_id, partner.company_registry,"
                " partner.vat, partner.name, partner.zip FROM res_partner partner"
                " WHERE %s",
                SQL(" AND ").join(clauses),
            )
        )
        for pid, country, registry, vat, name, zip_code in self.env.cr.fetchall():
            vat = "".join(ch for ch in (vat or "") if ch.isalnum()).upper()
            yield (
                pid,
                country or 0,
                normalise_ico(registry) if (registry or "").strip().isdigit() else "",
                vat,
                normalise_name(name),
                normalise_zip(zip_code),
            )

    def _match(self, partner_ids=None):
        """Hits of the lists' versions in force: [(partner id, row id, list id,
        match quality)], the best match per partner and row, in one statement
        over a temporary table of the companies (filled with COPY)."""
        versions = self.sudo().current_version_id
        if not versions:
            return []
        cr = self.env.cr
        cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS crm_debtor_subject (id int,"
            " country_id int, ico text, vat text, name_key text, zip text)"
            " ON COMMIT DROP"
        )
        cr.execute("TRUNCATE crm_debtor_subject")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(self._subject_rows(partner_ids))
        buffer.seek(0)
        cr.copy_expert("COPY crm_debtor_subject FROM STDIN WITH (FORMAT csv)", buffer)
        cr.execute("ANALYZE crm_debtor_subject")
        cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (hit.partner_id, hit.row_id)
                       hit.partner_id, hit.row_id, hit.list_id, hit.quality
                  FROM (
                    SELECT s.id AS partner_id, r.id AS row_id, r.list_id,
                           'ico' AS quality, 1 AS rank, s.country_id
                      FROM crm_debtor_subject s
                      JOIN crm_extended_debtor_list_row r
                        ON r.ico = s.ico AND r.version_id = ANY(%(versions)s)
                    UNION ALL
                    SELECT s.id, r.id, r.list_id, 'vat', 2, s.country_id
                      FROM crm_debtor_subject s
                      JOIN crm_extended_debtor_list_row r
                        ON r.vat = s.vat AND r.version_id = ANY(%(versions)s)
                    UNION ALL
                    -- By name only with the same postal code, and only where one
                    -- side has no company ID: two IDs that differ are two companies.
                    -- (Empty values are NULL: they never join.)
                    SELECT s.id, r.id, r.list_id, 'name_zip', 3, s.country_id
                      FROM crm_debtor_subject s
                      JOIN crm_extended_debtor_list_row r
                        ON r.name_key = s.name_key AND r.zip = s.zip
                       AND r.version_id = ANY(%(versions)s)
                     WHERE r.ico IS NULL OR s.ico IS NULL
                  ) AS hit
                  JOIN crm_extended_debtor_list list ON list.id = hit.list_id
                 WHERE list.country_id IS NULL OR list.country_id = hit.country_id
                 ORDER BY hit.partner_id, hit.row_id, hit.rank
                """,
                versions=versions.ids,
            )
        )
        return cr.fetchall()

    def _usable(self, today=None):
        """(lists with a version in force that is recent enough, problems by list)."""
        now = fields.Datetime.now()
        usable = self.browse()
        problems = {}
        for record in self:
            version = record.current_version_id
            if not version:
                problems[record.id] = (
                    res.NOT_CONFIGURED,
                    "no version of the list has been imported yet",
                )
            elif record.max_age_days and version.received_at < fields.Datetime.subtract(
                now, days=record.max_age_days
            ):
                problems[record.id] = (
                    res.STALE,
                    f"the version in force was received on {version.received_at}",
                )
            else:
                usable |= record
        return usable, problems

    def _providers_for(self, partner):
        """List providers whose answer counts for this partner (active lists of
        its country that use lists rather than an API)."""
        providers = self.env["crm_extended.registry.provider"]
        for record in self.filtered("active"):
            provider = record.provider_id
            if not provider.active or not provider._uses_lists():
                continue
            if record.country_id and record.country_id != partner.country_id:
                continue
            providers |= provider
        return providers

    @api.model
    def _results_for(self, partners):
        """Answers of the list providers for ``partners``, as registry results:
        {partner: [(provider, RegistryResult)]}."""
        all_lists = self.sudo().search([])
        relevant = all_lists.filtered(
            lambda record: (
                record.provider_id.active and record.provider_id._uses_lists()
            )
        )
        if not relevant or not partners:
            return {}
        usable, problems = relevant._usable()
        hits = usable._match(partners.ids) if usable else []
        return relevant._results_from_hits(partners, hits, problems)

    def _results_from_hits(self, partners, hits, problems):
        rows = (
            self.env["crm_extended.debtor.list.row"]
            .sudo()
            .browse([hit[1] for hit in hits])
        )
        rows.fetch(list(rows._fields))
        rows_by_id = {row.id: row for row in rows}
        by_partner = defaultdict(list)
        for partner_id, row_id, _list_id, quality in hits:
            by_partner[partner_id].append((rows_by_id[row_id], quality))
        results = {}
        for partner in partners:
            providers = self._providers_for(partner)
            pairs = []
            for provider in providers:
                lists = self.filtered(
                    lambda record, p=provider: record.provider_id == p
                )
                pairs.append(
                    (
                        provider,
                        lists._compose(
                            provider, partner, by_partner.get(partner.id, []), problems
                        ),
                    )
                )
            results[partner] = pairs
        return results

    def _compose(self, provider, partner, partner_hits, problems):
        """One provider's answer from its lists' hits for one company."""
        query = (
            partner.company_registry
            or partner.vat
            or f"{partner.name} {partner.zip or ''}".strip()
        )
        own = [(row, quality) for row, quality in partner_hits if row.list_id in self]
        usable = self.filtered(lambda record: record.id not in problems)
        if not usable:
            kind, reason = problems[self[:1].id]
            return res.unknown(provider.code, query, reason, kind=kind)
        findings = []
        accounts = []
        flags = {}
        evidence = []
        for record in usable:
            version = record.current_version_id
            list_hits = [(row, q) for row, q in own if row.list_id == record]
            if record.effect == "vat_registered":
                flags["vat_payer"] = bool(list_hits)
            elif record.effect == "unreliable_vat":
                flags["unreliable_vat_payer"] = bool(list_hits)
            elif record.effect == "vat_deregistered" and list_hits:
                flags["vat_cancelled"] = True
            evidence.append(
                {
                    "list": record.name,
                    "version_sha256": version.sha256,
                    "received_at": fields.Datetime.to_string(version.received_at),
                    "rows": version.row_count,
                    "matched": [
                        {
                            "row": row.row_number,
                            "match": q,
                            "data": json.loads(row.raw or "{}"),
                        }
                        for row, q in list_hits
                    ],
                }
            )
            for row, quality in list_hits:
                if record.effect == "bank_accounts":
                    if row.iban:
                        accounts.append(res.BankAccount(number=row.iban))
                    continue
                kind = {
                    "debtor": res.DEBTOR,
                    "unreliable_vat": res.UNRELIABLE_VAT,
                    "vat_deregistered": res.VAT_DEREGISTERED,
                }.get(record.effect)
                if not kind:
                    continue
                as_of = fields.Date.to_string(row.as_of) if row.as_of else None
                findings.append(
                    res.Finding(
                        kind=kind,
                        amount=row.amount if record.effect == "debtor" else None,
                        currency=record.currency_id.name
                        if record.effect == "debtor"
                        else None,
                        as_of=as_of
                        or fields.Date.to_string(
                            version.as_of or version.received_at.date()
                        ),
                        ended=as_of if kind == res.VAT_DEREGISTERED else None,
                        source=record.name,
                        match=quality,
                        row=row.row_number,
                        listed_name=row.name,
                        listed_zip=row.zip,
                        listed_address=", ".join(
                            p for p in (row.address, row.city) if p
                        )
                        or None,
                        extra={
                            "list_id": record.id,
                            "list_version_id": version.id,
                            "raw_row": row.raw,
                        },
                    )
                )
        raw = json.dumps(evidence, ensure_ascii=False, sort_keys=True).encode()
        listed = bool(findings or accounts or flags.get("vat_payer"))
        return res.RegistryResult(
            provider=provider.code,
            query=query,
            outcome=res.FOUND if listed else res.NOT_FOUND,
            vat_payer=flags.get("vat_payer"),
            unreliable_vat_payer=flags.get("unreliable_vat_payer"),
            vat_cancelled=flags.get("vat_cancelled"),
            bank_accounts=accounts,
            findings=findings,
            raw=raw,
            content_type="application/json",
        )

    def _signature(self, snapshot):
        """What of a list answer is news worth evidence at import time: the risk
        findings (not the VAT status or accounts, kept by the regular checks)."""
        kinds = {res.DEBTOR, res.UNRELIABLE_VAT, res.VAT_DEREGISTERED}
        return frozenset(
            (f["kind"], f.get("source"), f.get("amount"), f.get("as_of"))
            for f in (snapshot or {}).get("findings") or []
            if f["kind"] in kinds and f.get("active", True)
        )

    def _match_and_record(self):
        """After an import: match every company against the provider's lists and
        record evidence where the answer changed (new hit, new amount, off the
        list), then update those companies' verdicts and report what changed."""
        self.ensure_one()
        provider = self.provider_id
        if not provider.active or not provider._uses_lists():
            return self.env["res.partner"]
        lists = self.sudo().search([("provider_id", "=", provider.id)])
        usable, problems = lists._usable()
        if not usable:
            return self.env["res.partner"]
        hits = usable._match()
        Partner = self.env["res.partner"].sudo()
        previous = self._previous_by_partner(provider)
        hit_ids = {hit[0] for hit in hits}
        candidates = Partner.browse(sorted(hit_ids | set(previous)))
        results = lists._results_from_hits(candidates, hits, problems)
        runner = self.env["crm_extended.registry.runner"]
        triples = []
        for partner in candidates:
            for pair_provider, result in results.get(partner, []):
                if pair_provider != provider or result.outcome == res.UNKNOWN:
                    continue
                new = verdict.snapshot_of(result)
                if self._signature(new) != self._signature(previous.get(partner.id)):
                    triples.append((partner, provider, result))
        if not triples:
            return Partner
        extra = {
            index: {"list_version_id": self.current_version_id.id}
            for index in range(len(triples))
        }
        self.env["crm_extended.registry.check"]._record_many(triples, extra=extra)
        changed = Partner.browse([partner.id for partner, _p, _r in triples])
        runner._refresh_verdicts(changed)
        for partner, pair_provider, result in triples:
            changes = runner._changes(
                [(pair_provider, result)],
                {"answered": {provider.id: previous.get(partner.id)}}
                if partner.id in previous
                else {
                    "answered": {
                        provider.id: {
                            "provider": provider.code,
                            "outcome": res.NOT_FOUND,
                        }
                    }
                },
            )
            if changes:
                runner._notify_changes(partner, changes)
        return changed

    def _previous_by_partner(self, provider):
        """{partner id: snapshot} of the newest answer of ``provider``."""
        self.env["crm_extended.registry.check"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) id FROM crm_extended_registry_check
                 WHERE provider_id = %s AND outcome != 'unknown'
                 ORDER BY partner_id, checked_at DESC, id DESC
                """,
                provider.id,
            )
        )
        checks = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
        )
        return {
            check.partner_id.id: check._snapshot()
            for check in checks
            if check.outcome == res.FOUND
        }

    # -- schedule ----------------------------------------------------------------
    @api.model
    def _cron_download(self, batch_size=1):
        """Download the lists that are due, one per batch (Odoo's cron protocol:
        the runner commits each batch and calls again while lists remain)."""
        now = fields.Datetime.now()
        self.flush_model(["next_download_at", "active", "source_type", "url"])
        due = SQL(
            "active AND source_type = 'url' AND url IS NOT NULL"
            " AND (next_download_at IS NULL OR next_download_at <= %s)",
            now,
        )
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_extended_debtor_list WHERE %s"
                " ORDER BY next_download_at NULLS FIRST, id LIMIT %s"
                " FOR NO KEY UPDATE SKIP LOCKED",
                due,
                batch_size,
            )
        )
        batch = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for record in batch:
            try:
                with self.env.cr.savepoint():
                    version = record._download()
                    if version.state == "current":
                        record._match_and_record()
            except Exception:  # one list must not stop the others
                _logger.exception("download of list %s failed", record.id)
            record.write(
                {
                    "next_download_at": fields.Datetime.add(
                        now, days=max(record.interval_days, 1)
                    )
                }
            )
        self.flush_model(["next_download_at"])
        self.env.cr.execute(
            SQL("SELECT count(*) FROM crm_extended_debtor_list WHERE %s", due)
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return len(batch), remaining
