from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from ..models import crm_extended_payment_behaviour as behaviour
from .payment_common import TODAY, PaymentTestCommon

STAMPS = behaviour.STAMP_TABLE
NEVER = date.max


@tagged("post_install", "-at_install")
class TestPaymentRebuildNights(PaymentTestCommon):
    """A night redoes the customers whose figures the date changes, and the
    others keep figures equal to a rebuild of every customer (issue 19)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # TODAY is 2026-06-30: the window starts on 2025-06-30, the trend's
        # oldest month is July 2025.
        cls.quiet = cls.new_customer("Quiet Payer s.r.o.")
        cls.pay(
            cls.post_invoice(cls.quiet, 100.0, "2026-06-01", "2026-06-15"), "2026-06-10"
        )
        cls.overdue = cls.new_customer("Overdue Debtor a.s.")
        cls.post_invoice(cls.overdue, 200.0, "2026-05-01", "2026-06-01")
        cls.falling_due = cls.new_customer("Falling Due s.r.o.")
        cls.post_invoice(cls.falling_due, 300.0, "2026-06-20", "2026-07-02")
        cls.leaving = cls.new_customer("Leaving Window s.r.o.")
        cls.pay(
            cls.post_invoice(cls.leaving, 400.0, "2025-06-01", "2025-06-20"),
            "2025-07-01",
        )
        cls.ahead = cls.new_customer("Paid Ahead a.s.")
        cls.pay(
            cls.post_invoice(cls.ahead, 500.0, "2026-06-25", "2026-07-10"), "2026-07-05"
        )
        cls.idle = cls.new_customer("Idle Prospect s.r.o.")
        # Paid 19 days late (C) and owes an invoice overdue since 2026-06-11:
        # its nights keep its paid side as stored and grow its overdue days.
        cls.late = cls.new_customer("Late and Owing a.s.")
        cls.pay(
            cls.post_invoice(cls.late, 600.0, "2026-04-01", "2026-05-01"),
            "2026-05-20",
        )
        cls.post_invoice(cls.late, 90.0, "2026-05-11", "2026-06-10")
        cls.customers = (
            cls.quiet
            | cls.overdue
            | cls.falling_due
            | cls.leaving
            | cls.ahead
            | cls.idle
            | cls.late
        )
        # No "rebuild all" pending from the database's set-up (its time is now,
        # after the nights of the test).
        cls.env["ir.config_parameter"].sudo().set_param(
            behaviour.REBUILD_SINCE_PARAM, False
        )

    def run_night(self, moment):
        """Run the rebuild as the scheduler does at ``moment``; the customers it
        redid."""
        with freeze_time(moment):
            for _call in range(20):
                if not self.engine._cron_rebuild():
                    break
            else:
                self.fail("the rebuild does not end")
            self.env.flush_all()
            self.env.cr.execute(
                f"SELECT partner_id FROM {STAMPS}"
                " WHERE rebuilt_at = %s AND partner_id IN %s",
                [moment, tuple(self.customers.ids)],
            )
            return self.customers.browse(
                sorted(row[0] for row in self.env.cr.fetchall())
            )

    def results(self):
        self.env.invalidate_all()
        snapshots = self.env["crm_extended.payment.snapshot"].search_read(
            [("partner_id", "in", self.customers.ids)],
            ["partner_id", "month", "paid_amount", "avg_days_late", "on_time_ratio"],
            order="partner_id, month",
        )
        return [
            (
                customer.name,
                self.figures(customer),
                customer.payment_open_amount,
                customer.payment_grade_data,
            )
            for customer in self.customers
        ], [tuple(row.values())[1:] for row in snapshots]

    def due_days(self):
        self.env.cr.execute(
            f"SELECT partner_id, due_on FROM {STAMPS} WHERE partner_id IN %s",
            [tuple(self.customers.ids)],
        )
        return dict(self.env.cr.fetchall())

    def test_a_night_redoes_what_the_date_changes_and_nothing_else(self):
        done = self.run_night(datetime(2026, 6, 30, 1, 0))
        self.assertEqual(done, self.customers, "the first night does every customer")
        self.assertEqual(
            self.due_days(),
            {
                self.quiet.id: date(2027, 6, 11),  # its payment leaves the window
                self.overdue.id: date(2026, 7, 1),  # overdue days grow every day
                self.falling_due.id: date(2026, 7, 3),  # overdue from then on
                self.leaving.id: date(2026, 7, 1),  # July 2025 leaves the trend
                self.ahead.id: date(2026, 7, 5),  # the payment's day comes
                self.idle.id: NEVER,
                self.late.id: date(2026, 7, 1),
            },
        )
        expected_nights = {
            date(2026, 7, 1): self.overdue | self.leaving | self.late,
            date(2026, 7, 2): self.overdue | self.leaving | self.late,  # window
            date(2026, 7, 3): self.overdue | self.falling_due | self.late,
            date(2026, 7, 4): self.overdue | self.falling_due | self.late,
            date(2026, 7, 5): self.overdue | self.falling_due | self.ahead | self.late,
        }
        for day, expected in expected_nights.items():
            with self.subTest(night=day):
                done = self.run_night(datetime.combine(day, datetime.min.time()))
                self.assertEqual(done, expected)
                night = self.results()
                self.assertEqual(self.late.payment_grade, "C")
                # A manager's "rebuild all" the same day changes nothing.
                with freeze_time(datetime(day.year, day.month, day.day, 3, 0)):
                    self.engine._schedule_rebuild()
                done = self.run_night(datetime(day.year, day.month, day.day, 3, 0))
                self.assertEqual(done, self.customers)
                self.assertEqual(night, self.results())

    def test_a_booking_waiting_for_its_commit_is_redone_that_night(self):
        """A script (or a test) books and runs the rebuild in one transaction:
        the refresh at the commit has not run yet, the night does the customer."""
        self.run_night(datetime(2026, 6, 30, 1, 0))
        with freeze_time("2026-07-01 00:30:00"):
            self.post_invoice(self.quiet, 50.0, "2026-05-01", "2026-05-15")
        done = self.run_night(datetime(2026, 7, 1, 1, 0))
        self.assertIn(self.quiet, done)
        self.assertGreater(self.figures(self.quiet)["overdue_days"], 0)

    def test_a_contact_moved_to_another_customer_refreshes_both(self):
        """Nothing is booked when a contact moves to another customer, but its
        own items (an entry booked on the contact) move with it: both
        customers are refreshed at the commit, not left to a night that would
        not come."""
        buyer = self.env["res.partner"].create(
            {"name": "Moving Buyer", "parent_id": self.idle.id}
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2026-05-01",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": self.company_data[
                                "default_account_receivable"
                            ].id,
                            "partner_id": buyer.id,
                            "debit": 80.0,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": self.company_data[
                                "default_account_revenue"
                            ].id,
                            "credit": 80.0,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        with freeze_time(TODAY):
            self.env.cr.flush()  # the refresh at the commit
            self.assertEqual(self.figures(self.idle)["overdue"], 80.0)
            buyer.parent_id = self.quiet
            self.env.cr.flush()
        self.env.invalidate_all()
        self.assertEqual(self.figures(self.idle)["overdue"], 0.0)
        self.assertEqual(self.figures(self.quiet)["overdue"], 80.0)

    def test_turning_registry_risk_grades_on_regrades_every_customer(self):
        """Whether a registry risk forces E is a company setting: changing it
        regrades every customer, not only those the night would redo."""
        self.run_night(datetime(2026, 6, 30, 1, 0))
        with freeze_time("2026-06-30 12:00:00"):
            self.env.company.crm_registry_grade_e = True
        done = self.run_night(datetime(2026, 6, 30, 13, 0))
        self.assertEqual(done, self.customers)
        with freeze_time("2026-06-30 14:00:00"):
            self.env.company.crm_registry_grade_e = True  # unchanged: nothing to do
        self.assertFalse(self.run_night(datetime(2026, 6, 30, 15, 0)))

    def test_a_due_date_moved_on_a_posted_invoice_refreshes_its_customer(self):
        """The night would come for the old due date: moving it on the posted
        item refreshes the customer at the commit."""
        self.run_night(datetime(2026, 6, 30, 1, 0))
        receivable = self.falling_due.invoice_ids.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        with freeze_time(TODAY):
            receivable.date_maturity = "2026-06-20"
            self.env.cr.flush()  # the refresh at the commit
        self.env.invalidate_all()
        self.assertEqual(self.figures(self.falling_due)["overdue_days"], 10)
        self.assertEqual(self.due_days()[self.falling_due.id], date(2026, 7, 1))

    def test_a_night_reads_only_the_items_that_changed(self):
        """A customer nothing was booked for keeps its stored open amounts and
        paid side; a night grows its oldest overdue days without reading its
        items. An item falling due is read again, and so are the items of a
        customer whose stored figures show none (see ``_has_open_items``)."""
        self.run_night(datetime(2026, 6, 30, 1, 0))
        open_items = type(self.env["crm_extended.open.item"])
        contact_figures = open_items._contact_figures
        read = []

        def recording(items, contacts, companies, today=None):
            read.extend(partner for _contact, partner in contacts)
            return contact_figures(items, contacts, companies, today=today)

        with patch.object(open_items, "_contact_figures", recording):
            done = self.run_night(datetime(2026, 7, 3, 1, 0))
        self.assertEqual(
            done, self.overdue | self.falling_due | self.leaving | self.late
        )
        self.assertEqual(set(read), {self.falling_due.id, self.leaving.id})
        self.env.invalidate_all()
        self.assertEqual(self.figures(self.overdue)["overdue_days"], 32)
        self.assertEqual(self.figures(self.falling_due)["overdue_days"], 1)
        self.assertEqual(self.figures(self.late)["overdue_days"], 23)
