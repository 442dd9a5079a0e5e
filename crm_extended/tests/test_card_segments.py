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

    def test_group_by_one_axis(self):
        Partner = self.env["res.partner"]
        large_east = Partner.create(
            {
                "name": "Large eastern",
                "crm_segment_value_ids": [Command.set((self.large | self.east).ids)],
            }
        )
        only_east = Partner.create(
            {
                "name": "Only eastern",
                "crm_segment_value_ids": [Command.set(self.east.ids)],
            }
        )
        bare = Partner.create({"name": "No segment"})
        self.customer.crm_segment_value_ids = [Command.set(self.small.ids)]
        partners = self.customer | large_east | only_east | bare
        domain = [("id", "in", partners.ids)]
        by_size = Partner.with_context(crm_segment_axis_id=self.size.id)
        groups = dict(
            by_size._read_group(domain, ["crm_segment_value_ids"], ["id:recordset"])
        )
        # axis "region" values are ignored: one group per size, plus none
        self.assertEqual(
            groups,
            {
                self.small: self.customer,
                self.large: large_east,
                self.env["crm_extended.segment.value"]: only_east | bare,
            },
        )
        rows = by_size.web_read_group(
            domain, ["id:count"], ["crm_segment_value_ids"], lazy=True
        )["groups"]
        self.assertEqual(len(rows), 3)
        for row in rows:
            value = row["crm_segment_value_ids"]
            expected = groups[
                self.env["crm_extended.segment.value"].browse(value and value[0])
            ]
            self.assertEqual(row["crm_segment_value_ids_count"], len(expected))
            self.assertEqual(Partner.search(row["__domain"]), expected)
        by_region = Partner.with_context(crm_segment_axis_id=self.region.id)
        groups = dict(
            by_region._read_group(domain, ["crm_segment_value_ids"], ["__count"])
        )
        self.assertEqual(
            groups, {self.east: 2, self.env["crm_extended.segment.value"]: 2}
        )

    def test_axis_action_groups_customers(self):
        action = self.size.action_group_customers()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["context"]["crm_segment_axis_id"], self.size.id)
        self.assertEqual(action["context"]["group_by"], ["crm_segment_value_ids"])
