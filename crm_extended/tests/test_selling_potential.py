from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .selling_common import TODAY, SellingTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSellingPotential(SellingTestCommon):
    """Yearly potential per company, from the customer or its segment, and the
    yield of the last 12 months' turnover against it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Turnover of the last 12 months: 2000 + 500; older invoices do not count.
        cls.post_invoice(cls.pipeline_customer, 2000.0, "2025-06-01")
        cls.post_invoice(cls.pipeline_contact, 500.0, "2026-02-01")
        cls.post_invoice(cls.pipeline_customer, 9000.0, "2025-01-10")
        cls.pipeline_customer.sales_potential = 10000.0
        cls.axis = cls.env["crm_extended.segment.axis"].create(
            {"name": "Potential Size"}
        )
        cls.large = cls.env["crm_extended.segment.value"].create(
            {"name": "Large", "axis_id": cls.axis.id, "default_potential": 20000.0}
        )
        cls.medium = cls.env["crm_extended.segment.value"].create(
            {"name": "Medium", "axis_id": cls.axis.id, "default_potential": 5000.0}
        )
        cls.industry = cls.env["crm_extended.segment.axis"].create(
            {"name": "Potential Industry"}
        )
        cls.machinery = cls.env["crm_extended.segment.value"].create(
            {
                "name": "Machinery",
                "axis_id": cls.industry.id,
                "default_potential": 8000.0,
            }
        )
        cls.segment_customer = cls.env["res.partner"].create(
            {
                "name": "Segment Customer s.r.o.",
                "is_company": True,
                "user_id": cls.sales_own.id,
                "crm_segment_value_ids": [Command.set((cls.large | cls.machinery).ids)],
            }
        )
        cls.post_invoice(cls.segment_customer, 1000.0, "2026-01-15")

    def test_yield_against_the_entered_potential(self):
        customer = self.pipeline_customer.with_user(self.sales_own)
        self.assertAlmostEqual(customer.sales_potential, 10000.0)
        self.assertAlmostEqual(customer.sales_potential_effective, 10000.0)
        self.assertFalse(customer.sales_potential_from_segment)
        self.assertAlmostEqual(customer.card_turnover_12m, 2500.0)
        self.assertAlmostEqual(customer.sales_yield, 25.0)
        self.assertAlmostEqual(customer.sales_potential_unused, 7500.0)
        # The contact shows its company's yield.
        contact = self.pipeline_contact.with_user(self.sales_own)
        self.assertAlmostEqual(contact.sales_yield, 25.0)

    def test_potential_from_the_segment_default(self):
        customer = self.segment_customer.with_user(self.sales_own)
        self.assertFalse(customer.sales_potential)
        # The highest default of its segments.
        self.assertAlmostEqual(customer.sales_potential_effective, 20000.0)
        self.assertTrue(customer.sales_potential_from_segment)
        self.assertAlmostEqual(customer.sales_yield, 5.0)
        customer.sales_potential = 4000.0
        self.assertAlmostEqual(customer.sales_potential_effective, 4000.0)
        self.assertAlmostEqual(customer.sales_yield, 25.0)

    def test_potential_is_per_company(self):
        in_b = self.pipeline_customer.with_company(self.company_b)
        self.assertFalse(in_b.sales_potential)
        in_b.sales_potential = 123.0
        self.assertAlmostEqual(self.pipeline_customer.sales_potential, 10000.0)
        self.assertAlmostEqual(in_b.sales_potential, 123.0)
        # Segment defaults are per company too.
        self.assertFalse(self.large.with_company(self.company_b).default_potential)

    def test_salesperson_enters_the_potential(self):
        self.pipeline_customer.with_user(self.sales_own).sales_potential = 12000.0
        self.assertAlmostEqual(self.pipeline_customer.sales_potential, 12000.0)

    def test_roles_without_the_card_cannot_read_the_potential(self):
        for user in (self.user_internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.pipeline_customer.with_user(user).read(["sales_potential"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.pipeline_customer.with_user(user).read(["sales_yield"])

    def test_customers_with_the_most_unused_potential_first(self):
        self.env.flush_all()
        rows = (
            self.env["crm_extended.potential.report"]
            .with_user(self.user_accountant)
            .search(
                [
                    (
                        "partner_id",
                        "in",
                        (self.pipeline_customer | self.segment_customer).ids,
                    )
                ]
            )
        )
        # Segment customer: 20000 - 1000 = 19000; pipeline customer: 7500.
        self.assertEqual(
            rows.partner_id, self.segment_customer | self.pipeline_customer
        )
        self.assertEqual(rows[0].partner_id, self.segment_customer)
        self.assertAlmostEqual(rows[0].unused_potential, 19000.0)
        self.assertTrue(rows[0].from_segment)
        self.assertAlmostEqual(rows[1].unused_potential, 7500.0)
        self.assertAlmostEqual(rows[1].sales_yield, 25.0)
        self.assertAlmostEqual(rows[1].turnover_12m, 2500.0)

    def test_potential_report_by_segment(self):
        self.pipeline_customer.crm_segment_value_ids = self.medium
        self.env.flush_all()
        groups = (
            self.env["crm_extended.potential.report"]
            .with_user(self.user_accountant)
            .with_context(crm_segment_axis_id=self.axis.id)
            .read_group(
                [
                    (
                        "partner_id",
                        "in",
                        (self.pipeline_customer | self.segment_customer).ids,
                    )
                ],
                ["potential:sum", "turnover_12m:sum", "sales_yield"],
                ["segment_value_ids"],
            )
        )
        rows = {group["segment_value_ids"][0]: group for group in groups}
        self.assertAlmostEqual(rows[self.large.id]["potential"], 20000.0)
        self.assertAlmostEqual(rows[self.medium.id]["sales_yield"], 25.0)

    def test_potential_report_keeps_own_customers_own(self):
        own_only = self.env.ref("crm_extended.group_card_own_customers_only")
        self.sales_own.groups_id = [Command.link(own_only.id)]
        self.pipeline_customer.user_id = self.sales_all
        self.env.flush_all()
        rows = (
            self.env["crm_extended.potential.report"]
            .with_user(self.sales_own)
            .search([])
        )
        self.assertIn(self.segment_customer, rows.partner_id)
        self.assertNotIn(self.pipeline_customer, rows.partner_id)
        with self.assertRaises(AccessError):
            self.env["crm_extended.potential.report"].with_user(
                self.portal_user
            ).search([])

    def test_card_buttons_open_the_turnover_and_the_list(self):
        customer = self.pipeline_customer.with_user(self.sales_own)
        action = customer.action_card_turnover_12m()
        lines = (
            self.env[action["res_model"]]
            .with_user(self.sales_own)
            .search(action["domain"])
        )
        self.assertAlmostEqual(
            sum(lines.mapped("turnover")), customer.card_turnover_12m
        )
