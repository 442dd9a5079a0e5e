"""North Macedonia: registry extracts entered by hand give a dated verdict."""

import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .registry_common import RegistryTestCommon

PDF = b"%PDF-1.4\n% extract of the Central Registry\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestRegistryManualEvidence(RegistryTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vardar = cls.new_company(
            "Вардар ДООЕЛ", cls.env.ref("base.mk"), "7012345", "MK4030000375897"
        )

    def record(self, user=None, **values):
        partner = self.vardar.with_user(user) if user else self.vardar
        action = partner.action_registry_manual_entry()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.env.user)
            .with_context(**action["context"])
        )
        form.document_date = values.pop("document_date", "2026-11-20")
        form.note = values.pop(
            "note", "Тековна состојба бр. 1234/2026: активен, без стечај."
        )
        form.document = base64.b64encode(values.pop("document", PDF))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save().action_record()

    def test_no_evidence_yet_says_what_to_do(self):
        self.vardar.action_registry_check()
        self.assertEqual(self.vardar.registry_status, "unknown")
        self.assertIn("record an extract", self.vardar.registry_summary)
        # Nothing is asked over the network for North Macedonia.
        self.assertFalse(self.replay.requests)
        self.assertTrue(self.vardar.registry_manual)

    def test_extract_gives_a_dated_verdict_until_it_expires(self):
        with freeze_time("2026-11-21 09:00:00"):
            self.record(self.user_accountant, returned_name="ВАРДАР ДООЕЛ")
        check = self.checks(self.vardar)
        self.assertEqual(
            (check.outcome, check.legal_status, check.checked_by_id),
            ("found", "active", self.user_accountant),
        )
        self.assertEqual(str(check.document_date), "2026-11-20")
        self.assertEqual(str(check.valid_until), "2027-02-18")
        self.assertEqual(base64.b64decode(check.raw_payload), PDF)
        self.assertTrue(check.raw_sha256)
        self.assertIn("активен", check.note)
        self.assertEqual(self.vardar.registry_status, "ok")
        self.assertEqual(str(self.vardar.registry_verified_at.date()), "2026-11-21")
        with freeze_time("2027-03-01 09:00:00"):
            self.vardar.action_registry_check()
        self.assertEqual(self.vardar.registry_status, "unknown")
        self.assertIn("expired on 02/18/2027", self.vardar.registry_summary)

    def test_bankruptcy_in_the_extract_is_a_risk(self):
        self.record(self.user_manager, legal_status="insolvent")
        self.assertEqual(self.vardar.registry_status, "risk")
        self.assertEqual(self.vardar._registry_risk_kinds(), {"insolvency"})

    def test_only_a_pdf_from_an_accountant(self):
        with self.assertRaises(UserError):
            self.record(self.user_accountant, document=b"not a pdf")
        with self.assertRaises(AccessError):
            self.record(self.user_salesperson)
        self.assertFalse(self.checks(self.vardar))
