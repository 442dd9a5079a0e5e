import base64
import hashlib
import io
import json
import logging
import re

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..registries import lists as list_files
from .debtor_list_sql import (
    ROWS,
    SEPARATOR,
    compact_sql,
    create_rows_table,
    ico_sql,
)

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

    def init(self):
        create_rows_table(self.env.cr)

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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_versions(self):
        # Its versions are evidence (and the rows hang on them): archive it.
        if self.sudo().version_ids:
            raise UserError(
                self.env._(
                    "A list that was imported keeps its versions as evidence: "
                    "archive it instead of deleting it."
                )
            )

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
            "row_broken": lambda: self.env._(
                "row %(row)s does not have the header's %(expected)s columns: the "
                "file is cut short or damaged",
                row=params.get("row"),
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
                    "DELETE FROM %s WHERE version_id = %s",
                    SQL.identifier(ROWS),
                    current.id,
                )
            )
        self.sudo().write({"last_error": False})
        self.invalidate_recordset(["current_version_id"])
        return version

    def _copy_rows(self, version, data, filename):
        """COPY the file as published into a staging table, then keep every row
        with its match keys in one INSERT ... SELECT: (row count, newest date).
        A row COPY cannot read (a file cut short, a damaged encoding) raises
        ListFormatError and nothing is kept."""
        table = list_files.tabular(
            data, filename or "", encoding=self.encoding, delimiter=self.delimiter
        )
        columns = list_files.resolve_columns(table.header, self._mapping())
        cr = self.env.cr
        staging = [f"c{index}" for index in range(len(table.header))]
        cr.execute("DROP TABLE IF EXISTS crm_debtor_staging")
        cr.execute(
            SQL(
                "CREATE TEMP TABLE crm_debtor_staging (%s) ON COMMIT DROP",
                SQL(", ").join(SQL("%s text", SQL.identifier(c)) for c in staging),
            )
        )
        # COPY options take no bind parameters: mogrify quotes them. Empty
        # fields stay empty strings (not NULL), so a row joins back as it was.
        copy = cr.mogrify(
            f"COPY crm_debtor_staging ({', '.join(staging)}) FROM STDIN WITH"
            f" (FORMAT csv, HEADER %s, DELIMITER %s, ENCODING %s,"
            f" FORCE_NOT_NULL ({', '.join(staging)}))",
            (table.has_header, table.delimiter, table.encoding),
        )
        try:
            cr.copy_expert(copy, io.BytesIO(table.data))
        except psycopg2.Error as exc:
            raise self._copy_error(exc, table) from exc

        def column(field_name):
            if field_name not in columns:
                return SQL("NULL::text")
            return SQL.identifier(staging[columns[field_name]])

        # One statement keys every row: its company ID, VAT number, IBAN and
        # postal code, and the row as published. Name keys are worked out when
        # a company could be matched by name (see _fill_name_keys).
        cr.execute(
            SQL(
                """
                INSERT INTO %(rows)s
                    (version_id, list_id, row_number, ico, vat, iban, zip, raw)
                SELECT %(version)s, %(list)s,
                       -- a freshly copied table is read in file order
                       row_number() OVER (), %(ico)s, %(vat)s, %(iban)s,
                       %(zip)s, concat_ws(%(separator)s, %(values)s)
                  FROM crm_debtor_staging
                """,
                rows=SQL.identifier(ROWS),
                version=version.id,
                list=self.id,
                ico=ico_sql(column("ico")),
                vat=compact_sql(column("vat")),
                iban=compact_sql(column("iban")),
                zip=compact_sql(column("zip")),
                separator=SEPARATOR,
                values=SQL(", ").join(SQL.identifier(c) for c in staging),
            )
        )
        count = cr.rowcount
        if not count:
            raise list_files.ListFormatError("empty")
        newest = None
        if "date" in columns:
            # Few distinct dates in a list: parsed here, by the Python rules.
            cr.execute(
                SQL("SELECT DISTINCT %s FROM crm_debtor_staging", column("date"))
            )
            dates = [list_files.parse_date(value) for (value,) in cr.fetchall()]
            newest = max((date for date in dates if date), default=None)
        layout = json.dumps({"header": table.header, "fields": columns})
        cr.execute(
            SQL(
                "UPDATE crm_extended_debtor_list_version SET columns = %s"
                " WHERE id = %s",
                layout,
                version.id,
            )
        )
        return count, newest

    def _copy_error(self, exc, table):
        """ListFormatError for what COPY refused, with the row when it says it."""
        context = getattr(exc.diag, "context", None) or ""
        match = re.search(r"line (\d+)", context)
        row = int(match.group(1)) - (1 if table.has_header else 0) if match else "?"
        if isinstance(
            exc,
            psycopg2.errors.CharacterNotInRepertoire
            | psycopg2.errors.UntranslatableCharacter,
        ):
            return list_files.ListFormatError("encoding", encoding=table.encoding)
        message = (exc.diag.message_primary or "").lower()
        if "missing data" in message or "extra data" in message:
            return list_files.ListFormatError(
                "row_broken", row=row, expected=len(table.header)
            )
        return list_files.ListFormatError("csv", row=row, error=str(exc))

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
            record.sudo()._download_and_match()
        return True

    def _download_and_match(self):
        """Download, import and, when a new version came into force, match it
        (reporting changes unless it is the list's first version)."""
        self.ensure_one()
        before = self.current_version_id
        version = self._download()
        if version.state == "current" and version != before:
            self._match_and_record(notify=bool(before))
        return version

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
                    record._download_and_match()
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
