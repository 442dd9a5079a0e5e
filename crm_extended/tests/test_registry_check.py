import hashlib
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .registry_common import RegistryTestCommon


@tagged("post_install", "-at_install")
class TestRegistryCheck(RegistryTestCommon):
    def _checks(self, partner):
        return self.env["crm_extended.registry.check"].search(
            [("partner_id", "=", partner.id)]
        )

    def test_czech_company_found_everywhere_is_ok(self):
        self.assertIs(self.cez.action_registry_check(), True)
        checks = self._checks(self.cez)
        self.assertEqual(
            sorted(checks.mapped("provider_code")),
            ["cz_adis", "cz_ares", "cz_isir", "eu_vies"],
        )
        # Not in the insolvency register is the good answer, not a warning.
        self.assertEqual(
            {c.provider_code: c.outcome for c in checks}["cz_isir"], "not_found"
        )
        self.assertEqual(self.cez.registry_status, "ok")
        self.assertTrue(self.cez.registry_checked_at)
        self.assertEqual(self.cez.registry_verified_at, self.cez.registry_checked_at)
        self.assertEqual(
            {c.provider_code: c.vat_payer_state for c in checks}["cz_adis"], "yes"
        )
        # ARES does not say whether ČEZ is a VAT payer: unknown, never "no".
        self.assertEqual(
            {c.provider_code: c.vat_payer_state for c in checks}["cz_ares"], "unknown"
        )
        ares = checks.filtered(lambda c: c.provider_code == "cz_ares")
        self.assertEqual(ares.returned_name, "ČEZ, a. s.")
        self.assertEqual(ares.legal_status, "active")
        adis = checks.filtered(lambda c: c.provider_code == "cz_adis")
        self.assertTrue(adis.vat_payer)
        self.assertIn("CZ6426000000002001268200", adis.published_bank_accounts)
        # The raw answer is an attachment whose sha256 is recorded.
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "crm_extended.registry.check"),
                ("res_id", "=", adis.id),
                ("res_field", "=", "raw_payload"),
            ]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(hashlib.sha256(attachment.raw).hexdigest(), adis.raw_sha256)
        self.assertIn(b"StatusNespolehlivySubjektRozsirenyResponse", attachment.raw)
        self.assertEqual(adis.raw_content_type, "text/xml; charset=utf-8")
        # The ADIS request went out as SOAP with the DIČ without its prefix.
        [request] = self.replay.requests_to("cz_adis")
        self.assertIn(b"<roz:dic>45274649</roz:dic>", request["body"])

    def test_several_companies_read_earlier_evidence_once(self):
        partners = self.cez | self.lidru | self.eset
        partners.action_registry_check()
        Runner = type(self.env["crm_extended.registry.runner"])
        original = Runner._latest
        reads = []

        def counting_latest(runner, partners):
            reads.append(partners)
            return original(runner, partners)

        with patch.object(Runner, "_latest", counting_latest):
            partners.action_registry_check()
        # Earlier evidence is read for the batch (before and after recording),
        # not once per company.
        self.assertEqual([len(batch) for batch in reads], [3, 3])
        self.assertEqual(len(self._checks(self.cez)), 8)

    def test_unreliable_vat_payer_is_risk(self):
        self.lidru.action_registry_check()
        self.assertEqual(self.lidru.registry_status, "risk")
        self.assertIn("unreliable VAT payer", self.lidru.registry_summary)

    def test_outages_are_unknown_never_not_found(self):
        self.replay.scenarios.update(
            {
                "cz_ares": "slow",
                "cz_adis": "error_200",
                "eu_vies": "http_503",
                "cz_isir": "garbage",
            }
        )
        self.cez.action_registry_check()
        checks = self._checks(self.cez)
        self.assertEqual(set(checks.mapped("outcome")), {"unknown"})
        self.assertTrue(all(checks.mapped("error_message")))
        self.assertEqual(self.cez.registry_status, "unknown")
        adis = checks.filtered(lambda c: c.provider_code == "cz_adis")
        self.assertIn("statusCode 2", adis.error_message)
        self.assertFalse(adis.vat_payer)
        # The slow ARES sent nothing back: no raw answer, and no pretence of one.
        ares = checks.filtered(lambda c: c.provider_code == "cz_ares")
        self.assertIn("within 0.5 s", ares.error_message)
        self.assertFalse(ares.raw_payload or ares.raw_filename or ares.raw_sha256)
        # Nothing was verified: the VAT-payer answers are unknown, not "no".
        self.assertEqual(set(checks.mapped("vat_payer_state")), {"unknown"})
        self.assertFalse(self.cez.registry_verified_at)
        self.assertEqual(
            {check.provider_code: check.error_kind for check in checks},
            {
                "cz_ares": "unreachable",
                "cz_adis": "maintenance",
                "eu_vies": "unreachable",
                "cz_isir": "malformed",
            },
        )

    def test_risk_wins_over_an_outage(self):
        self.replay.scenarios["eu_vies"] = "garbage"
        self.lidru.action_registry_check()
        self.assertEqual(self.lidru.registry_status, "risk")

    def test_not_found_is_a_warning(self):
        self.cez.write({"company_registry": "26000032", "vat": "CZ26000032"})
        self.cez.action_registry_check()
        self.assertEqual(self.cez.registry_status, "warning")

    def test_slovak_and_polish_companies(self):
        (self.eset | self.jeden).action_registry_check()
        self.assertEqual(self.eset.registry_status, "ok")
        self.assertEqual(
            sorted(self._checks(self.eset).mapped("provider_code")),
            ["eu_vies", "sk_replik", "sk_rpo"],
        )
        self.assertEqual(self.jeden.registry_status, "ok")
        self.assertEqual(
            sorted(self._checks(self.jeden).mapped("provider_code")),
            ["eu_vies", "pl_gus_regon", "pl_krs", "pl_whitelist"],
        )
        wl = self._checks(self.jeden).filtered(
            lambda c: c.provider_code == "pl_whitelist"
        )
        self.assertTrue(wl.request_id.startswith("replay-"))
        krs = self._checks(self.jeden).filtered(lambda c: c.provider_code == "pl_krs")
        self.assertIn('"regon": "002003764"', krs.returned_identifiers)

    def test_polish_companies_share_one_white_list_request(self):
        booksy = self.jeden.copy(
            {"name": "Booksy", "vat": "PL9512381607", "company_registry": "0000515914"}
        )
        (self.jeden | booksy).action_registry_check()
        [request] = self.replay.requests_to("pl_whitelist")
        self.assertEqual(request["path"], "/api/search/nips/5260202393,9512381607")
        self.assertEqual(self.jeden.registry_status, "ok")
        # KRS does not know Booksy's number in the replay: a warning, not a risk.
        self.assertEqual(booksy.registry_status, "warning")
        wl = self._checks(booksy).filtered(lambda c: c.provider_code == "pl_whitelist")
        self.assertEqual(wl.outcome, "found")
        self.assertIn("PL82249000050000460038099095", wl.published_bank_accounts)

    def test_inactive_provider_is_skipped(self):
        self.providers.filtered(lambda p: p.code == "eu_vies").active = False
        self.cez.action_registry_check()
        self.assertNotIn("eu_vies", self._checks(self.cez).mapped("provider_code"))
        self.assertFalse(self.replay.requests_to("eu_vies"))

    def test_evidence_cannot_be_changed_or_deleted(self):
        self.cez.action_registry_check()
        check = self._checks(self.cez)[:1]
        with self.assertRaises(UserError):
            check.sudo().write({"outcome": "not_found"})
        with self.assertRaises(UserError):
            check.sudo().unlink()
        with self.assertRaises(UserError):
            self.env["crm_extended.registry.check"].sudo().create(
                {
                    "partner_id": self.cez.id,
                    "provider_id": check.provider_id.id,
                    "outcome": "found",
                }
            )
        with self.assertRaises(UserError):
            check.with_user(self.user_manager).write({"outcome": "not_found"})

    def test_only_card_users_run_checks(self):
        with self.assertRaises(AccessError):
            self.cez.with_user(self.user_internal).action_registry_check()
        self.assertFalse(self.cez.registry_checked_at)

    def test_access_per_role(self):
        partner = self.cez.with_user(self.user_salesperson)
        # Salespeople run the check and see its verdict, not its evidence.
        partner.action_registry_check()
        self.assertEqual(partner.registry_status, "ok")
        with self.assertRaises(AccessError):
            partner.read(["registry_check_ids"])
        Check = self.env["crm_extended.registry.check"]
        with self.assertRaises(AccessError):
            Check.with_user(self.user_salesperson).search([])
        checks = Check.with_user(self.user_accountant).search(
            [("partner_id", "=", self.cez.id)]
        )
        self.assertEqual(len(checks), 4)
        self.assertTrue(checks[0].raw_payload)
        self.assertEqual(
            self.cez.with_user(self.user_accountant).registry_check_count, 4
        )
        provider = self.providers[:1]
        provider.credentials = "SK2020317068"
        with self.assertRaises(AccessError):
            provider.with_user(self.user_accountant).read(["credentials"])
        self.assertEqual(
            provider.with_user(self.user_manager).credentials, "SK2020317068"
        )
        with self.assertRaises(AccessError):
            provider.with_user(self.user_accountant).write({"timeout": 3})

    def test_card_shows_the_badge_to_salespeople(self):
        self.cez.action_registry_check()
        form = Form(self.cez.with_user(self.user_salesperson))
        self.assertEqual(form.registry_status, "ok")
        self.assertNotIn("registry_check_count", form._view["fields"])
        form = Form(self.cez.with_user(self.user_accountant))
        self.assertEqual(form.registry_check_count, 4)

    def test_company_without_applicable_registry(self):
        german = self.new_company("Muster GmbH", self.env.ref("base.de"), "HRB 1234")
        german.action_registry_check()
        self.assertFalse(german.registry_status)
        self.assertIn("No registry applies", german.registry_summary)
        self.assertFalse(self.replay.requests)

    def test_users_cannot_write_the_verdict(self):
        self.cez.action_registry_check()
        for user in (self.user_salesperson, self.user_manager):
            with self.assertRaises(AccessError):
                self.cez.with_user(user).write(
                    {"registry_reason_data": [{"code": "not_found", "level": "ok"}]}
                )
        self.assertEqual(self.cez.registry_status, "ok")

    def test_vies_consultation_number_with_requester(self):
        vies = self.providers.filtered(lambda p: p.code == "eu_vies")
        vies.credentials = "SK2020317068"
        self.cez.action_registry_check()
        check = self._checks(self.cez).filtered(lambda c: c.provider_code == "eu_vies")
        self.assertEqual(check.request_id, "WAPIAAAAaEDkvhHx")


