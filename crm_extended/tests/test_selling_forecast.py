from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .selling_common import TODAY, SellingTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSellingForecast(SellingTestCommon):
    """Weighted pipeline, last year's turnover and targets per salesperson and
    month, with the CRM's record rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Last April's invoice of the own salesperson: April 2026 "last year".
        cls.invoice_last_april = cls.post_invoice(
            cls.pipeline_customer, 1200.0, "2025-04-10"
        )
        cls.invoice_last_april.invoice_user_id = cls.sales_own
        # Another salesperson's invoice of last April.
        cls.post_invoice(
            cls.pipeline_customer, 700.0, "2025-04-20"
        ).invoice_user_id = cls.sales_all
        Target = cls.env["crm_extended.sales.target"]
        cls.target_own = Target.create(
            {
                "user_id": cls.sales_own.id,
                "team_id": cls.team.id,
                "month": "2026-04-17",
                "amount": 5000.0,
            }
        )
        cls.target_all = Target.create(
            {"user_id": cls.sales_all.id, "month": "2026-04-01", "amount": 8000.0}
        )
        cls.target_b = Target.with_company(cls.company_b).create(
            {
                "user_id": cls.sales_own.id,
                "month": "2026-04-01",
                "amount": 99.0,
                "company_id": cls.company_b.id,
            }
        )

    def _forecast(self, user, groupby, domain=()):
        self.env.flush_all()
        groups = (
            self.env["crm_extended.sales.forecast"]
            .with_user(user)
            .with_context(allowed_company_ids=self.company.ids)
            .read_group(
                list(domain),
                [
                    "weighted_revenue:sum",
                    "expected_revenue:sum",
                    "turnover_last_year:sum",
                    "turnover:sum",
                    "target:sum",
                ],
                groupby,
                lazy=False,
            )
        )
        return groups

    def test_target_month_is_its_first_day(self):
        self.assertEqual(self.target_own.month, date(2026, 4, 1))
        self.target_own.month = "2026-05-31"
        self.assertEqual(self.target_own.month, date(2026, 5, 1))

    def test_target_needs_a_salesperson_or_a_team(self):
        with self.assertRaises(ValidationError):
            self.env["crm_extended.sales.target"].create(
                {"month": "2026-06-01", "amount": 1.0}
            )

    def test_forecast_per_salesperson_and_month(self):
        groups = self._forecast(
            self.sales_manager,
            ["user_id", "month:month"],
            [("company_id", "=", self.company.id), ("month", "=", "2026-04-01")],
        )
        by_user = {group["user_id"][0]: group for group in groups}
        own = by_user[self.sales_own.id]
        # A: 1000 at 30 % closing in April; last April 1200; target 5000.
        self.assertAlmostEqual(own["weighted_revenue"], 300.0)
        self.assertAlmostEqual(own["expected_revenue"], 1000.0)
        self.assertAlmostEqual(own["turnover_last_year"], 1200.0)
        self.assertAlmostEqual(own["target"], 5000.0)
        other = by_user[self.sales_all.id]
        self.assertAlmostEqual(other["turnover_last_year"], 700.0)
        self.assertAlmostEqual(other["target"], 8000.0)
        self.assertAlmostEqual(other["weighted_revenue"], 0.0)

    def test_this_years_turnover_stays_in_its_month(self):
        groups = self._forecast(
            self.sales_manager,
            ["month:month"],
            [("company_id", "=", self.company.id), ("kind", "=", "turnover")],
        )
        months = {group["month:month"]: group["turnover"] for group in groups}
        self.assertIn("April 2025", months)
        self.assertAlmostEqual(months["April 2025"], 1900.0)

    def test_won_and_lost_opportunities_are_not_pipeline(self):
        self.env.flush_all()
        rows = self.env["crm_extended.sales.forecast"].search(
            [("kind", "=", "pipeline")]
        )
        self.assertIn(self.lead_a, rows.lead_id)
        for lead in (self.lead_b, self.lead_c, self.lead_d, self.lead_e):
            self.assertNotIn(lead, rows.lead_id)

    def test_my_forecast_shows_only_my_documents(self):
        groups = self._forecast(self.sales_own, ["user_id"])
        by_user = {group["user_id"] and group["user_id"][0]: group for group in groups}
        self.assertIn(self.sales_own.id, by_user)
        self.assertLessEqual(set(by_user), {self.sales_own.id, False})
        own = by_user[self.sales_own.id]
        self.assertAlmostEqual(own["target"], 5000.0)  # company B's target hidden
        self.assertAlmostEqual(own["turnover_last_year"], 1200.0)
        with_b = (
            self.env["crm_extended.sales.forecast"]
            .with_user(self.sales_own)
            .with_context(allowed_company_ids=[self.company.id, self.company_b.id])
            .search([("kind", "=", "target")])
        )
        self.assertEqual(len(with_b), 2)

    def test_forecast_by_customer_country_and_segment(self):
        slovakia = self.env.ref("base.sk")
        self.pipeline_customer.country_id = slovakia
        axis = self.env["crm_extended.segment.axis"].create({"name": "Forecast Size"})
        large = self.env["crm_extended.segment.value"].create(
            {"name": "Large", "axis_id": axis.id}
        )
        self.pipeline_customer.crm_segment_value_ids = large
        domain = [("company_id", "=", self.company.id), ("month", "=", "2026-04-01")]
        by_country = self._forecast(self.sales_manager, ["country_id"], domain)
        sk = next(
            g
            for g in by_country
            if g["country_id"] and g["country_id"][0] == slovakia.id
        )
        self.assertAlmostEqual(sk["weighted_revenue"], 300.0)
        self.assertAlmostEqual(sk["turnover_last_year"], 1900.0)
        forecast = self.env["crm_extended.sales.forecast"].with_user(self.sales_manager)
        by_segment = forecast.with_context(crm_segment_axis_id=axis.id).read_group(
            domain, ["turnover_last_year:sum", "target:sum"], ["segment_value_ids"]
        )
        rows = {
            group["segment_value_ids"] and group["segment_value_ids"][0]: group
            for group in by_segment
        }
        self.assertAlmostEqual(rows[large.id]["turnover_last_year"], 1900.0)
        # Targets have no customer: they fall into "None".
        self.assertAlmostEqual(rows[False]["target"], 13000.0)

    def test_only_managers_set_targets(self):
        Target = self.env["crm_extended.sales.target"]
        with self.assertRaises(AccessError):
            Target.with_user(self.sales_all).create(
                {"user_id": self.sales_all.id, "month": "2026-07-01", "amount": 1.0}
            )
        own_view = (
            Target.with_user(self.sales_own)
            .with_context(allowed_company_ids=self.company.ids)
            .search([])
        )
        self.assertEqual(own_view, self.target_own)
        Target.with_user(self.sales_manager).create(
            {"team_id": self.team.id, "month": "2026-07-01", "amount": 1.0}
        )
        for user in (self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Target.with_user(user).search([])

    def test_forecast_is_for_salespeople(self):
        for user in (self.user_accountant, self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm_extended.sales.forecast"].with_user(user).search([])

    def test_grouping_wizard_opens_the_forecast(self):
        wizard = (
            self.env["crm_extended.report.grouping"]
            .with_user(self.sales_manager)
            .create({"report": "forecast", "forecast_groupby": "team_id"})
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "crm_extended.sales.forecast")
        self.assertEqual(action["context"]["pivot_row_groupby"], ["team_id"])
        self.assertEqual(action["context"]["pivot_column_groupby"], ["month:month"])
        wizard.forecast_groupby = "month"
        action = wizard.action_open()
        self.assertEqual(action["context"]["pivot_row_groupby"], ["month:month"])
        self.assertEqual(action["context"]["pivot_column_groupby"], ["kind"])

    def test_team_target_without_salesperson(self):
        target = self.env["crm_extended.sales.target"].create(
            {
                "team_id": self.team.id,
                "month": fields.Date.to_date("2026-08-01"),
                "amount": 30000.0,
                "company_id": self.company.id,
            }
        )
        self.assertFalse(target.user_id)
        groups = self._forecast(
            self.sales_manager,
            ["team_id"],
            [("kind", "=", "target"), ("month", "=", "2026-08-01")],
        )
        self.assertEqual(groups[0]["team_id"][0], self.team.id)
        self.assertAlmostEqual(groups[0]["target"], 30000.0)
        self.assertTrue(target.with_user(self.sales_own).read(["amount"]))

    def test_salesperson_team_is_proposed(self):
        self.team.member_ids = [Command.link(self.sales_all.id)]
        target = self.env["crm_extended.sales.target"].create(
            {"user_id": self.sales_all.id, "month": "2026-09-01", "amount": 1.0}
        )
        self.assertEqual(target.team_id, self.team)

    def test_report_views_open_for_a_salesperson(self):
        """Every view of the selling reports loads and its default grouping reads."""
        for model, measures in (
            ("crm_extended.sales.forecast", ["weighted_revenue", "target"]),
            ("crm_extended.offer.report", ["offer_count", "win_rate", "amount"]),
            ("crm_extended.potential.report", ["potential", "sales_yield"]),
        ):
            with self.subTest(model=model):
                Report = self.env[model].with_user(self.sales_all)
                views = Report.get_views(
                    [(False, kind) for kind in ("pivot", "graph", "list", "search")]
                )
                self.assertEqual(
                    set(views["views"]), {"pivot", "graph", "list", "search"}
                )
                Report.read_group([], measures, ["user_id"])

    def test_every_forecast_row_opens_its_document(self):
        self.env.flush_all()
        Forecast = (
            self.env["crm_extended.sales.forecast"]
            .with_user(self.sales_manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        for kind, expected in (
            ("pipeline", self.lead_a),
            ("turnover_last_year", self.invoice_last_april),
            ("target", self.target_own),
        ):
            with self.subTest(kind=kind):
                row = Forecast.search(
                    [
                        ("kind", "=", kind),
                        ("user_id", "=", self.sales_own.id),
                        ("month", "=", "2026-04-01"),
                    ]
                )
                self.assertEqual(len(row), 1)
                action = row.action_open_document()
                self.assertEqual(
                    (action["res_model"], action["res_id"]),
                    (expected._name, expected.id),
                )
