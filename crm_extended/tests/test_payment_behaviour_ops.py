"""Payment behaviour: recompute, access, trust, invoice warnings, settings."""

import inspect
from contextlib import closing
from datetime import datetime
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo import fields, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models import crm_extended_payment_behaviour as payment_engine
from .payment_common import TODAY, PaymentTestCommon

SINCE = "crm_extended.payment_rebuild_since"
STAMPS = payment_engine.STAMP_TABLE


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
            # The lock, the SQL pass, the companies and their thresholds, the
            # open items, one UPDATE that also reads the current trust.
            with self.assertQueryCount(5):
                self.engine._refresh(batch.ids, today=TODAY)
        self.assertEqual(partners[-1].payment_grade, "B")

    # -- nightly rebuild -------------------------------------------------------
    def _reset_rebuild(self, *partners):
        """As if the partners had not been rebuilt today nor graded."""
        self.env.cr.flush()  # pending pre-commit refreshes first
        self.env["ir.config_parameter"].sudo().set_param(SINCE, False)
        ids = tuple(partner.id for partner in partners)
        self.env.cr.execute(
            "UPDATE res_partner SET payment_grade = NULL WHERE id IN %s", (ids,)
        )
        self.env.cr.execute(f"DELETE FROM {STAMPS} WHERE partner_id IN %s", (ids,))
        self.env.cr.execute(
            f"INSERT INTO {STAMPS} (partner_id, rebuilt_at)"
            " SELECT id, %s FROM res_partner WHERE id NOT IN %s"
            " ON CONFLICT (partner_id) DO UPDATE SET rebuilt_at = EXCLUDED.rebuilt_at",
            ("2026-06-30 12:00:00", ids),
        )
        self.env.invalidate_all()

    def _run_cron(self, batch_size):
        """One scheduler call: the rebuild in the cron's progress context."""
        cron = self.env.ref("crm_extended.ir_cron_payment_rebuild")
        cron, progress = cron._add_progress()
        progress_id = cron.env.context["ir_cron_progress_id"]
        done = self.engine.with_context(ir_cron_progress_id=progress_id)._cron_rebuild(
            batch_size=batch_size
        )
        return done, progress

    @freeze_time("2026-06-30 15:00:00")
    def test_rebuild_in_batches_reports_progress(self):
        first, second = self.late_payer, self.bad_payer
        self._reset_rebuild(first, second)
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual(done, 1)
        self.assertEqual((progress.done, progress.remaining), (1, 1))
        self.env.invalidate_all()
        self.assertEqual(first.payment_grade, "D")  # claimed in id order
        self.assertFalse(second.payment_grade)
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.env.invalidate_all()
        self.assertEqual(second.payment_grade, "E")
        # Everything is done today: the next call finds nothing to do.
        done, progress = self._run_cron(batch_size=10)
        self.assertEqual((done, progress.done, progress.remaining), (0, 0, 0))

    @freeze_time("2026-06-30 15:00:00")
    def test_rebuild_stamps_without_rewriting_unchanged_partners(self):
        """The "done today" stamp is the rebuild's own: a customer whose figures
        did not change keeps its res_partner row as it is (an UPDATE of that
        wide row and its indexes for every customer each night was the rebuild's
        largest cost); the stamp stays readable for administrators."""
        self._reset_rebuild(self.late_payer, self.bad_payer)
        self.engine._refresh([self.late_payer.id], today=TODAY)  # up to date
        # ... and stamped by yesterday's night, before due days were kept.
        self.env.cr.execute(
            f"UPDATE {STAMPS} SET rebuilt_at = '2026-06-29 03:00', due_on = NULL"
            " WHERE partner_id = %s",
            (self.late_payer.id,),
        )
        self.env.cr.execute(
            "SELECT id, ctid::text FROM res_partner WHERE id IN %s",
            ((self.late_payer.id, self.bad_payer.id),),
        )
        before = dict(self.env.cr.fetchall())
        done, _progress = self._run_cron(batch_size=10)
        self.assertEqual(done, 2)
        self.env.cr.execute(
            "SELECT id, ctid::text FROM res_partner WHERE id IN %s",
            ((self.late_payer.id, self.bad_payer.id),),
        )
        after = dict(self.env.cr.fetchall())
        self.assertEqual(after[self.late_payer.id], before[self.late_payer.id])
        self.assertNotEqual(after[self.bad_payer.id], before[self.bad_payer.id])
        self.env.invalidate_all()
        self.assertEqual(self.late_payer.payment_grade, "D")
        self.assertEqual(self.bad_payer.payment_grade, "E")
        for partner in (self.late_payer, self.bad_payer):
            self.assertEqual(
                partner.crm_payment_rebuilt_at, datetime(2026, 6, 30, 15, 0, 0)
            )
        with self.assertRaises(AccessError):
            self.late_payer.with_user(self.user_manager).read(
                ["crm_payment_rebuilt_at"]
            )

    def _stamps(self, *ids):
        self.env.cr.execute(
            f"SELECT partner_id, rebuilt_at FROM {STAMPS} WHERE partner_id IN %s",
            (ids,),
        )
        return dict(self.env.cr.fetchall())

    @freeze_time("2026-06-30 15:00:00")
    def test_rebuild_takes_due_stamps_then_partners_without_one(self):
        """The batch is claimed from the stamps (customers rebuilt on an earlier
        day); customers without a stamp (new, or stamps lost) are taken once
        those run short. Stamps of partners that are no longer customers (a
        customer become a contact, one deleted) are dropped, and the night ends."""
        stamped, unstamped = self.bad_payer, self.late_payer
        self.assertLess(unstamped.id, stamped.id)
        contact = self.env["res.partner"].create(
            {"name": "Once a customer", "is_company": True}
        )
        contact.write({"is_company": False, "parent_id": stamped.id})
        self._reset_rebuild(stamped, unstamped)
        gone = contact.id + 1000
        self.env.cr.execute(
            f"INSERT INTO {STAMPS} (partner_id, rebuilt_at) VALUES"
            " (%s, '2026-06-29 03:00'), (%s, '2026-06-29 03:00'),"
            " (%s, '2026-06-29 03:00')"
            " ON CONFLICT (partner_id) DO UPDATE SET rebuilt_at = EXCLUDED.rebuilt_at",
            (stamped.id, contact.id, gone),
        )
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual(done, 1)
        self.assertGreater(progress.remaining, 0)  # the scheduler calls again
        self.env.invalidate_all()
        self.assertEqual(stamped.payment_grade, "E")  # the stamped one first
        self.assertFalse(unstamped.payment_grade)
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual((done, progress.remaining), (1, 0))
        self.env.invalidate_all()
        self.assertEqual(unstamped.payment_grade, "D")
        now = datetime(2026, 6, 30, 15, 0, 0)
        self.assertEqual(
            self._stamps(stamped.id, unstamped.id, contact.id, gone),
            {stamped.id: now, unstamped.id: now},
        )
        done, progress = self._run_cron(batch_size=10)
        self.assertEqual((done, progress.done, progress.remaining), (0, 0, 0))

    @freeze_time("2026-06-30 15:00:00")
    def test_rebuild_counts_partners_without_a_stamp_after_a_full_batch(self):
        """A full batch that empties the due stamps still tells the scheduler
        about the customers without a stamp, which the next call takes."""
        self._reset_rebuild(self.late_payer, self.bad_payer)
        self.env.cr.execute(
            f"INSERT INTO {STAMPS} (partner_id, rebuilt_at)"
            " VALUES (%s, '2026-06-29 03:00')",
            (self.late_payer.id,),
        )
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual((done, progress.remaining), (1, 1))
        done, progress = self._run_cron(batch_size=1)
        self.assertEqual((done, progress.remaining), (1, 0))
        self.env.invalidate_all()
        self.assertEqual(self.bad_payer.payment_grade, "E")

    @freeze_time("2026-06-30 15:00:00")
    def test_partner_merge_keeps_the_rebuild_going(self):
        """Odoo's merge moves foreign keys to the kept partner; the stamps have
        none (both partners have one): the merge works, and the merged-away
        partner's stamp is dropped by the rebuild."""
        kept = self.new_customer("Merged Kept s.r.o.")
        duplicate = self.new_customer("Merged Copy s.r.o.")
        self._reset_rebuild(self.late_payer, self.bad_payer)
        self.assertTrue(self._stamps(kept.id, duplicate.id))
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | duplicate).ids, kept)
        self.assertFalse(duplicate.exists())
        self.env["ir.config_parameter"].sudo().set_param(
            SINCE, "2026-06-30 14:00:00"
        )  # "rebuild all" after the merge
        _done, progress = self._run_cron(batch_size=100000)
        self.assertEqual(progress.remaining, 0)
        self.assertEqual(list(self._stamps(kept.id, duplicate.id)), [kept.id])
        self.assertEqual(
            self._stamps(kept.id)[kept.id], datetime(2026, 6, 30, 15, 0, 0)
        )

    @freeze_time("2026-06-30 15:00:00")
    def test_partner_manager_merges_graded_customers(self):
        """An administrator with the card manager role (not the superuser) merges
        a graded customer
        with a duplicate: the merge does not copy the system's figures and
        verdicts by hand (nobody may write them, so it used to fail), and the
        kept customer is graded from its merged books at commit."""
        manager = new_test_user(
            self.env,
            login="merge_manager",
            groups="base.group_user,base.group_partner_manager,base.group_system,"
            "account.group_account_manager,crm_extended.group_card_manager",
        )
        duplicate = self.new_customer("Bad Payer (duplicate)")
        duplicate.sudo().write({"registry_status": "risk"})
        self.assertEqual(self.bad_payer.payment_grade, "E")
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(manager)
        wizard.create({})._merge(
            (self.bad_payer | duplicate).ids, self.bad_payer.with_user(manager)
        )
        self.assertFalse(duplicate.exists())
        with freeze_time(TODAY):
            self.env.cr.flush()  # the kept customer recomputed at commit
        self.env.invalidate_all()
        self.assertEqual(self.bad_payer.payment_grade, "E")
        self.assertEqual(self.bad_payer.payment_overdue_amount, 700.0)

    def test_rebuild_skips_partners_another_worker_holds(self):
        """Two workers never process the same partner: the batch is claimed with
        FOR NO KEY UPDATE SKIP LOCKED. Another connection (a second worker)
        holds one committed partner; our claim passes over it."""
        everyone = datetime(2100, 1, 1)  # a cutoff that makes every partner due
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other_cr:
            other_cr.execute("SET lock_timeout = '5s'")
            other_cr.execute(
                "SELECT id FROM res_partner WHERE id = commercial_partner_id"
                " ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED"
            )
            (held,) = other_cr.fetchone()
            claimed = self.engine._claim_rebuild_batch(everyone, 3)
            other_cr.rollback()
        self.assertEqual(len(claimed), 3)
        self.assertNotIn(held, claimed)
        self.assertEqual(claimed, sorted(claimed))

    @freeze_time("2026-06-30 15:00:00")
    def test_rebuild_meets_a_concurrent_update_and_retries(self):
        """A serialization failure leaves nothing half-written, tells the
        scheduler nothing was done and asks for another run in a minute."""
        self._reset_rebuild(self.late_payer, self.bad_payer)
        cron = self.env.ref("crm_extended.ir_cron_payment_rebuild")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        snapshots = self.env["crm_extended.payment.snapshot"].search_count([])
        engine_class = type(self.engine)
        refresh = engine_class._refresh

        def refresh_then_conflict(engine, ids, **kwargs):
            refresh(engine, ids, **kwargs)
            raise psycopg2.errors.SerializationFailure("concurrent update")

        with patch.object(engine_class, "_refresh", refresh_then_conflict):
            done, progress = self._run_cron(batch_size=10)
        self.assertEqual((done, progress.done, progress.remaining), (0, 0, 2))
        self.env.invalidate_all()
        self.assertFalse(self.late_payer.payment_grade)  # rolled back
        self.assertEqual(
            self.env["crm_extended.payment.snapshot"].search_count([]), snapshots
        )
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(len(trigger), 1)
        self.assertGreater(trigger.call_at, fields.Datetime.now())
        # The next run finishes the job.
        done, progress = self._run_cron(batch_size=10)
        self.assertEqual((done, progress.remaining), (2, 0))
        self.env.invalidate_all()
        self.assertEqual(self.late_payer.payment_grade, "D")

    @freeze_time("2026-06-30 15:00:00")
    def test_a_crash_in_a_batch_leaves_nothing_half_written(self):
        self._reset_rebuild(self.late_payer, self.bad_payer)
        engine_class = type(self.engine)

        def crash(engine, trust_changes):
            raise RuntimeError("worker killed")

        with (
            patch.object(engine_class, "_write_trust", crash),
            self.assertRaises(RuntimeError),
        ):
            self._run_cron(batch_size=10)
        self.env.invalidate_all()
        self.assertFalse(self.late_payer.payment_grade)
        done, progress = self._run_cron(batch_size=10)
        self.assertEqual((done, progress.remaining), (2, 0))

    def test_rebuild_method_has_no_commit(self):
        """The scheduler commits: the method itself never does."""
        source = inspect.getsource(payment_engine)
        self.assertIn("_notify_progress", source)
        self.assertNotIn(".commit()", source)

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

    def test_trust_follows_the_grade_through_write_and_is_tracked(self):
        """Other addons' write() sees the change of trust, and the chatter says it."""
        partner = self.new_customer("Tracked Trust s.r.o.")
        # Odoo tracks no change of a record created in the same transaction:
        # end the creation's transaction work first.
        self.env.cr.flush()
        self.post_invoice(partner, 100.0, "2026-01-01", "2026-01-31")  # E
        self.assertNotEqual(partner.trust, "bad")
        partner_class = type(self.env["res.partner"])
        write = partner_class.write
        seen = []

        def spy(records, vals):
            if "trust" in vals:
                seen.append((records.ids, vals["trust"], records.env.company.id))
            return write(records, vals)

        engine = self.engine.with_context(tracking_disable=False, mail_notrack=False)
        with patch.object(partner_class, "write", spy):
            engine._refresh(partner.ids, today=TODAY)
        self.assertEqual(seen, [([partner.id], "bad", self.env.company.id)])
        self.assertEqual(partner.trust, "bad")
        self.assertFalse(partner.payment_trust_manual)
        self.env.cr.flush()  # tracking messages are written before commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", partner.id),
                ("field_id.name", "=", "trust"),
            ]
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.new_value_char, "Bad Debtor")
        # Nothing changes: no second write, no second message.
        seen.clear()
        with patch.object(partner_class, "write", spy):
            engine._refresh(partner.ids, today=TODAY)
        self.assertEqual(seen, [])

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
        record = self.env["res.config.settings"].create({"crm_payment_grade_a_days": 5})
        record.execute()
        self.assertEqual(self.env.company.crm_payment_grade_a_days, 5)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        triggers.unlink()
        before = fields.Datetime.now()
        record.with_user(self.user_manager).action_crm_payment_rebuild()
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        # Every partner rebuilt before now is due again.
        since = self.env["ir.config_parameter"].sudo().get_param(SINCE)
        self.assertGreaterEqual(fields.Datetime.to_datetime(since), before)
        self.assertGreaterEqual(self.engine._rebuild_cutoff(), before)
        with self.assertRaises(AccessError):
            record.with_user(self.user_accountant).action_crm_payment_rebuild()
