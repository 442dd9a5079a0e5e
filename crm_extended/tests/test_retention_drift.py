"""Buying rhythm and drift: hand-built histories, frozen dates, one activity."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .drift_common import DriftTestCommon, monthly

SEASON = [date(year, month, 1) for year in (2024, 2025, 2026) for month in (4, 5, 6)]


@tagged("post_install", "-at_install")
class TestRetentionDrift(DriftTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.monthly_buyer = cls.new_customer("Monthly s.r.o.", cls.user_salesperson)
        cls.buy(cls.monthly_buyer, monthly(date(2025, 1, 1), 18))  # .. 1 June 2026
        cls.seasonal_buyer = cls.new_customer("Garden s.r.o.", cls.user_salesperson)
        cls.buy(cls.seasonal_buyer, SEASON, amount=500.0)
        cls.newcomer = cls.new_customer("Newcomer s.r.o.", cls.user_salesperson)
        cls.buy(cls.newcomer, [date(2026, 7, 20), date(2026, 8, 5)])
        cls.declining = cls.new_customer("Fading a.s.", cls.user_salesperson)
        cls.buy(cls.declining, monthly(date(2024, 9, 10), 12), amount=1000.0)
        cls.buy(cls.declining, monthly(date(2025, 9, 10), 12), amount=400.0)

    def test_monthly_buyer_who_stops_is_told_once(self):
        self.nightly("2026-07-06")  # five weeks after the last purchase
        drift = self.drift_of(self.monthly_buyer)
        self.assertEqual(drift.state, "active")
        self.assertFalse(self.drift_activities(self.monthly_buyer))

        self.nightly("2026-08-10")  # ten weeks
        drift.invalidate_recordset()
        self.assertEqual(drift.state, "lapsing")
        self.assertEqual(drift.state_date, date(2026, 8, 10))
        with freeze_time("2026-08-10"):
            self.assertEqual(
                drift.reason, "Bought about every 31 days; nothing for 70 days."
            )
        with freeze_time("2026-08-11"):  # counted to the day it is read
            drift.invalidate_recordset()
            self.assertEqual(
                drift.reason, "Bought about every 31 days; nothing for 71 days."
            )
        activity = self.drift_activities(self.monthly_buyer)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_salesperson)
        self.assertIn("nothing for 70 days", str(activity.note))

        self.nightly("2026-08-11")  # the next night: still lapsing, not told again
        drift.invalidate_recordset()
        self.assertEqual(drift.state, "lapsing")
        self.assertEqual(drift.state_date, date(2026, 8, 10))
        self.assertEqual(len(self.drift_activities(self.monthly_buyer)), 1)

    def test_seasonal_buyer_is_not_flagged_off_season(self):
        self.nightly("2026-10-15")
        drift = self.drift_of(self.seasonal_buyer)
        self.assertEqual(drift.state, "active")
        self.assertEqual(drift.expected_date, date(2027, 4, 1))
        self.assertIn("yearly rhythm", drift.reason)
        self.assertFalse(self.drift_activities(self.seasonal_buyer))

    def test_new_customer(self):
        self.nightly("2026-08-20")
        drift = self.drift_of(self.newcomer)
        self.assertEqual(drift.state, "new")
        with freeze_time("2026-08-20"):
            self.assertEqual(drift.reason, "New customer: first purchase 31 days ago.")

    def test_declining_customer_told_on_the_turn(self):
        self.nightly("2025-09-20")
        self.assertEqual(self.drift_of(self.declining).state, "active")
        self.nightly("2026-08-20")
        drift = self.drift_of(self.declining)
        self.assertEqual(drift.state, "declining")
        self.assertEqual(drift.turnover_12m, 4800.0)  # Sep 2025 .. Aug 2026 x 400
        self.assertEqual(drift.turnover_prev_12m, 12000.0)
        self.assertEqual(drift.lost_turnover, 7200.0)
        self.assertEqual(
            drift.reason,
            "Turnover of the last 12 months is 60 % lower than in the 12 months "
            "before.",
        )
        self.assertEqual(len(self.drift_activities(self.declining)), 1)

    def test_one_mail_per_salesperson_and_night(self):
        self.nightly("2025-09-20")  # both buy as usual
        self.nightly("2026-08-20")  # both have turned since
        told = [
            partner
            for partner in (self.monthly_buyer, self.declining)
            if self.drift_activities(partner)
        ]
        self.assertEqual(len(told), 2)
        Message = self.env["mail.message"]
        to_salesperson = [("partner_ids", "in", self.user_salesperson.partner_id.ids)]
        digest = Message.search(
            [*to_salesperson, ("subject", "like", "Customers drifting away")]
        )
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, "Customers drifting away: 2")
        for partner in told:
            self.assertIn(partner.name, str(digest.body))
            self.assertIn(f"/odoo/res.partner/{partner.id}", str(digest.body))
        # Not one "assigned to you" mail per activity on top of it.
        self.assertFalse(
            Message.search([*to_salesperson, ("subject", "like", "assigned to you")])
        )
        self.nightly("2026-08-21")  # nobody turns: no mail
        self.assertEqual(
            Message.search_count(
                [*to_salesperson, ("subject", "like", "Customers drifting away")]
            ),
            1,
        )

    def test_credit_notes_reduce_turnover_not_rhythm(self):
        self.post_invoice(
            self.newcomer, 300.0, date(2026, 8, 10), move_type="out_refund"
        )
        self.nightly("2026-08-20")
        drift = self.drift_of(self.newcomer)
        self.assertEqual(drift.turnover_12m, 1700.0)
        self.assertEqual(drift.last_purchase_date, date(2026, 8, 5))

    def test_new_thresholds_apply_the_same_night(self):
        # Nothing was bought since the last pass, but the manager raised the
        # lapsing factor: the next pass must not keep the old verdict.
        self.nightly("2026-08-10")
        self.assertEqual(self.drift_of(self.monthly_buyer).state, "lapsing")
        self.company.crm_drift_lapsing_factor = 3.0
        self.nightly("2026-08-10")
        self.assertEqual(self.drift_of(self.monthly_buyer).state, "active")

    def test_cancelled_invoices_remove_the_buying_rhythm(self):
        customer = self.new_customer("Cancelled s.r.o.")
        self.post_invoice(customer, 100.0, date(2026, 8, 3))
        self.env.cr.precommit.clear()
        self.nightly("2026-08-20")
        self.assertEqual(self.drift_of(customer).state, "new")
        invoice = self.env["account.move"].search([("partner_id", "=", customer.id)])
        invoice.button_draft()
        invoice.button_cancel()
        self.env.cr.precommit.clear()
        self.nightly("2026-08-21")
        self.assertFalse(self.drift_of(customer))

    def test_posting_an_invoice_recomputes_its_customer(self):
        customer = self.new_customer("Fresh s.r.o.")
        self.post_invoice(customer, 100.0, date(2026, 11, 2))
        with freeze_time("2026-11-20"):
            self.env.cr.precommit.run()
        self.assertEqual(self.drift_of(customer).state, "new")

    def test_card_fields_and_search(self):
        self.nightly("2026-08-10")
        partner = self.monthly_buyer.with_user(self.user_salesperson)
        with freeze_time("2026-08-10"):
            self.assertEqual(partner.drift_state, "lapsing")
            self.assertIn("nothing for 70 days", partner.drift_reason)
            self.assertEqual(partner.drift_lost_turnover, 12000.0 - 2000.0)
        found = (
            self.env["res.partner"]
            .with_user(self.user_salesperson)
            .search([("drift_state", "in", ["lapsing", "declining"])])
        )
        self.assertIn(self.monthly_buyer, found)
        self.assertNotIn(self.newcomer, found)
        without = self.env["res.partner"].search(
            [
                ("drift_state", "=", False),
                ("id", "in", [self.newcomer.id, self.customer.id]),
            ]
        )
        self.assertEqual(without, self.customer)

    def test_customers_at_risk_sorted_by_turnover_at_stake(self):
        self.nightly("2026-08-20")
        at_risk = self.Drift.with_user(self.user_salesperson).search(
            [("state", "in", ["lapsing", "declining"])]
        )
        self.assertEqual(
            [row.partner_id for row in at_risk], [self.monthly_buyer, self.declining]
        )
        stakes = at_risk.mapped("lost_turnover")
        self.assertEqual(stakes, sorted(stakes, reverse=True))

    def test_system_values_are_not_writable(self):
        self.nightly("2026-08-10")
        drift = self.drift_of(self.monthly_buyer)
        for user in (self.user_salesperson, self.user_accountant, self.user_manager):
            with self.assertRaises(AccessError):
                drift.with_user(user).write({"state": "active"})
            with self.assertRaises(AccessError):
                self.monthly_buyer.with_user(user).write({"drift_state": "active"})

    def test_roles_without_card_cannot_read(self):
        self.nightly("2026-08-10")
        for user in (self.user_internal, self.user_portal):
            with self.assertRaises(AccessError):
                self.Drift.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.monthly_buyer.with_user(user).read(["drift_state"])
        accountant_row = self.drift_of(self.monthly_buyer).with_user(
            self.user_accountant
        )
        self.assertEqual(accountant_row.lost_turnover, 10000.0)

    def test_own_customers_only_and_other_company(self):
        self.nightly("2026-08-10")
        self.env.ref("crm_extended.group_card_own_customers_only").users = [
            (4, self.user_salesperson.id)
        ]
        other_customer = self.new_customer("Someone Else's s.r.o.", self.user_manager)
        self.buy(other_customer, [date(2026, 1, 5), date(2026, 2, 5)])
        self.nightly("2026-08-11")
        visible = self.Drift.with_user(self.user_salesperson).search([])
        self.assertIn(self.monthly_buyer, visible.partner_id)
        self.assertNotIn(other_customer, visible.partner_id)
        self.assertIn(
            other_customer,
            self.Drift.with_user(self.user_accountant).search([]).partner_id,
        )
        other_company = self.setup_other_company()["company"]
        self.post_invoice(
            self.monthly_buyer, 50.0, date(2026, 8, 1), company=other_company
        )
        self.nightly("2026-08-12")
        rows = self.Drift.search([("partner_id", "=", self.monthly_buyer.id)])
        self.assertEqual(rows.company_id, self.company | other_company)
        seen = self.Drift.with_user(self.user_accountant).search(
            [("partner_id", "=", self.monthly_buyer.id)]
        )
        self.assertEqual(seen.company_id, self.company)

    def test_thresholds_are_per_company(self):
        self.company.crm_drift_lapsing_factor = 3.0
        self.nightly("2026-08-10")
        self.assertEqual(self.drift_of(self.monthly_buyer).state, "active")

    def test_query_count_does_not_grow_with_customers(self):
        def queries(partners):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.engine._refresh(partners.ids, today=date(2026, 7, 6))
            return self.env.cr.sql_log_count - start

        four_customers = (
            self.monthly_buyer | self.seasonal_buyer | self.newcomer | self.declining
        )
        # Warm up the ORM caches and write the rows once; nobody turns that day.
        queries(four_customers)
        self.env["crm_extended.partner.drift"].sudo().search([]).unlink()
        one = queries(self.monthly_buyer)
        four = queries(four_customers)
        self.assertEqual(one, four)
