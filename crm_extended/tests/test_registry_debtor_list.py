"""Published debtor lists: versions, set-based import, matching, evidence."""

import base64
import hashlib
import json

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.debtor_list_sql import compact_sql, has_unaccent, ico_sql, name_key_sql
from ..registries import names
from .registry_common import RegistryTestCommon
from .registry_replay.server import FIXTURES


@tagged("post_install", "-at_install")
class TestDebtorList(RegistryTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.socpoist = cls.use_list(
            "debtor_list_sk_socpoist", url=cls.replay.list_url("socpoist.csv")
        )
        cls.stavmont = cls.new_company(
            "Stavmont Žilina s.r.o.", cls.sk, "46200011", zip="010 01"
        )
        # Same name, no IČO on the card, another town than the list's row: not it.
        cls.stavmont_ke = cls.new_company(
            "Stavmont Žilina s.r.o.", cls.sk, None, zip="080 01", city="Prešov"
        )
        cls.novak = cls.new_company("Ján Novák - NOVASTAV", cls.sk, zip="90301")
        cls.mlyn = cls.new_company("Mlyn Nitra a.s.", cls.sk, "46200045")
        cls.czech_twin = cls.new_company("Stavmont CZ", cls.cz, "46200011")

    def rows(self, version):
        """(company ID, postal code, name key, row as published) of a version."""
        self.env.cr.execute(
            "SELECT ico, zip, name_key, raw FROM crm_extended_debtor_list_row"
            " WHERE version_id = %s ORDER BY row_number",
            [version.id],
        )
        return self.env.cr.fetchall()

    def download(self, record=None):
        record = record or self.socpoist
        record.with_user(self.user_manager).action_download()
        return record.current_version_id

    def test_import_keeps_the_version_with_its_sha256(self):
        version = self.download()
        self.assertEqual(len(self.replay.requests_to("lists")), 1)
        raw = (
            self.env["ir.attachment"]
            .search(
                [
                    ("res_model", "=", version._name),
                    ("res_id", "=", version.id),
                    ("res_field", "=", "file"),
                ]
            )
            .raw
        )
        self.assertEqual(version.sha256, hashlib.sha256(raw).hexdigest())
        self.assertEqual((version.state, version.row_count), ("current", 3))
        self.assertEqual(str(version.as_of), "2026-11-30")
        rows = self.rows(version)
        self.assertEqual([row[0] for row in rows], ["46200011", None, None])
        self.assertEqual([row[1] for row in rows], ["01001", "04001", "90301"])
        # Name keys: for the rows without IČO (they are matched by name).
        self.assertEqual(
            [row[2] for row in rows][1:], ["stavmontzilinasro", "jannovaknovastav"]
        )
        self.assertIsNone(rows[0][2], "a row with IČO is compared by IČO")
        self.assertEqual(rows[0][3].split("\x1f")[5], "1 234,56")
        # Downloading the same file again makes no new version.
        self.download()
        self.assertEqual(len(self.socpoist.version_ids), 1)

    def test_hits_are_evidence_with_version_row_and_match(self):
        self.download()
        checks = self.checks(self.stavmont, "debtor_list")
        self.assertEqual(len(checks), 1)
        self.assertEqual(checks.outcome, "found")
        self.assertEqual(checks.provider_id, self.socpoist.provider_id)
        self.assertEqual(checks.list_version_id, self.socpoist.current_version_id)
        self.assertEqual(checks.match_quality, "ico")
        [finding] = checks.finding_ids
        self.assertEqual(
            (finding.kind, finding.amount, str(finding.as_of), finding.list_row),
            ("debtor", 1234.56, "2026-11-30", 1),
        )
        published = json.loads(finding.raw_row)
        self.assertEqual(published["IČO"], "46200011")
        self.assertEqual(published["Dlžná suma v €"], "1 234,56")
        raw = base64.b64decode(checks.raw_payload)
        self.assertEqual(checks.raw_sha256, hashlib.sha256(raw).hexdigest())
        self.assertIn(self.socpoist.current_version_id.sha256.encode(), raw)
        self.assertEqual(self.stavmont.registry_status, "risk")
        self.assertIn("Sociálna poisťovňa: debt", self.stavmont.registry_summary)
        # The Košice row has the same name but no IČO and another PSČ; the
        # Prešov company of that name is not on the list either.
        self.assertFalse(self.checks(self.stavmont_ke))
        self.assertFalse(self.stavmont_ke.registry_status)
        # A Czech company with the same number is another company.
        self.assertFalse(self.checks(self.czech_twin))
        # Matched by name and postal code, and said so.
        novak = self.checks(self.novak)
        self.assertEqual(novak.match_quality, "name_zip")
        self.assertIn("matched by name and postal code", self.novak.registry_summary)

    def test_slovak_reader_sees_slovak_amount_and_date(self):
        self.env["res.lang"]._activate_lang("sk_SK")
        self.download()
        summary = self.stavmont.with_context(lang="sk_SK").registry_summary
        self.assertIn("1\u00a0234,56\u00a0€", summary.replace(" ", "\u00a0"))
        self.assertIn("30.11.2026", summary)

    def test_list_that_changes_between_downloads(self):
        self.download()
        messages = self.stavmont.message_ids
        self.replay.variants[("lists", "socpoist")] = "v2"
        with freeze_time("2027-01-05 06:00:00"):
            version = self.download()
        self.assertEqual(version.row_count, 4)
        old = self.socpoist.version_ids - version
        self.assertEqual(old.state, "superseded")
        # Only the version in force keeps rows; the evidence keeps its row.
        self.assertFalse(self.rows(old))
        newest = self.checks(self.stavmont, "debtor_list")[0]
        self.assertEqual(newest.finding_ids.amount, 2468.0)
        self.assertIn("2,468.00", self.stavmont.registry_summary)
        self.assertIn(
            "New: Sociálna poisťovňa: debt 2,468.00&nbsp;€ as of 12/31/2026",
            self._changes_posted(messages),
        )
        # Newly listed: evidence, risk, and a "what changed" note.
        mlyn = self.checks(self.mlyn, "debtor_list")
        self.assertEqual(mlyn.outcome, "found")
        self.assertEqual(self.mlyn.registry_status, "risk")
        self.assertIn(
            "New: Sociálna poisťovňa: debt 45,120.00",
            " ".join(self.mlyn.message_ids.mapped("body")),
        )

    def test_first_version_of_a_list_posts_no_change_notes(self):
        messages = self.stavmont.message_ids
        self.download()
        self.assertEqual(self.stavmont.registry_status, "risk")
        self.assertEqual(self.stavmont.message_ids, messages)

    def _changes_posted(self, before):
        return " ".join((self.stavmont.message_ids - before).mapped("body"))

    def test_truncated_or_corrupt_file_keeps_the_version_in_force(self):
        in_force = self.download()
        self.replay.variants[("lists", "socpoist")] = "truncated"
        self.download()
        failed = self.socpoist.version_ids[0]
        self.assertEqual(failed.state, "failed")
        self.assertIn("cut short", failed.error_message)
        self.assertTrue(failed.sha256)
        self.assertEqual(self.socpoist.current_version_id, in_force)
        self.assertIn("cut short", self.socpoist.last_error)
        union = self.use_list(
            "debtor_list_sk_union", url=self.replay.list_url("union.zip")
        )
        good = self.download(union)
        self.assertEqual(good.row_count, 4)
        self.replay.variants[("lists", "union")] = "corrupt"
        self.download(union)
        self.assertEqual(union.version_ids[0].state, "failed")
        self.assertIn("damaged", union.version_ids[0].error_message)
        self.assertEqual(union.current_version_id, good)
        self.assertEqual(len(self.rows(good)), 4)
        # The list keeps answering from the version in force.
        self.stavmont.action_registry_check()
        answer = self.checks(self.stavmont, "debtor_list").filtered(
            lambda c: c.provider_id == union.provider_id
        )[0]
        self.assertEqual(answer.outcome, "found")

    def test_outage_of_the_list_server_is_not_a_clean_record(self):
        self.replay.scenarios["lists"] = "http_503"
        self.download()
        self.assertFalse(self.socpoist.current_version_id)
        self.assertIn("HTTP 503", self.socpoist.last_error)
        self.stavmont.action_registry_check()
        answer = self.checks(self.stavmont, "debtor_list")
        self.assertEqual(answer.outcome, "unknown")
        self.assertEqual(answer.error_kind, "not_configured")
        self.assertEqual(self.stavmont.registry_status, "unknown")

    def test_out_of_date_version_answers_unknown(self):
        with freeze_time("2026-11-30 06:00:00"):
            self.download()
        with freeze_time("2027-03-01 06:00:00"):
            self.stavmont.action_registry_check()
        answer = self.checks(self.stavmont, "debtor_list")[0]
        self.assertEqual((answer.outcome, answer.error_kind), ("unknown", "stale"))
        self.assertIn("out of date", self.stavmont.registry_summary)

    def test_xlsx_and_xml_lists(self):
        vszp = self.use_list(
            "debtor_list_sk_vszp", url=self.replay.list_url("vszp.xlsx")
        )
        dovera = self.use_list(
            "debtor_list_sk_dovera", url=self.replay.list_url("dovera.xml")
        )
        agro = self.new_company("Agro Trnava s.r.o.", self.sk, "46200029")
        drevo = self.new_company("Drevo Prešov, s.r.o.", self.sk, "46200037")
        self.assertEqual(self.download(vszp).row_count, 2)
        self.assertEqual(self.download(dovera).row_count, 1)
        self.assertEqual(self.checks(agro, "debtor_list").finding_ids.amount, 310.5)
        self.assertEqual(self.checks(drevo, "debtor_list").finding_ids.amount, 77.7)

    def test_uploaded_file(self):
        data = (FIXTURES / "lists" / "socpoist.csv").read_bytes()
        self.socpoist.write(
            {
                "source_type": "upload",
                "upload": base64.b64encode(data),
                "upload_filename": "dlznici.csv",
            }
        )
        version = self.download()
        self.assertEqual((version.origin, version.row_count), ("dlznici.csv", 3))
        self.assertFalse(self.replay.requests)

    @freeze_time("2026-12-01 09:00:00")
    def test_import_is_set_based(self):
        """As many statements for 3 rows as for 3,000: COPY and one INSERT.

        At a frozen time: an import writes the list's last attempt, and the ORM
        skips writing a value equal to the cached one, so imports started in the
        same second and in different seconds counted one statement apart."""
        header = "Názov/Meno;IČO;Ulica;Obec;PSČ;Dlžná suma v €;Dlh k dátumu"

        def statements(rows):
            lines = [header] + [
                f"Firma {n} s.r.o.;{40000000 + n};Ulica {n};Obec;811 01;1,00;30.11.2026"
                for n in range(rows)
            ]
            data = ("\r\n".join(lines) + "\r\n").encode("cp1250")
            before = self.env.cr.sql_log_count
            version = self.socpoist._import_file(data, "list.csv", "test")
            self.env.flush_all()  # count this import's pending writes, not the next's
            self.assertEqual(version.row_count, rows)
            return self.env.cr.sql_log_count - before

        statements(2)  # the first version: nothing to supersede yet
        self.assertEqual(statements(3), statements(3000))

    def test_only_managers_import_and_configure(self):
        with self.assertRaises(AccessError):
            self.socpoist.with_user(self.user_accountant).action_download()
        with self.assertRaises(AccessError):
            self.socpoist.with_user(self.user_accountant).write({"url": "http://x"})
        with self.assertRaises(AccessError):
            self.socpoist.with_user(self.user_salesperson).read(["name"])
        self.download()
        version = self.socpoist.with_user(self.user_accountant).current_version_id
        self.assertEqual(version.row_count, 3)
        with self.assertRaises(Exception):  # noqa: B017 (UserError or AccessError)
            version.with_user(self.user_manager).write({"row_count": 1})

    def test_cron_downloads_due_lists(self):
        Lists = self.env["crm_extended.debtor.list"]
        done, remaining = Lists._cron_download()
        self.assertEqual((done, remaining), (1, 0))
        self.assertEqual(self.socpoist.current_version_id.row_count, 3)
        self.assertTrue(self.socpoist.next_download_at)
        self.assertEqual(Lists._cron_download(), (0, 0))

    def test_sql_rules_are_the_python_rules(self):
        """The import keys rows in SQL as registries/names.py does in Python."""
        unaccent = has_unaccent(self.env.cr)
        cases = {
            names.normalise_name: (
                lambda value: name_key_sql(SQL("%s", value), unaccent),
                [
                    "ESET, spol. s r.o.",
                    "Drevo Prešov, s.r.o. v likvidácii",
                    "JEDEN SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
                    "Jeden sp. z o.o.",
                    "ŽILINA-STAV, k.s.",
                    "  Dvojitá   medzera  ",
                    "Öl & Gas a.s.",
                    "Łódź Spółka Akcyjna",
                    "",
                ],
            ),
            names.ico_key: (
                lambda value: ico_sql(SQL("%s", value)),
                ["31333532", "00121100", "31 333 532", "00000000", "HRB 12", ""],
            ),
            names.normalise_zip: (
                lambda value: compact_sql(SQL("%s", value)),
                ["851 01", "00-189", "sk 2020 317 068", ""],
            ),
        }
        for python, (in_sql, values) in cases.items():
            for value in values:
                self.env.cr.execute(SQL("SELECT %s", in_sql(value)))
                with self.subTest(rule=python.__name__, value=value):
                    self.assertEqual(self.env.cr.fetchone()[0], python(value) or None)
        # Without unaccent, the translate() fallback folds Central European letters.
        for value in ("Žilina Ťahanovce Ľubica Ořechov Łódź", "Öl Straße"):
            self.env.cr.execute(SQL("SELECT %s", name_key_sql(SQL("%s", value), False)))
            if "ß" not in value:
                self.assertEqual(self.env.cr.fetchone()[0], names.normalise_name(value))
