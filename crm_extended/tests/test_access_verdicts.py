"""Issue 13, case 2: the verdicts that block risky sales are written only by the
system, and the registry fill applies only what the registry answered."""

import json

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .payment_common import TODAY, PaymentTestCommon
from .registry_common import RegistryTestCommon

FORGED = {
    "payment_grade": "A",
    "payment_grade_data": json.dumps({"grade": "A", "reason": "fast"}),
    "payment_avg_days_late": 0.0,
    "payment_on_time_ratio": 1.0,
    "payment_overdue_max_days": 0,
    "payment_overdue_amount": 0.0,
    "registry_status": "ok",
    "registry_summary": "All fine",
}


@tagged("post_install", "-at_install")
class TestVerdictsAreTheSystems(PaymentTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bad_payer = cls.new_customer("Grade E a.s.")
        cls.post_invoice(cls.bad_payer, 700.0, "2026-01-01", "2026-01-31")
        cls.engine._refresh([cls.bad_payer.id], today=TODAY)
        cls.user_salesperson.groups_id |= cls.env.ref("base.group_partner_manager")
        cls.biller = new_test_user(
            cls.env,
            login="verdict_biller",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def test_the_engine_graded_the_customer_e(self):
        self.assertEqual(self.bad_payer.payment_grade, "E")

    def test_no_user_writes_a_verdict(self):
        for user in (self.user_salesperson, self.user_manager):
            partner = self.bad_payer.with_user(user)
            for fname, value in FORGED.items():
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        partner.write({fname: value})
                    with self.assertRaises(AccessError):
                        partner.create({"name": "Forged", fname: value})
        self.env.invalidate_all()
        self.assertEqual(self.bad_payer.payment_grade, "E")
        self.assertFalse(self.bad_payer.registry_status)

    def test_the_system_still_writes_them(self):
        self.bad_payer.sudo().write({"registry_status": "risk"})
        self.assertEqual(self.bad_payer.registry_status, "risk")

    def test_salesperson_edits_the_rest_of_the_customer(self):
        self.bad_payer.with_user(self.user_salesperson).write({"street": "Nová 1"})
        self.assertEqual(self.bad_payer.street, "Nová 1")

    def test_blocking_reads_the_systems_verdict(self):
        self.env.company.crm_payment_block_posting = True
        with self.assertRaises(AccessError):
            self.bad_payer.with_user(self.user_salesperson).payment_grade = "A"
        with self.assertRaisesRegex(UserError, "cannot be posted"):
            self.post_invoice(self.bad_payer, 10.0, "2026-06-01")

    def test_billing_user_without_card_role_is_blocked_without_the_rating(self):
        self.env.company.crm_payment_block_posting = True
        invoice = (
            self.env["account.move"]
            .with_user(self.biller)
            .create({"move_type": "out_invoice", "partner_id": self.bad_payer.id})
        )
        warning = invoice.crm_payment_warning
        self.assertIn("payment risk", warning)
        self.assertNotIn("grade", warning)
        self.assertNotIn("150", warning)
        invoice.invoice_line_ids = [
            Command.create({"name": "Line", "quantity": 1, "price_unit": 10.0})
        ]
        with freeze_time(TODAY), self.assertRaisesRegex(UserError, "payment risk"):
            invoice.action_post()


@tagged("post_install", "-at_install")
class TestRegistryFillAppliesTheAnswer(RegistryTestCommon):
    def test_lines_only_choose_fields_of_the_answer(self):
        self.cez.write({"name": "CEZ", "street": "Old street 1"})
        self.user_salesperson.groups_id |= self.env.ref("base.group_partner_manager")
        wizard = (
            self.env["crm_extended.registry.fill"]
            .with_user(self.user_salesperson)
            .create({"partner_id": self.cez.id})
        )
        wizard.action_lookup()
        by_field = {line.field_name: line for line in wizard.line_ids}
        by_field["name"].registry_value = "Forged name"
        by_field["street"].field_name = "user_id"
        wizard.line_ids = [
            Command.create(
                {"field_name": "payment_grade", "registry_value": "A", "apply": True}
            ),
            Command.create(
                {"field_name": "comment", "registry_value": "forged", "apply": True}
            ),
        ]
        wizard.action_apply()
        self.assertEqual(self.cez.name, "ČEZ, a. s.")
        self.assertEqual(self.cez.street, "Old street 1")
        self.assertEqual(self.cez.user_id, self.user_salesperson)
        self.assertFalse(self.cez.payment_grade)
        self.assertFalse(self.cez.comment)

    def test_the_answer_is_kept_on_the_server(self):
        Fill = self.env["crm_extended.registry.fill"].with_user(self.user_salesperson)
        forged = {"name": "Forged s.r.o."}
        with self.assertRaises(AccessError):
            Fill.create({"identifier": "CZ45274649", "registry_answer": forged})
        wizard = Fill.create({"identifier": "CZ45274649"})
        with self.assertRaises(AccessError):
            wizard.write({"registry_answer": forged, "state": "compare"})
        wizard.action_lookup()
        self.assertEqual(wizard.registry_answer["name"], "ČEZ, a. s.")

    def test_identifier_checks_cannot_be_switched_off(self):
        """The fill wizard used to skip the checks with a context key anyone can
        send; a registry's answer is checked like a manual edit."""
        for context in ({}, {"crm_registry_data": True}):
            with self.subTest(context=context), self.assertRaises(ValidationError):
                self.cez.with_context(**context).write({"company_registry": "45274640"})
