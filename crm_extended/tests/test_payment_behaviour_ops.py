"""Payment behaviour: recompute, access, trust, invoice warnings, settings."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .payment_common import TODAY, PaymentTestCommon

CURSOR = "crm_extended.payment_rebuild_cursor"


@tagged("post_install", "-at_install")
class TestPaymentBehaviourOps(PaymentTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late_payer = cls.new_customer("Late Payer s.r.o.")
        invoice = cls.post_invoice(cls.late_payer, 1000.0, "2026-01-01", "2026-01-31")
        cls.pay(invoice, "2026-04-01")  # 60 days late: D
        cls.bad_payer = cls.new_customer("Bad Payer a.s.")
        cls.post_invoice(cls.bad_payer, 700.0, "2026-01-01", "2026-01-31")
        cls.engine._refresh([cls.late_payer.id, cls.bad_payer.id], today=TODAY)

    # -- incremental recompute -------------------------------------------------
    def test_reconciliation_recomputes_only_the_touched_partner(self):
        other = self.new_customer("Untouched s.r.o.")
        self.env.cr.execute(
            'UPDATE res_partner SET payment_grade = \'{"%s": "C"}\'::jsonb'
            " WHERE id = %s",
            (self.env.company.id, other.id),
        )
        self.env.cr.precommit.data.pop("crm_extended.payment_touched", None)
        invoice = self.post_invoice(self.bad_payer, 50.0, "2026-06-01", "2026-06-10")
        self.pay(invoice, "2026-06-12")
        touched = self.env.cr.precommit.data["crm_extended.payment_touched"]
        self.assertEqual(touched, {self.bad_payer.id})
        with freeze_time(TODAY):
            self.env.cr.flush()  # runs the precommit recompute
        self.assertNotIn("crm_extended.payment_touched", self.env.cr.precommit.data)
        self.env.invalidate_all()
        self.assertEqual(self.bad_payer.payment_avg_days_late, 2.0)
        self.assertEqual(self.bad_payer.payment_grade, "E")
        self.assertEqual(other.payment_grade, "C")  # not recomputed

    def test_unreconcile_recomputes(self):
        with freeze_time(TODAY):
            self.env.cr.flush()
            self.assertEqual(self.late_payer.payment_grade, "D")
            lines = self.late_payer.invoice_ids.line_ids.filtered("reconciled")
            lines.remove_move_reconcile()
            self.env.cr.flush()
        self.env.invalidate_all()
        self.assertEqual(self.late_payer.payment_grade, "E")  # 150 days overdue

    def test_refresh_query_count_does_not_grow_with_partners(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Bulk {n}", "is_company": True} for n in range(20)]
        )
        for partner in partners:
            invoice = self.post_invoice(partner, 100.0, "2026-05-01", "2026-05-31")
            self.pay(invoice, "2026-06-05")
        self.engine._refresh(partners[:1].ids, today=TODAY)  # warm-up
        for batch in (partners[1:2], partners):
            self.env.flush_all()
            self.env.cr.execute("UPDATE res_partner SET payment_grade = NULL")
            # The SQL pass, the companies' thresholds, the current values, one UPDATE.
            with self.assertQueryCount(4):
                self.engine._refresh(batch.ids, today=TODAY)
        self.assertEqual(partners[-1].payment_grade, "B")

    # -- nightly rebuild -------------------------------------------------------
    def test_rebuild_resumes_after_the_stored_cursor(self):
        params = self.env["ir.config_parameter"].sudo()
        first, second = self.late_payer, self.bad_payer
        self.assertLess(first.id, second.id)
        self.env.cr.execute(
            "UPDATE res_partner SET payment_grade = NULL WHERE id IN %s",
            ((first.id, second.id),),
        )
        self.env.cr.execute("DELETE FROM crm_extended_payment_snapshot")
        # A previous run crashed after the batch that ended with `first`.
        params.set_param(CURSOR, str(first.id))
        with freeze_time(TODAY):
            done = self.engine._cron_rebuild(batch_size=2, commit=False)
        self.env.invalidate_all()
        self.assertFalse(first.payment_grade)  # before the cursor: left alone
        self.assertEqual(second.payment_grade, "E")
        self.assertFalse(params.get_param(CURSOR))
        self.assertGreaterEqual(done, 1)
        with freeze_time(TODAY):
            self.engine._cron_rebuild(batch_size=2, commit=False)
        self.env.invalidate_all()
        self.assertEqual(first.payment_grade, "D")
        self.assertTrue(
            self.env["crm_extended.payment.snapshot"].search(
                [("partner_id", "=", first.id)]
            )
        )

    # -- access ----------------------------------------------------------------
    def test_salesperson_sees_grade_and_trend_but_no_amounts(self):
        partner = self.late_payer.with_user(self.user_salesperson)
        values = partner.read(
            ["payment_grade", "payment_grade_reason", "payment_avg_days_late"]
        )[0]
        self.assertEqual(values["payment_grade"], "D")
        self.assertIn("60.0 days late", values["payment_grade_reason"])
        for field in ("payment_overdue_amount", "payment_ageing_over_90"):
            with self.assertRaises(AccessError):
                partner.read([field])
        snapshots = self.env["crm_extended.payment.snapshot"].with_user(
            self.user_salesperson
        )
        trend = snapshots.search_read(
            [("partner_id", "=", self.late_payer.id)], ["month", "avg_days_late"]
        )
        self.assertEqual(trend, [{"id": trend[0]["id"], "month": TODAY.replace(
            month=4, day=1), "avg_days_late": 60.0}])  # fmt: skip
        with self.assertRaises(AccessError):
            snapshots.search_read([], ["paid_amount"])
        with self.assertRaises(AccessError):
            partner.action_payment_instalments()
        action = partner.action_payment_trend()
        self.assertEqual(action["res_model"], "crm_extended.payment.snapshot")

    def test_accountant_sees_ageing_and_drills_down(self):
        # Drilling down reads journal items: Odoo's Invoicing right is needed.
        self.user_accountant.groups_id |= self.env.ref("account.group_account_invoice")
        partner = self.bad_payer.with_user(self.user_accountant)
        with freeze_time(TODAY):
            self.assertEqual(partner.payment_ageing_over_90, 700.0)
            self.assertEqual(partner.payment_ageing_not_due, 0.0)
        self.assertEqual(partner.payment_overdue_amount, 700.0)
        action = partner.action_payment_instalments()
        lines = self.env["account.move.line"].with_user(self.user_accountant)
        lines = lines.search(action["domain"])
        self.assertEqual(lines.mapped("amount_residual"), [700.0])

    # -- trust -----------------------------------------------------------------
    def test_trust_follows_grade_unless_set_by_hand(self):
        self.assertEqual(self.late_payer.trust, "normal")  # D
        self.assertEqual(self.bad_payer.trust, "bad")  # E
        self.bad_payer.trust = "good"
        self.assertTrue(self.bad_payer.payment_trust_manual)
        self.refresh(self.bad_payer)
        self.assertEqual(self.bad_payer.trust, "good")
        with freeze_time(TODAY):
            self.bad_payer.payment_trust_manual = False
        self.env.invalidate_all()
        self.assertEqual(self.bad_payer.trust, "bad")

    # -- invoice warnings ------------------------------------------------------
    def test_invoice_for_grade_e_warns_and_posts(self):
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.bad_payer.id}
        )
        self.assertIn("payment grade E", draft.crm_payment_warning)
        self.assertIn("overdue for 150 days", draft.crm_payment_warning)
        ok = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.late_payer.id}
        )
        self.assertFalse(ok.crm_payment_warning)
        invoice = self.post_invoice(self.bad_payer, 10.0, "2026-06-01")
        self.assertEqual(invoice.state, "posted")
        self.assertIn("Posted despite a payment warning", invoice.message_ids[0].body)

    def test_blocking_refuses_grade_e_and_credit_limit(self):
        self.env.company.crm_payment_block_posting = True
        with self.assertRaisesRegex(UserError, "overdue for 150 days"):
            self.post_invoice(self.bad_payer, 10.0, "2026-06-01")
        self.env.company.account_use_credit_limit = True
        self.late_payer.credit_limit = 50.0
        with self.assertRaisesRegex(UserError, "credit limit"):
            self.post_invoice(self.late_payer, 100.0, "2026-06-01")
        self.late_payer.credit_limit = 0.0
        invoice = self.post_invoice(self.late_payer, 100.0, "2026-06-01")
        self.assertEqual(invoice.state, "posted")

    # -- settings --------------------------------------------------------------
    def test_settings_validate_thresholds(self):
        settings = self.env["res.config.settings"].create({})
        with self.assertRaisesRegex(ValidationError, "must increase from A to D"):
            settings.crm_payment_grade_b_days = 3  # not above A
        self.env.invalidate_all(flush=False)
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.env.company.crm_payment_window_days = 0
        self.env.invalidate_all(flush=False)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env.company.crm_payment_grade_a_days = -1

    def test_manager_schedules_a_full_rebuild(self):
        cron = self.env.ref("crm_extended.ir_cron_payment_rebuild")
        self.env["ir.config_parameter"].sudo().set_param(CURSOR, "42")
        record = self.env["res.config.settings"].create({"crm_payment_grade_a_days": 5})
        record.execute()
        self.assertEqual(self.env.company.crm_payment_grade_a_days, 5)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        triggers.unlink()
        record.with_user(self.user_manager).action_crm_payment_rebuild()
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param(CURSOR))
        with self.assertRaises(AccessError):
            record.with_user(self.user_accountant).action_crm_payment_rebuild()
