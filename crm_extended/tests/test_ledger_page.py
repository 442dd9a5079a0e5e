from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CardTestCommon


@tagged("post_install", "-at_install")
class TestLedgerPage(CardTestCommon):
    """The ledger tab's call: default period, pages, a query budget that does not
    grow with the number of lines."""

    @classmethod
    def _entry(cls, partner, amounts, date):
        receivable = cls.company_data["default_account_receivable"]
        revenue = cls.company_data["default_account_revenue"]
        lines = [
            Command.create(
                {"account_id": receivable.id, "partner_id": partner.id, "debit": amount}
            )
            for amount in amounts
        ]
        lines.append(Command.create({"account_id": revenue.id, "credit": sum(amounts)}))
        move = cls.env["account.move"].create(
            {"move_type": "entry", "date": date, "line_ids": lines}
        )
        move.action_post()
        return move

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls.env["res.partner"].create(
            {"name": "Five Lines s.r.o.", "is_company": True}
        )
        cls.big = cls.env["res.partner"].create(
            {"name": "Five Hundred Lines a.s.", "is_company": True}
        )
        cls._entry(cls.small, [1.0] * 5, "2026-02-01")
        cls._entry(cls.big, [1.0] * 500, "2026-02-01")
        cls._entry(cls.big, [7.0], "2025-06-01")

    @freeze_time("2026-03-15")
    def test_default_period_is_the_fiscal_year_up_to_today(self):
        page = self.big.with_user(self.user_accountant).crm_ledger_page()
        self.assertEqual(str(page["date_from"]), "2026-01-01")
        self.assertEqual(str(page["date_to"]), "2026-03-15")
        self.assertEqual(page["opening_balance"], 7.0)
        self.assertEqual(page["line_count"], 500)
        self.assertEqual(len(page["lines"]), 80)
        self.assertEqual((page["page_first"], page["page_last"]), (1, 80))
        self.assertEqual(page["lines"][-1]["balance"], 87.0)
        last = self.big.with_user(self.user_accountant).crm_ledger_page(offset=480)
        self.assertEqual(len(last["lines"]), 20)
        self.assertEqual((last["page_first"], last["page_last"]), (481, 500))
        self.assertEqual(last["lines"][-1]["balance"], 507.0)
        self.assertEqual(last["closing_balance"], 507.0)

    @freeze_time("2026-03-15")
    def test_query_count_does_not_grow_with_lines(self):
        env = self.env(user=self.user_accountant)
        # Warm up the user, the groups and the company once.
        self.small.with_env(env).crm_ledger_page()
        self.big.with_env(env).crm_ledger_page()
        for partner in (self.small, self.big):
            env.invalidate_all()
            env["res.partner"].browse(partner.id).mapped("name")
            # The ledger's statements and one for the page's currencies (their
            # decimals for the widget): the same for 3 lines and for 500.
            with self.assertQueryCount(6):
                page = partner.with_env(env).crm_ledger_page()
            self.assertTrue(page["lines"])

    @freeze_time("2026-03-15")
    def test_open_items_query_count_does_not_grow_with_items(self):
        env = self.env(user=self.user_accountant)
        self.small.with_env(env).crm_ledger_open_items(limit=80)
        self.big.with_env(env).crm_ledger_open_items(limit=80)
        counts = []
        for partner in (self.small, self.big):
            env.invalidate_all()
            env["res.partner"].browse(partner.id).mapped("name")
            self.env.flush_all()
            before = self.cr.sql_log_count
            items = partner.with_env(env).crm_ledger_open_items(limit=80)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(items["lines"]), min(items["line_count"], 80))
        self.assertEqual(counts[0], counts[1])
        # The items, their currencies, the last reminder of each and the
        # late-payment interest (instalments, settlements, rates): a fixed set.
        self.assertLessEqual(counts[1], 9)
        self.assertEqual(items["line_count"], 501)
        self.assertEqual(items["open"], 507.0)

    def test_salesperson_denied_on_the_page_and_actions(self):
        partner = self.small.with_user(self.user_salesperson)
        for method in (
            partner.crm_ledger_page,
            partner.action_crm_ledger_statement,
            partner.action_crm_ledger_confirmation,
            partner.action_crm_ledger_xlsx,
            partner.crm_ledger_open_items,
            partner.action_crm_ledger_open_items_pdf,
            partner.action_crm_ledger_open_items_xlsx,
        ):
            with self.assertRaises(AccessError):
                method()

    def test_ledger_page_only_in_the_accountants_form(self):
        def form_arch(user):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            return views["views"]["form"]["arch"]

        self.assertIn('name="crm_ledger"', form_arch(self.user_accountant))
        self.assertNotIn('name="crm_ledger"', form_arch(self.user_salesperson))