@tagged("post_install", "-at_install")
class TestCompanyRegistryValidation(RegistryTestCommon):
    def test_wrong_ico_checksum_names_field_and_rule(self):
        with self.assertRaises(ValidationError) as caught:
            self.cez.company_registry = "12345678"
        message = str(caught.exception)
        self.assertIn("Company ID", message)
        self.assertIn("mod-11", message)

    def test_polish_krs_and_regon(self):
        self.jeden.company_registry = "610188201"  # REGON
        with self.assertRaises(ValidationError):
            self.jeden.company_registry = "610188202"

    def test_registry_identifier_is_never_rejected(self):
        # ARES holds active IČOs that fail the checksum: one a registry answered
        # in this transaction is accepted (the fill wizard applies it so) ...
        self.cez._crm_registry_confirmed().add("00123562")
        self.cez.company_registry = "00123562"
        self.assertEqual(self.cez.company_registry, "00123562")
        # ... but no request can claim an identifier is the registry's.
        with self.assertRaises(ValidationError):
            self.lidru.with_context(
                crm_registry_data=True
            ).company_registry = "00123570"

    def test_other_countries_are_not_checked(self):
        self.eset.write({"country_id": self.env.ref("base.de").id, "vat": False})
        self.eset.company_registry = "HRB 12345"


