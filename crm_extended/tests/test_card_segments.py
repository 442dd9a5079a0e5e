from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardSegments(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Axis = cls.env["crm_extended.segment.axis"]
        cls.size = Axis.create(
            {
                "name": "Card size",
                "value_ids": [
                    Command.create({"name": "Small"}),
                    Command.create({"name": "Large"}),
                ],
            }
        )
        cls.region = Axis.create(
            {"name": "Card region", "value_ids": [Command.create({"name": "East"})]}
        )
        cls.small, cls.large = cls.size.value_ids
        cls.east = cls.region.value_ids

    def test_one_value_per_axis(self):
        self.customer.crm_segment_value_ids = [
            Command.set((self.small | self.east).ids)
        ]
        with (
            self.assertRaisesRegex(ValidationError, "only one segment per axis"),
            self.env.cr.savepoint(),
        ):
            self.customer.crm_segment_value_ids = [Command.link(self.large.id)]
            self.customer.flush_recordset()
        self.customer.invalidate_recordset()
        with (
            self.assertRaisesRegex(ValidationError, "Card size"),
            self.env.cr.savepoint(),
        ):
            self.env["res.partner"].create(
                {
                    "name": "Two sizes",
                    "crm_segment_value_ids": [
                        Command.set((self.small | self.large).ids)
                    ],
                }
            )
        self.assertEqual(self.customer.crm_segment_value_ids, self.small | self.east)

    def test_value_name_shows_its_axis(self):
        self.assertEqual(self.small.display_name, "Card size: Small")

    def test_search_and_group_by_segment(self):
        other = self.env["res.partner"].create(
            {"name": "Big one", "crm_segment_value_ids": [Command.set(self.large.ids)]}
        )
        self.customer.crm_segment_value_ids = [Command.set(self.small.ids)]
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("crm_segment_value_ids", "in", self.large.ids)]), other
        )
        self.assertEqual(
            Partner.search([("crm_segment_value_ids.axis_id", "=", self.size.id)]),
            self.customer | other,
        )
        groups = dict(
            Partner._read_group(
                [("crm_segment_value_ids.axis_id", "=", self.size.id)],
                ["crm_segment_value_ids"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {self.small: 1, self.large: 1})

    def test_segmentation_analysis_groups_by_axis(self):
        other = self.env["res.partner"].create(
            {
                "name": "Large eastern",
                "crm_segment_value_ids": [Command.set((self.large | self.east).ids)],
            }
        )
        self.customer.crm_segment_value_ids = [Command.set(self.small.ids)]
        self.env.flush_all()
        groups = self.env["crm_extended.segment.membership"]._read_group(
            [("partner_id", "in", (self.customer | other).ids)],
            ["axis_id", "value_id"],
            ["__count"],
        )
        self.assertEqual(
            {(axis.name, value.name): count for axis, value, count in groups},
            {
                ("Card size", "Small"): 1,
                ("Card size", "Large"): 1,
                ("Card region", "East"): 1,
            },
        )

    def test_customers_of_one_axis_grouped_by_its_values(self):
        large_east = self.env["res.partner"].create(
            {
                "name": "Large eastern",
                "crm_segment_value_ids": [Command.set((self.large | self.east).ids)],
            }
        )
        self.customer.crm_segment_value_ids = [Command.set(self.small.ids)]
        self.env.flush_all()
        action = self.size.action_group_customers()
        self.assertEqual(action["res_model"], "crm_extended.segment.membership")
        self.assertEqual(action["context"]["group_by"], ["value_id"])
        Membership = self.env[action["res_model"]].with_user(self.user_salesperson)
        groups = dict(
            Membership._read_group(
                action["domain"], ["value_id"], ["partner_id:recordset"]
            )
        )
        # The values of the region axis do not split the customers of "size".
        self.assertEqual(groups, {self.small: self.customer, self.large: large_east})

    def test_grouping_partners_by_segments_is_odoos_own(self):
        """No context changes how res.partner groups (the axis grouping moved to
        the Segmentation Analysis): a customer falls in each of its values."""
        large_east = self.env["res.partner"].create(
            {
                "name": "Large eastern",
                "crm_segment_value_ids": [Command.set((self.large | self.east).ids)],
            }
        )
        domain = [("id", "=", large_east.id)]
        Partner = self.env["res.partner"]
        plain = Partner._read_group(domain, ["crm_segment_value_ids"], ["__count"])
        with_axis = Partner.with_context(crm_segment_axis_id=self.size.id)._read_group(
            domain, ["crm_segment_value_ids"], ["__count"]
        )
        self.assertEqual(dict(plain), {self.large: 1, self.east: 1})
        self.assertEqual(with_axis, plain)
