"""The Segmentation Analysis (issue 19): the memberships are a stored table kept
by PostgreSQL, so they must follow every change of what they are made of, and the
pivot shows a user only the customers of its companies."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestSegmentMembership(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Axis = cls.env["crm_extended.segment.axis"]
        cls.size = Axis.create(
            {
                "name": "Membership size",
                "value_ids": [
                    Command.create({"name": "Small"}),
                    Command.create({"name": "Large"}),
                ],
            }
        )
        cls.region = Axis.create(
            {
                "name": "Membership region",
                "value_ids": [Command.create({"name": "East"})],
            }
        )
        cls.small, cls.large = cls.size.value_ids
        cls.east = cls.region.value_ids
        cls.company_b = cls.env["res.company"].create({"name": "Segments B s.r.o."})
        cls.user_b = new_test_user(
            cls.env,
            login="segments_user_b",
            groups="base.group_user,crm_extended.group_card_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.user_both = new_test_user(
            cls.env,
            login="segments_user_both",
            groups="base.group_user,crm_extended.group_card_user",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        cls.customer_a = cls.env["res.partner"].create(
            {
                "name": "Segments A s.r.o.",
                "is_company": True,
                "company_id": cls.company.id,
                "crm_segment_value_ids": [Command.set((cls.large | cls.east).ids)],
            }
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Segments B a.s.",
                "is_company": True,
                "company_id": cls.company_b.id,
                "crm_segment_value_ids": [Command.set(cls.small.ids)],
            }
        )
        cls.shared = cls.env["res.partner"].create(
            {
                "name": "Shared customer",
                "is_company": True,
                "crm_segment_value_ids": [Command.set(cls.small.ids)],
            }
        )

    def rows(self, partners=None):
        """{(customer, segment): (axis, salesperson, country, company, is company)}"""
        self.env.flush_all()
        # A report row read earlier in the test may have been changed since.
        self.env["crm_extended.segment.membership"].invalidate_model()
        partners = partners or self.customer_a | self.customer_b | self.shared
        rows = self.env["crm_extended.segment.membership"].search(
            [("partner_id", "in", partners.ids)]
        )
        return {
            (row.partner_id, row.value_id): (
                row.axis_id,
                row.user_id,
                row.country_id,
                row.company_id,
                row.is_company,
            )
            for row in rows
        }

    def pivot(self, user):
        """The three groupings of the analysis' default layout, as ``user``
        opening it from the menu (its companies selected)."""
        Membership = (
            self.env["crm_extended.segment.membership"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
        )
        axes = [("axis_id", "in", (self.size | self.region).ids)]
        total = Membership.read_group(axes, ["__count"], [], lazy=False)
        by_axis = Membership.read_group(axes, ["__count"], ["axis_id"], lazy=False)
        by_value = Membership.read_group(
            axes, ["__count"], ["axis_id", "value_id"], lazy=False
        )
        return (
            total[0]["__count"],
            {group["axis_id"][1]: group["__count"] for group in by_axis},
            {
                group["value_id"][1]: group["__count"]
                for group in by_value
                if group["value_id"]
            },
        )

    def test_rows_follow_the_customers_segments(self):
        self.assertEqual(
            set(self.rows(self.customer_a)),
            {(self.customer_a, self.large), (self.customer_a, self.east)},
        )
        self.customer_a.crm_segment_value_ids = [Command.set(self.small.ids)]
        self.assertEqual(
            self.rows(self.customer_a),
            {
                (self.customer_a, self.small): (
                    self.size,
                    self.customer_a.user_id,
                    self.customer_a.country_id,
                    self.company,
                    True,
                )
            },
        )
        self.customer_a.crm_segment_value_ids = [Command.clear()]
        self.assertEqual(self.rows(self.customer_a), {})

    def test_rows_follow_the_customer(self):
        slovakia = self.env.ref("base.sk")
        self.customer_a.write(
            {"user_id": self.user_salesperson.id, "country_id": slovakia.id}
        )
        self.assertEqual(
            set(self.rows(self.customer_a).values()),
            {
                (self.size, self.user_salesperson, slovakia, self.company, True),
                (self.region, self.user_salesperson, slovakia, self.company, True),
            },
        )
        # Archived customers are not in the analysis; restored, they are back.
        self.customer_a.action_archive()
        self.assertEqual(self.rows(self.customer_a), {})
        self.customer_a.action_unarchive()
        self.assertEqual(len(self.rows(self.customer_a)), 2)
        self.customer_b.unlink()
        self.assertEqual(
            set(self.rows()),
            {(self.shared, self.small)} | set(self.rows(self.customer_a)),
        )

    def test_rows_follow_the_segments(self):
        # A value moved to another axis, a value deleted, an axis deleted.
        self.small.axis_id = self.region
        self.assertEqual(
            {key: row[0] for key, row in self.rows(self.shared).items()},
            {(self.shared, self.small): self.region},
        )
        self.small.unlink()
        self.assertEqual(self.rows(self.shared), {})
        self.region.unlink()
        self.assertEqual(
            set(self.rows(self.customer_a)), {(self.customer_a, self.large)}
        )

    def test_rows_follow_a_partner_merge(self):
        duplicate = self.env["res.partner"].create(
            {"name": "Shared customer (copy)", "is_company": True}
        )
        duplicate.crm_segment_value_ids = [Command.set(self.east.ids)]
        self.env.flush_all()
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.shared | duplicate).ids, self.shared)
        self.assertEqual(
            set(self.rows(self.shared)),
            {(self.shared, self.small), (self.shared, self.east)},
        )

    def test_rows_follow_the_nightly_rule_based_pass(self):
        grade = self.env["crm_extended.segment.axis"].create(
            {"name": "Membership grade", "rule": "payment_grade"}
        )

        def graded():
            self.env.flush_all()
            grade._fill_rule_axes()
            return {
                (partner, value.code)
                for (partner, value), (axis, *_rest) in self.rows().items()
                if axis == grade
            }

        self.customer_a.sudo().with_company(self.company).payment_grade = "B"
        self.assertEqual(graded(), {(self.customer_a, "B")})
        self.customer_a.sudo().with_company(self.company).payment_grade = "A"
        self.customer_b.sudo().with_company(self.company).payment_grade = "C"
        self.assertEqual(graded(), {(self.customer_a, "A"), (self.customer_b, "C")})
        # The customers' manual segments are untouched.
        self.assertEqual(
            {key for key, row in self.rows(self.customer_a).items() if row[0] != grade},
            {(self.customer_a, self.large), (self.customer_a, self.east)},
        )

    def test_pivot_shows_the_customers_of_the_users_companies(self):
        self.assertEqual(
            self.pivot(self.user_salesperson),
            (
                3,
                {"Membership size": 2, "Membership region": 1},
                {
                    "Membership size: Small": 1,
                    "Membership size: Large": 1,
                    "Membership region: East": 1,
                },
            ),
        )
        self.assertEqual(
            self.pivot(self.user_b),
            (2, {"Membership size": 2}, {"Membership size: Small": 2}),
        )
        self.assertEqual(self.pivot(self.user_both)[0], 4)
        # A customer moved to company B leaves company A's analysis.
        self.customer_a.company_id = self.company_b
        self.assertEqual(self.pivot(self.user_salesperson)[0], 1)
        self.assertEqual(self.pivot(self.user_b)[0], 4)

    def test_nobody_writes_the_analysis(self):
        self.env.flush_all()
        row = self.env["crm_extended.segment.membership"].search(
            [("partner_id", "=", self.customer_a.id)], limit=1
        )
        for user in (self.user_manager, self.user_accountant, self.user_internal):
            Membership = self.env["crm_extended.segment.membership"].with_user(user)
            with self.assertRaises(AccessError):
                Membership.create(
                    {"partner_id": self.shared.id, "value_id": self.east.id}
                )
            with self.assertRaises(AccessError):
                row.with_user(user).write({"value_id": self.small.id})
        # A user without a card role does not read it either.
        with self.assertRaises(AccessError):
            self.env["crm_extended.segment.membership"].with_user(
                self.user_internal
            ).search([])