@tagged("post_install", "-at_install")
class TestRegistryRecheckCron(RegistryTestCommon):
    def _checks(self, partner):
        return self.env["crm_extended.registry.check"].search(
            [("partner_id", "=", partner.id)]
        )

    def setUp(self):
        super().setUp()
        # Only our own partners are due: others (demo data) count as just checked.
        ours = self.cez | self.lidru | self.eset | self.jeden
        self.env["res.partner"].search([("id", "not in", ours.ids)]).write(
            {"registry_checked_at": "2026-12-31 00:00:00"}
        )

    def test_cron_rechecks_and_reports_what_changed(self):
        with freeze_time("2026-11-01 08:00:00"):
            self.post_invoice(self.cez, 1000, "2026-10-15", "2026-11-15")
            Runner = self.env["crm_extended.registry.runner"]
            done, remaining = Runner._cron_recheck(batch_size=50)
            self.assertGreaterEqual(done, 1)
            self.assertEqual(remaining, 0)
            self.assertEqual(self.cez.registry_status, "ok")
            # Checked today: nothing is due again.
            self.assertEqual(Runner._cron_recheck(batch_size=50), (0, 0))
        self.replay.variants[("cz_adis", "45274649")] = "unreliable"
        self.env["ir.config_parameter"].set_param(
            "crm_extended.registry_accountant_login", self.user_accountant.login
        )
        with freeze_time("2026-11-09 08:00:00"):
            messages_before = self.cez.message_ids
            Runner._cron_recheck(batch_size=50)
        self.assertEqual(self.cez.registry_status, "risk")
        message = self.cez.message_ids - messages_before
        self.assertEqual(len(message), 1)
        self.assertIn("became an unreliable VAT payer", message.body)
        self.assertIn("is no longer published", message.body)
        activities = self.cez.activity_ids
        self.assertEqual(
            activities.user_id, self.user_salesperson | self.user_accountant
        )
        self.assertEqual(
            set(activities.mapped("summary")), {"Registry verdict changed"}
        )
        self.assertIn("became an unreliable VAT payer", activities[0].note)

    def test_recheck_selects_companies_with_receivables_due_again(self):
        Partner = self.env["res.partner"]
        Runner = self.env["crm_extended.registry.runner"]
        contact = Partner.create({"name": "Účtáreň ČEZ", "parent_id": self.cez.id})
        with freeze_time("2026-11-01 08:00:00"):
            # ČEZ: an open invoice addressed to its contact person.
            self.post_invoice(contact, 100, "2026-10-15")
            # LIDRU: invoiced and paid two years ago; nothing since.
            self.pay(self.post_invoice(self.lidru, 100, "2024-10-01"), "2024-10-20")
            # ESET: an open invoice, but checked two days ago.
            self.post_invoice(self.eset, 100, "2026-10-15")
            self.eset.sudo().registry_checked_at = "2026-10-30 08:00:00"
            domain = Runner._recheck_domain()
            # The companies with receivables stay in SQL (a subquery), never a
            # list of every customer's id.
            self.assertFalse(any(isinstance(term[2], list) for term in domain[:1]))
            self.assertEqual(Partner.search(domain), self.cez)
            self.assertEqual(Runner._claim(Runner._due_candidates_sql(), 10), self.cez)
        # A week after its check, ESET is due again.
        with freeze_time("2026-11-07 09:00:00"):
            self.assertEqual(
                Partner.search(Runner._recheck_domain()), self.cez | self.eset
            )

    def test_cron_works_in_batches_and_survives_a_failing_partner(self):
        Runner = self.env["crm_extended.registry.runner"]
        original = type(Runner)._apply

        def failing_apply(runner, partner, pairs, **kwargs):
            if partner == self.eset:
                raise ValueError("broken partner")
            return original(runner, partner, pairs, **kwargs)

        with (
            freeze_time("2026-11-01 08:00:00"),
            patch.object(type(Runner), "_apply", failing_apply),
        ):
            for partner in self.cez | self.lidru | self.eset:
                self.post_invoice(partner, 100, "2026-10-15")
            done, remaining = Runner._cron_recheck(batch_size=2)
            self.assertEqual(done, 2)
            self.assertEqual(remaining, 1)
            # Two Czech companies in one batch: one bulk ARES search, one ADIS call.
            self.assertEqual(
                [r["method"] for r in self.replay.requests_to("cz_ares")], ["POST"]
            )
            self.assertEqual(len(self.replay.requests_to("cz_adis")), 1)
            done, remaining = Runner._cron_recheck(batch_size=2)
            self.assertEqual((done, remaining), (1, 0))
        self.assertEqual(self.lidru.registry_status, "risk")
        self.assertEqual(self.cez.registry_status, "ok")
        # The failing partner is marked unknown, keeps no half-written evidence.
        self.assertEqual(self.eset.registry_status, "unknown")
        self.assertTrue(self.eset.registry_checked_at)
        self.assertFalse(self._checks(self.eset))


@tagged("post_install", "-at_install")
class TestRegistryRecheckClaim(RegistryTestCommon):
    def test_two_workers_never_claim_the_same_partner(self):
        # A committed company, locked by another worker's open transaction.
        main = self.env.ref("base.main_partner")
        Runner = self.env["crm_extended.registry.runner"]
        candidates = [main.id, self.cez.id]
        tomorrow = fields.Datetime.add(fields.Datetime.now(), days=1)
        with (
            patch.object(type(Runner), "_due_before", lambda runner: tomorrow),
            self.registry.cursor() as other,
        ):
            other.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                [main.id],
            )
            self.assertEqual(Runner._claim(candidates, 10), self.cez)
            other.rollback()
            # Released (the other worker committed or died): claimable again.
            self.assertEqual(Runner._claim(candidates, 10), main | self.cez)
