"""Payment behaviour on hand-computed books (figures as of 2026-06-30)."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models import crm_extended_payment_behaviour as behaviour
from ..scoring import payment_behaviour as scoring
from . import payment_reference as reference
from .payment_common import TODAY, PaymentTestCommon


@tagged("post_install", "-at_install")
class TestPaymentBehaviourBooks(PaymentTestCommon):
    def test_early_on_time_and_late_payments(self):
        partner = self.new_customer("Early Late s.r.o.")
        early = self.post_invoice(partner, 1000.0, "2026-03-01", "2026-03-31")
        on_time = self.post_invoice(partner, 500.0, "2026-04-01", "2026-04-30")
        late = self.post_invoice(partner, 500.0, "2026-04-10", "2026-05-10")
        self.pay(early, "2026-03-25")
        self.pay(on_time, "2026-04-30")
        self.pay(late, "2026-05-30")
        self.refresh(partner)
        # (1000*0 + 500*0 + 500*20) / 2000 = 5 days; 1500 of 2000 paid on time.
        self.assertEqual(
            self.figures(partner),
            {"avg": 5.0, "on_time": 0.75, "overdue": 0.0, "overdue_days": 0,
             "grade": "B"},
        )  # fmt: skip
        self.assertIn("5.0 days late", partner.payment_grade_reason)
        self.assertIn("75% paid on time", partner.payment_grade_reason)

    def test_partial_payments_and_overdue_remainder(self):
        partner = self.new_customer("Partial a.s.")
        invoice = self.post_invoice(partner, 1000.0, "2026-03-01", "2026-04-01")
        self.pay(invoice, "2026-04-11", amount=400.0)  # 10 days late
        self.pay(invoice, "2026-05-01", amount=600.0)  # 30 days late
        self.post_invoice(partner, 300.0, "2026-05-01", "2026-05-31")  # open
        self.refresh(partner)
        # (400*10 + 600*30) / 1000 = 22 days: C; the open 300 is 30 days overdue.
        self.assertEqual(
            self.figures(partner),
            {"avg": 22.0, "on_time": 0.0, "overdue": 300.0, "overdue_days": 30,
             "grade": "C"},
        )  # fmt: skip

    def test_instalment_plan_with_two_due_dates(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half in 10, half in 40 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 10}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 40}
                    ),
                ],
            }
        )
        partner = self.new_customer("Instalments Sp. z o.o.")
        invoice = self.post_invoice_with_term(partner, 1000.0, "2026-04-01", term)
        dues = sorted(
            invoice.line_ids.filtered("date_maturity").mapped("date_maturity")
        )
        self.assertEqual([str(due) for due in dues], ["2026-04-11", "2026-05-11"])
        # The whole invoice at once (Odoo would propose the overdue half only).
        self.pay(invoice, "2026-04-21", amount=1000.0)
        self.assertEqual(invoice.payment_state, "paid")
        self.refresh(partner)
        # First 500 paid 10 days late, second 500 20 days early: 5 days, half on time.
        figures = self.figures(partner)
        self.assertEqual((figures["avg"], figures["on_time"]), (5.0, 0.5))
        self.assertEqual(figures["grade"], "B")

    def test_credit_note_reduces_the_invoice_and_is_not_a_payment(self):
        partner = self.new_customer("Credit Note s.r.o.")
        invoice = self.post_invoice(partner, 1000.0, "2026-04-01", "2026-04-30")
        refund = self.post_invoice(
            partner, 200.0, "2026-04-05", "2026-04-05", move_type="out_refund"
        )
        self.reconcile(invoice, refund)
        self.pay(invoice, "2026-05-10")  # the remaining 800, 10 days late
        self.refresh(partner)
        figures = self.figures(partner)
        # Only the 800 paid counts: had the credit note counted as an on-time
        # payment, the average would be 8 days and the on-time share 0.2.
        self.assertEqual((figures["avg"], figures["on_time"]), (10.0, 0.0))
        snapshot = self.env["crm_extended.payment.snapshot"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(snapshot.paid_amount, 800.0)

    def test_payment_before_invoice_is_dated_by_the_invoice(self):
        partner = self.new_customer("Prepaid s.r.o.")
        payment = self.receive_payment(partner, 1000.0, "2026-02-25")
        invoice = self.post_invoice(partner, 1000.0, "2026-03-10", "2026-04-09")
        self.reconcile(invoice, payment.move_id)
        self.refresh(partner)
        figures = self.figures(partner)
        self.assertEqual((figures["avg"], figures["on_time"]), (0.0, 1.0))
        snapshot = self.env["crm_extended.payment.snapshot"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(str(snapshot.month), "2026-03-01")

    def test_reversed_payment_no_longer_counts(self):
        partner = self.new_customer("Bounced a.s.")
        invoice = self.post_invoice(partner, 1000.0, "2026-01-01", "2026-01-31")
        payment = self.pay(invoice, "2026-02-05")
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["grade"], "B")
        payment.move_id._reverse_moves(cancel=True)
        self.assertFalse(invoice.line_ids.matched_credit_ids)
        self.refresh(partner)
        # Nothing paid any more, and the invoice is 150 days overdue.
        self.assertEqual(
            self.figures(partner),
            {"avg": 0.0, "on_time": 0.0, "overdue": 1000.0, "overdue_days": 150,
             "grade": "E"},
        )  # fmt: skip
        self.assertIn("150 days", partner.payment_grade_reason)

    def test_multi_currency_weights_by_company_currency(self):
        eur = self.setup_other_currency("EUR")  # 2 EUR = 1 USD (company currency)
        partner = self.new_customer("Euro Kunde GmbH")
        in_eur = self.post_invoice(
            partner, 1000.0, "2026-04-01", "2026-04-30", currency=eur
        )
        in_usd = self.post_invoice(partner, 500.0, "2026-04-01", "2026-04-30")
        self.pay(in_eur, "2026-04-30")
        self.pay(in_usd, "2026-05-30")
        self.refresh(partner)
        # 500 USD on time, 500 USD 30 days late: 15 days, exactly the B limit.
        # Weighting by invoice currency would give (1000*0 + 500*30)/1500 = 10.
        figures = self.figures(partner)
        self.assertEqual((figures["avg"], figures["on_time"]), (15.0, 0.5))
        self.assertEqual(figures["grade"], "B")

    def test_two_companies_are_graded_apart(self):
        company_2 = self.setup_other_company(name="Card Company 2")["company"]
        partner = self.new_customer("Two Companies s.r.o.")
        first = self.post_invoice(partner, 100.0, "2026-04-01", "2026-04-30")
        self.pay(first, "2026-04-30")
        second = self.post_invoice(
            partner, 100.0, "2026-03-01", "2026-03-31", company=company_2
        )
        self.pay(second.with_company(company_2), "2026-05-30")
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["grade"], "A")
        self.assertEqual(self.figures(partner, company_2)["grade"], "D")
        self.assertEqual(self.figures(partner, company_2)["avg"], 60.0)
        self.assertEqual(partner.with_company(self.env.company).trust, "good")
        self.assertEqual(partner.with_company(company_2).trust, "normal")
        snapshots = self.env["crm_extended.payment.snapshot"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(len(snapshots), 2)
        salesperson_view = snapshots.with_user(self.user_salesperson).search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(salesperson_view.company_id, self.env.company)

    def test_grade_boundaries_at_the_thresholds(self):
        company = self.env.company
        partner = self.new_customer("Boundary s.r.o.")
        invoice = self.post_invoice(partner, 100.0, "2026-04-01", "2026-04-01")
        self.pay(invoice, "2026-04-04")  # 3 days late: the A limit
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["grade"], "A")
        company.crm_payment_grade_a_days = 2
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["grade"], "B")
        self.assertIn("at most 15 days", partner.payment_grade_reason)
        # An open amount exactly 90 days overdue is not yet E; 91 days is.
        self.post_invoice(partner, 10.0, "2026-03-01", "2026-04-01")
        self.refresh(partner, today=TODAY.replace(day=30, month=6))
        self.assertEqual(self.figures(partner)["overdue_days"], 90)
        self.assertEqual(self.figures(partner)["grade"], "B")
        self.refresh(partner, today=TODAY.replace(day=1, month=7))
        self.assertEqual(self.figures(partner)["grade"], "E")

    def test_window_ignores_old_payments(self):
        partner = self.new_customer("Old Payer s.r.o.")
        old = self.post_invoice(partner, 100.0, "2025-01-01", "2025-01-31")
        self.pay(old, "2025-06-29")  # 366 days before today, 149 days late
        recent = self.post_invoice(partner, 100.0, "2026-04-01", "2026-04-30")
        self.pay(recent, "2026-05-02")
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["avg"], 2.0)
        self.env.company.crm_payment_window_days = 366
        self.refresh(partner)
        self.assertEqual(self.figures(partner)["avg"], 75.5)

    def test_a_nightly_batch_reads_the_same_paid_portions_by_date(self):
        """A nightly batch reads the range's reconciliations by their date, a
        refresh of a few partners instalment by instalment (issue 19): the same
        figures, reasons and snapshots, with payments before the window, on its
        first day, split, on today and after today, and a contact's invoice."""
        payer = self.new_customer("Range Payer s.r.o.")
        buyer = self.env["res.partner"].create(
            {"name": "Range Buyer", "parent_id": payer.id}
        )
        other = self.new_customer("Other Payer a.s.")
        self.pay(
            self.post_invoice(payer, 100.0, "2025-01-01", "2025-01-31"), "2025-06-29"
        )
        self.pay(
            self.post_invoice(payer, 200.0, "2025-06-01", "2025-06-15"), "2025-06-30"
        )
        split = self.post_invoice(buyer, 300.0, "2026-01-05", "2026-01-20")
        self.pay(split, "2026-03-01", amount=120.0)
        self.pay(split, "2026-06-30")
        self.pay(
            self.post_invoice(other, 80.0, "2026-05-01", "2026-05-31"), "2026-05-20"
        )
        self.pay(
            self.post_invoice(other, 50.0, "2026-06-01", "2026-06-10"), "2026-07-01"
        )
        self.post_invoice(other, 70.0, "2026-04-01", "2026-04-15")  # open, overdue
        partners = payer | other

        def results():
            self.env.invalidate_all()
            snapshots = self.env["crm_extended.payment.snapshot"].search_read(
                [("partner_id", "in", partners.ids)],
                [
                    "partner_id",
                    "month",
                    "paid_amount",
                    "avg_days_late",
                    "on_time_ratio",
                ],
                order="partner_id, month",
            )
            return [
                (self.figures(partner), partner.payment_grade_data)
                for partner in partners
            ], [tuple(row.values())[1:] for row in snapshots]

        def forget():
            self.env.cr.execute(
                "DELETE FROM crm_extended_payment_snapshot WHERE partner_id IN %s",
                [tuple(partners.ids)],
            )
            self.env.cr.execute(
                "UPDATE res_partner SET payment_avg_days_late = NULL,"
                " payment_grade = NULL, payment_grade_data = NULL WHERE id IN %s",
                [tuple(partners.ids)],
            )
            self.env.invalidate_all()

        self.refresh(*partners)
        by_instalment = results()
        # May of the other payer, March and June of the first (June 2025 is
        # before the trend's twelve months, July 2026 after today).
        self.assertEqual([row[1] for row in by_instalment[1]], [
            TODAY.replace(month=5, day=1),
            TODAY.replace(month=3, day=1),
            TODAY.replace(day=1),
        ])  # fmt: skip
        forget()
        self.assertNotEqual(results(), by_instalment)
        with patch.object(behaviour, "PAID_BY_DATE_MIN_CONTACTS", 1):
            portions = self.engine._paid_portions(1, TODAY, TODAY.replace(month=1))
            self.assertIn("partial.max_date >=", portions.code)
            self.assertNotIn("LATERAL", portions.code)
            self.refresh(*partners)
        self.assertEqual(results(), by_instalment)

    def test_no_invoices_no_grade(self):
        partner = self.new_customer("Nothing Yet s.r.o.")
        self.refresh(partner)
        self.assertFalse(partner.payment_grade)
        self.assertFalse(partner.payment_grade_reason)

    def test_sql_pass_agrees_with_the_python_reference(self):
        partner = self.new_customer("Mixed Book a.s.")
        amounts = [120.0, 480.0, 990.0, 1500.0, 250.0, 75.5, 640.0]
        for n, amount in enumerate(amounts):
            invoice = self.post_invoice(
                partner,
                amount,
                f"2026-0{1 + n % 5}-0{1 + n}",
                f"2026-0{2 + n % 5}-1{n}",
            )
            if n % 3 == 0:
                self.pay(invoice, f"2026-0{3 + n % 3}-2{n}", amount=amount / 3)
            elif n % 3 == 1:
                self.pay(invoice, f"2026-0{2 + n % 4}-0{n + 1}")
        refund = self.post_invoice(
            partner, 50.0, "2026-04-01", "2026-04-01", move_type="out_refund"
        )
        self.reconcile(refund, partner.invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.amount_residual
        )[:1])  # fmt: skip
        self.refresh(partner)
        instalments = self.env["account.move.line"].search(
            self.engine._instalment_domain(partner, self.env.company)
        )
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ]
        )
        open_items = [
            reference.OpenItem(line.date_maturity or line.date, line.amount_residual)
            for line in receivable
        ]
        portions = [
            reference.PaidPortion(
                line.date_maturity,
                max(line.date, partial.credit_move_id.date),
                partial.amount,
            )
            for line in instalments
            for partial in line.matched_credit_ids
            if partial.credit_move_id.journal_id.type == "bank"
        ]
        self.assertGreater(len(portions), 3)
        expected = reference.compute_figures(open_items, portions, TODAY)
        figures = self.figures(partner)
        self.assertAlmostEqual(figures["avg"], expected.avg_days_late)
        self.assertAlmostEqual(figures["on_time"], expected.on_time_ratio)
        self.assertAlmostEqual(figures["overdue"], expected.overdue_amount)
        self.assertEqual(figures["overdue_days"], expected.overdue_max_days)
        expected_grade = scoring.grade(
            scoring.Figures(
                paid_amount=expected.paid_amount,
                weighted_days_late=expected.weighted_days_late,
                on_time_amount=expected.on_time_amount,
                overdue_amount=expected.overdue_amount,
                overdue_max_days=expected.overdue_max_days,
            )
        )
        self.assertEqual(figures["grade"], expected_grade.letter)
        with freeze_time(TODAY):
            for bucket, amount in expected.ageing.items():
                self.assertAlmostEqual(partner[f"payment_ageing_{bucket}"], amount)
