"""Rule-based segmentation axes: ABC, RFM, payment grade and buying state,
filled by the nightly pass, with the history of moves."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .drift_common import DriftTestCommon


@tagged("post_install", "-at_install")
class TestSegmentRules(DriftTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Axis = cls.env["crm_extended.segment.axis"]
        cls.abc_axis = Axis.create({"name": "ABC test", "rule": "abc_turnover"})
        cls.rfm_axis = Axis.create({"name": "RFM test", "rule": "rfm"})
        cls.state_axis = Axis.create({"name": "Buying test", "rule": "drift_state"})
        cls.grade_axis = Axis.create({"name": "Grade test", "rule": "payment_grade"})
        cls.manual_axis = Axis.create(
            {"name": "Size test", "value_ids": [Command.create({"name": "Large"})]}
        )
        # Turnover shares 50 / 30 / 10 / 5 / 5 %.
        cls.customers = {}
        for name, amount, day in (
            ("Alpha", 5000.0, date(2026, 5, 10)),
            ("Beta", 3000.0, date(2026, 4, 10)),
            ("Gamma", 1000.0, date(2026, 3, 10)),
            ("Delta", 500.0, date(2026, 2, 10)),
            ("Epsilon", 500.0, date(2026, 1, 10)),
        ):
            customer = cls.new_customer(f"{name} s.r.o.", cls.user_salesperson)
            cls.buy(customer, [date(2025, 1, 10), day], amount=amount / 2)
            cls.customers[name] = customer

    def values_of(self, axis):
        return {
            name: customer.crm_segment_value_ids.filtered(
                lambda value: value.axis_id == axis
            ).name
            for name, customer in self.customers.items()
        }

    def test_abc_by_share_of_turnover_and_history(self):
        self.nightly("2026-06-01")
        self.assertEqual(
            self.values_of(self.abc_axis),
            {"Alpha": "A", "Beta": "A", "Gamma": "B", "Delta": "B", "Epsilon": "C"},
        )
        moves = self.env["crm_extended.segment.move"].search(
            [("axis_id", "=", self.abc_axis.id)]
        )
        self.assertEqual(len(moves), 5)
        self.assertFalse(moves.from_value_id)
        # Epsilon buys a lot: it moves from C to A, and the move is kept.
        self.post_invoice(self.customers["Epsilon"], 20000.0, date(2026, 6, 1))
        self.nightly("2026-06-02")
        self.assertEqual(self.values_of(self.abc_axis)["Epsilon"], "A")
        move = self.env["crm_extended.segment.move"].search(
            [
                ("axis_id", "=", self.abc_axis.id),
                ("partner_id", "=", self.customers["Epsilon"].id),
            ],
            limit=1,
        )
        self.assertEqual(
            (move.from_value_id.name, move.to_value_id.name, move.date),
            ("C", "A", date(2026, 6, 2)),
        )

    def test_rfm_scores(self):
        self.nightly("2026-06-01")
        values = self.values_of(self.rfm_axis)
        # Alpha: most recent, same frequency as all, largest turnover.
        self.assertEqual(values["Alpha"], "R5 F1 M5")
        self.assertEqual(values["Epsilon"], "R1 F1 M1")

    def test_drift_state_and_payment_grade_axes(self):
        self.customers["Alpha"].sudo().with_company(self.company).payment_grade = "B"
        self.nightly("2026-06-01")
        self.assertEqual(
            self.customers["Alpha"]
            .crm_segment_value_ids.filtered(
                lambda value: value.axis_id == self.grade_axis
            )
            .name,
            "B",
        )
        # Epsilon bought in January 2025 and 2026: a yearly buyer, active.
        states = self.values_of(self.state_axis)
        self.assertEqual(states["Epsilon"], "Active")
        # Segments of rule-based axes work where segments are used: filters.
        found = self.env["res.partner"].search(
            [("crm_segment_value_ids.axis_id", "=", self.abc_axis.id)]
        )
        self.assertEqual(len(found), 5)

    def test_rule_values_are_not_typed_by_hand(self):
        self.nightly("2026-06-01")
        editor = new_test_user(
            self.env,
            login="card_segment_editor",
            groups="base.group_user,base.group_partner_manager,"
            "crm_extended.group_card_manager",
        )
        customer = self.customers["Gamma"].with_user(editor)
        value_b = self.abc_axis.value_ids.filtered(lambda value: value.code == "B")
        self.assertIn(value_b, customer.crm_segment_value_ids)
        with self.assertRaises(AccessError):
            customer.write({"crm_segment_value_ids": [Command.unlink(value_b.id)]})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(editor).create(
                {"name": "Typed s.r.o.", "crm_segment_value_ids": [(4, value_b.id)]}
            )
        # Typing a manual axis' value keeps the rule-based ones.
        large = self.manual_axis.value_ids
        customer.write({"crm_segment_value_ids": [Command.link(large.id)]})
        self.assertIn(large, customer.crm_segment_value_ids)

    def test_rule_axis_needs_a_company_and_history_is_read_only(self):
        with self.assertRaises(ValidationError):
            self.env["crm_extended.segment.axis"].create(
                {"name": "No company", "rule": "rfm", "company_id": False}
            )
        self.nightly("2026-06-01")
        move = self.env["crm_extended.segment.move"].search([], limit=1)
        with self.assertRaises(AccessError):
            move.with_user(self.user_manager).write({"date": date(2020, 1, 1)})
        for user in (self.user_internal, self.user_portal):
            with self.assertRaises(AccessError):
                self.env["crm_extended.segment.move"].with_user(user).search([])

    def test_campaign_member_selection_by_rule_segment(self):
        self.nightly("2026-06-01")
        value_a = self.abc_axis.value_ids.filtered(lambda value: value.code == "A")
        campaign = self.env["utm.campaign"].create({"name": "Key accounts call"})
        wizard = (
            self.env["crm_extended.campaign.member.add"]
            .with_user(self.user_salesperson)
            .create(
                {
                    "campaign_id": campaign.id,
                    "mode": "domain",
                    "partner_domain": repr(
                        [("crm_segment_value_ids", "in", value_a.ids)]
                    ),
                }
            )
        )
        wizard.action_add()
        members = self.env["crm_extended.campaign.member"].search(
            [("campaign_id", "=", campaign.id)]
        )
        self.assertEqual(
            members.partner_id, self.customers["Alpha"] | self.customers["Beta"]
        )
