from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLedgerGuardsTour(HttpCase):
    """The ledger tab pages by the server's page size, shows only the newest
    answer, and writes amounts the user's way with each currency's decimals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("sk_SK")
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_extended.ledger_page_size", "2"
        )
        yen = cls.env.ref("base.JPY")
        yen.active = True
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ledger Guards s.r.o.", "is_company": True}
        )
        company = cls.env.company
        accounts = cls.env["account.account"].with_company(company)
        receivable = accounts.search(
            [
                ("account_type", "=", "asset_receivable"),
                ("company_ids", "in", company.id),
            ],
            limit=1,
        )
        revenue = accounts.search(
            [("account_type", "=", "income"), ("company_ids", "in", company.id)],
            limit=1,
        )
        today = fields.Date.context_today(cls.customer)

        def post(days_ago, amount, **receivable_values):
            day = today - timedelta(days=days_ago)
            side = "debit" if amount > 0 else "credit"
            other = "credit" if amount > 0 else "debit"
            move = cls.env["account.move"].create(
                {
                    "move_type": "entry",
                    "date": day,
                    "ref": f"GUARDS-{days_ago}",
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": receivable.id,
                                "partner_id": cls.customer.id,
                                side: abs(amount),
                                "date_maturity": day,
                                **receivable_values,
                            }
                        ),
                        Command.create({"account_id": revenue.id, other: abs(amount)}),
                    ],
                }
            )
            move.action_post()

        post(60, 1234.5)
        post(30, 10.0, currency_id=yen.id, amount_currency=1500.0)
        post(5, -100.0)
        new_test_user(
            cls.env,
            login="tour_guards_accountant",
            lang="sk_SK",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_invoice,crm_extended.group_card_accountant",
        )

    def test_ledger_widget_guards(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_ledger_guards",
            login="tour_guards_accountant",
        )
