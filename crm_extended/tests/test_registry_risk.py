"""A registry risk shows on the card and acts on invoices and vendor payments."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .registry_risk_common import RegistryRiskCommon

NOTE = "despite a registry warning"


@tagged("post_install", "-at_install")
class TestRegistryRisk(RegistryRiskCommon):
    def notes(self, record):
        return [body for body in record.message_ids.mapped("body") if NOTE in body]

    def test_the_three_risks_show_their_reason_on_the_card(self):
        self.assertEqual(set(self.risky.mapped("registry_status")), {"risk"})
        self.assertIn(
            "ISIR (insolvency register): bankruptcy (95 INS 12575/2022, since "
            "09/13/2022).",
            self.sberbank.registry_summary,
        )
        self.assertIn(
            "Sociálna poisťovňa: debt 1,234.56\u00a0€ as of 11/30/2026",
            self.stavmont.registry_summary,
        )
        self.assertIn(
            "Finančná správa: listed with grounds for VAT deregistration "
            "(published 09/01/2026).",
            self.agro.registry_summary,
        )
        # The badge carries the reason for every card user, salespeople too.
        form = Form(self.stavmont.with_user(self.user_salesperson))
        self.assertEqual(form.registry_status, "risk")
        self.assertIn("Sociálna poisťovňa: debt", form.registry_summary)
        # Evidence of each: the ISIR proceeding as structured data.
        isir = self.checks(self.sberbank, "cz_isir")
        self.assertEqual(isir.finding_ids.file_number, "95 INS 12575/2022")
        self.assertTrue(isir.finding_ids.is_current)

    def test_the_reason_in_slovak(self):
        self.env["res.lang"]._activate_lang("sk_SK")
        self.env["ir.module.module"]._load_module_terms(["crm_extended"], ["sk_SK"])
        slovak = self.stavmont.with_context(lang="sk_SK")
        # Slovak numbers group thousands with a (no-break) space.
        self.assertIn(
            "Sociálna poisťovňa: dlh 1 234,56 € k 30.11.2026",
            slovak.registry_summary.replace("\u00a0", " "),
        )
        self.replay.scenarios["cz_isir"] = "http_503"
        self.sberbank.action_registry_check()
        summary = self.sberbank.with_context(lang="sk_SK").registry_summary
        self.assertIn(
            "ISIR (insolvenčný register) je teraz nedostupný; posledná", summary
        )
        self.assertIn("konkurz (95 INS 12575/2022, od 13.09.2022)", summary)

    def test_ended_insolvency_is_history_not_risk(self):
        kovo = self.new_company("Kovo Plzeň s.r.o.", self.cz, "26000041", "CZ26000041")
        kovo.action_registry_check()
        finding = self.checks(kovo, "cz_isir").finding_ids
        self.assertFalse(finding.is_current)
        self.assertNotEqual(kovo.registry_status, "risk")
        self.assertFalse(kovo._registry_risks())
        # ARES still lists an insolvency record: not a risk, ISIR answered.
        self.assertNotIn("insolvency record", kovo.registry_summary or "")

    def test_draft_invoice_warns_and_posting_leaves_a_note(self):
        for partner in self.risky:
            invoice = self.draft_invoice(partner, self.user_accountant)
            self.assertIn("Registry risk for", invoice.crm_registry_warning)
            invoice.action_post()
            self.assertEqual(invoice.state, "posted")
            self.assertFalse(invoice.crm_registry_warning)
            self.assertEqual(len(self.notes(invoice)), 1)
        safe = self.draft_invoice(self.cez, self.user_accountant)
        self.assertFalse(safe.crm_registry_warning)
        safe.action_post()
        self.assertFalse(self.notes(safe))

    def test_blocking_is_per_kind_of_risk(self):
        self.block("insolvency")
        for user in (self.user_accountant, self.user_internal, self.user_manager):
            with self.assertRaisesRegex(UserError, "is blocked: ISIR"):
                self.draft_invoice(self.sberbank, user).action_post()
        # Other kinds still only warn.
        invoice = self.draft_invoice(self.stavmont, self.user_internal)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.block("debtor", "unreliable_vat")
        with self.assertRaisesRegex(UserError, "Sociálna poisťovňa"):
            self.draft_invoice(self.stavmont, self.user_accountant).action_post()
        with self.assertRaisesRegex(UserError, "grounds for VAT deregistration"):
            self.draft_invoice(self.agro, self.user_accountant).action_post()
        # Blocking is per company.
        other = self.setup_other_company()["company"]
        self.assertFalse(other.crm_registry_block_debtor)

    def test_vendor_payment_warns_or_blocks(self):
        for partner in self.risky:
            bill = self.vendor_bill(partner)
            wizard = (
                self.env["account.payment.register"]
                .with_user(self.user_accountant)
                .with_context(active_model="account.move", active_ids=bill.ids)
                .create({"payment_date": "2026-12-01"})
            )
            self.assertIn("Registry risk for", wizard.crm_registry_warning)
            payment = wizard._create_payments()
            self.assertIn(payment.state, ("in_process", "paid"))
            self.assertEqual(len(self.notes(payment)), 1)
        self.block("unreliable_vat")
        bill = self.vendor_bill(self.agro)
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.user_internal)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"payment_date": "2026-12-01"})
        )
        with self.assertRaisesRegex(UserError, "Paying Agro Trnava s.r.o. is blocked"):
            wizard._create_payments()
        self.assertEqual(bill.payment_state, "not_paid")
        # Customer refunds (outbound to a customer) are not vendor payments.
        self.assertFalse(
            self.env["account.payment"]
            .new({"payment_type": "outbound", "partner_type": "customer"})
            .crm_registry_warning
        )

    def test_an_outage_keeps_the_risk_and_says_so(self):
        self.replay.scenarios["cz_isir"] = "http_503"
        self.sberbank.action_registry_check()
        newest = self.checks(self.sberbank, "cz_isir")[0]
        self.assertEqual(newest.outcome, "unknown")
        self.assertEqual(self.sberbank.registry_status, "risk")
        summary = self.sberbank.registry_summary
        self.assertIn(
            "ISIR (insolvency register) cannot be reached now; last successful check",
            summary,
        )
        self.assertIn("insolvent", summary)
        self.assertIn("bankruptcy (95 INS 12575/2022", summary)

    def test_grade_e_when_the_manager_says_so(self):
        engine = self.env["crm_extended.payment.behaviour"]
        for partner in self.stavmont | self.cez:
            invoice = self.post_invoice(partner, 100.0, "2026-10-01", "2026-10-31")
            self.pay(invoice, "2026-10-30")
        engine._refresh((self.stavmont | self.cez).ids)
        self.assertNotEqual(self.stavmont.payment_grade, "E")
        # The risk shows in the grade's reason either way.
        self.assertIn("Sociálna poisťovňa", self.stavmont.payment_grade_reason or "")
        self.env.company.crm_registry_grade_e = True
        engine._refresh((self.stavmont | self.cez).ids)
        self.stavmont.invalidate_recordset(["payment_grade_reason"])
        self.assertEqual(self.stavmont.payment_grade, "E")
        reason = self.stavmont.payment_grade_reason
        # The payment behaviour is still described as it is, then why it is E.
        self.assertIn("Grade A: paid", reason)
        self.assertIn(
            "Grade E because of a registry risk (payment behaviour alone: A)", reason
        )
        self.assertIn("Sociálna poisťovňa: debt", self.stavmont.payment_grade_reason)
        self.assertNotEqual(self.cez.payment_grade, "E")
