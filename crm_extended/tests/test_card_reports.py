"""Reports grouped the way users ask (issue 15, item 6): turnover and margin from
the Sales Analysis, open and overdue amounts from the Receivables Analysis, by
salesperson, team, country, region, segment, grade and month; sums in grouped
contact lists; each for the roles that may see it."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .payment_common import TODAY, PaymentTestCommon


@tagged("post_install", "-at_install")
class TestCardReports(PaymentTestCommon):
    """Two salespeople in two teams; on 2026-06-30:

    * Západ s.r.o. (SK, Bratislava region, segment Large), Anna's customer:
      invoice 1000 (cost 600) due 2026-05-15, unpaid: overdue 46 days, grade D;
    * Východ a.s. (CZ, segment Small), Boris's customer: invoice 400 (cost 240)
      due 2026-07-31 and a credit note 100 (cost -60) of 2026-06-10 not matched
      yet: open 300; the credit, past its date, makes the overdue amount -100.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,sales_team.group_sale_salesman"
        cls.anna = new_test_user(cls.env, login="report_anna", groups=groups)
        cls.boris = new_test_user(cls.env, login="report_boris", groups=groups)
        cls.team_west = cls.env["crm.team"].create(
            {"name": "Team West", "member_ids": [Command.link(cls.anna.id)]}
        )
        cls.team_east = cls.env["crm.team"].create(
            {"name": "Team East", "member_ids": [Command.link(cls.boris.id)]}
        )
        slovakia = cls.env.ref("base.sk")
        cls.bratislava = cls.env["res.country.state"].create(
            {"name": "Bratislavský kraj", "code": "BA-T", "country_id": slovakia.id}
        )
        axis = cls.env["crm_extended.segment.axis"].create({"name": "Report size"})
        cls.large, cls.small = cls.env["crm_extended.segment.value"].create(
            [
                {"name": "Large", "axis_id": axis.id},
                {"name": "Small", "axis_id": axis.id},
            ]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Report pump", "standard_price": 60.0}
        )
        cls.west = cls.env["res.partner"].create(
            {
                "name": "Západ s.r.o.",
                "is_company": True,
                "country_id": slovakia.id,
                "state_id": cls.bratislava.id,
                "user_id": cls.anna.id,
                "crm_segment_value_ids": [Command.link(cls.large.id)],
            }
        )
        cls.east = cls.env["res.partner"].create(
            {
                "name": "Východ a.s.",
                "is_company": True,
                "country_id": cls.env.ref("base.cz").id,
                "user_id": cls.boris.id,
                "crm_segment_value_ids": [Command.link(cls.small.id)],
            }
        )
        cls.invoice(cls.west, cls.anna, "2026-03-31", "2026-05-15", 10, 100.0)
        cls.invoice(cls.east, cls.boris, "2026-06-01", "2026-07-31", 4, 100.0)
        cls.invoice(
            cls.east, cls.boris, "2026-06-10", "2026-06-10", 1, 100.0, "out_refund"
        )
        with freeze_time(TODAY):
            cls.env.cr.flush()  # the pre-commit refresh of the stored figures

    @classmethod
    def invoice(cls, partner, user, day, due, quantity, price, kind="out_invoice"):
        move = cls.env["account.move"].create(
            {
                "move_type": kind,
                "partner_id": partner.id,
                "invoice_user_id": user.id,
                "invoice_date": fields.Date.to_date(day),
                "invoice_date_due": fields.Date.to_date(due),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def grouped(self, model, groupby, aggregates, user=None):
        env = self.env(user=user or self.user_accountant)
        rows = env[model]._read_group(
            [("partner_id", "in", (self.west | self.east).ids)], [groupby], aggregates
        )
        return {
            (key.display_name or False if hasattr(key, "_name") else key): values
            for key, *values in rows
        }

    def test_sales_by_salesperson_team_country_region_segment_grade_month(self):
        sales = "crm_extended.sale.report"
        aggregates = ["turnover:sum", "profit:sum"]
        self.assertEqual(
            self.grouped(sales, "user_id", aggregates),
            {self.anna.name: [1000.0, 400.0], self.boris.name: [300.0, 120.0]},
        )
        self.assertEqual(
            self.grouped(sales, "team_id", aggregates),
            {"Team West": [1000.0, 400.0], "Team East": [300.0, 120.0]},
        )
        self.assertEqual(
            self.grouped(sales, "country_id", ["turnover:sum"]),
            {"Slovakia": [1000.0], "Czech Republic": [300.0]},
        )
        self.assertEqual(
            self.grouped(sales, "state_id", ["turnover:sum"]),
            {"Bratislavský kraj (SK)": [1000.0], False: [300.0]},
        )
        self.assertEqual(
            self.grouped(sales, "segment_value_ids", ["turnover:sum"]),
            {"Report size: Large": [1000.0], "Report size: Small": [300.0]},
        )
        self.assertEqual(
            self.grouped(sales, "payment_grade", ["turnover:sum"]),
            {"D": [1000.0], False: [300.0]},
        )
        self.assertEqual(
            self.grouped(sales, "invoice_date:month", ["turnover:sum"]).keys(),
            {fields.Date.to_date("2026-03-01"), fields.Date.to_date("2026-06-01")},
        )

    @freeze_time(TODAY)
    def test_open_and_overdue_by_salesperson_country_segment_grade_month(self):
        items = "crm_extended.open.item"
        aggregates = ["residual:sum", "overdue_amount:sum"]
        self.assertEqual(
            self.grouped(items, "user_id", aggregates),
            {self.anna.name: [1000.0, 1000.0], self.boris.name: [300.0, -100.0]},
        )
        self.assertEqual(
            self.grouped(items, "team_id", aggregates),
            {"Team West": [1000.0, 1000.0], "Team East": [300.0, -100.0]},
        )
        self.assertEqual(
            self.grouped(items, "country_id", aggregates),
            {"Slovakia": [1000.0, 1000.0], "Czech Republic": [300.0, -100.0]},
        )
        self.assertEqual(
            self.grouped(items, "state_id", ["overdue_amount:sum"]),
            {"Bratislavský kraj (SK)": [1000.0], False: [-100.0]},
        )
        self.assertEqual(
            self.grouped(items, "segment_value_ids", ["overdue_amount:sum"]),
            {"Report size: Large": [1000.0], "Report size: Small": [-100.0]},
        )
        self.assertEqual(
            self.grouped(items, "payment_grade", aggregates),
            {"D": [1000.0, 1000.0], False: [300.0, -100.0]},
        )
        by_due_month = self.grouped(items, "date_maturity:month", aggregates)
        self.assertEqual(
            by_due_month[fields.Date.to_date("2026-05-01")], [1000.0, 1000.0]
        )
        self.assertEqual(
            self.grouped(items, "ageing_bucket", ["residual:sum"]),
            {"31_60": [1000.0], "not_due": [400.0], "1_30": [-100.0]},
        )

    def test_margin_and_receivables_only_for_those_who_may(self):
        Sales = self.env["crm_extended.sale.report"].with_user(self.user_salesperson)
        self.assertEqual(
            Sales._read_group(
                [("partner_id", "=", self.west.id)], [], ["turnover:sum"]
            ),
            [(1000.0,)],
        )
        with self.assertRaises(AccessError):
            Sales._read_group([], ["user_id"], ["profit:sum"])
        with self.assertRaises(AccessError):
            self.env["crm_extended.open.item"].with_user(self.user_salesperson).search(
                []
            )
        # Contacts grouped by grade: sums for accountants only.
        Partner = self.env["res.partner"]
        domain = [("id", "in", (self.west | self.east).ids)]
        groups = Partner.with_user(self.user_accountant).read_group(
            domain,
            ["payment_open_amount:sum", "payment_overdue_amount:sum"],
            ["payment_grade"],
        )
        sums = {
            group["payment_grade"]: (
                group["payment_open_amount"],
                group["payment_overdue_amount"],
            )
            for group in groups
        }
        self.assertEqual(sums, {"D": (1000.0, 1000.0), False: (300.0, -100.0)})
        with self.assertRaises(AccessError):
            Partner.with_user(self.user_salesperson).read_group(
                domain, ["payment_open_amount:sum"], ["payment_grade"]
            )

    def test_other_company_sees_none_of_these_items(self):
        company_2 = self.setup_other_company(name="Report Company 2")["company"]
        other = new_test_user(
            self.env,
            login="report_other_accountant",
            groups="base.group_user,crm_extended.group_card_accountant",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )
        items = self.env["crm_extended.open.item"].with_user(other)
        self.assertFalse(items.search([("partner_id", "=", self.west.id)]))
