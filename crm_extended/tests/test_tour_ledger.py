from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLedgerTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ledger Tour s.r.o.", "is_company": True}
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
        # The tour user's today (the server answers in the user's time zone):
        # the same day for the entry and the ledger, also around midnight UTC.
        user = new_test_user(
            cls.env,
            login="tour_ledger_accountant",
            tz="Europe/Bratislava",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_invoice,crm_extended.group_card_accountant",
        )
        today = fields.Date.context_today(cls.customer.with_context(tz=user.tz))
        cls.entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": today,
                "ref": "LEDGER-TOUR-REF",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": cls.customer.id,
                            "debit": 123.0,
                            "date_maturity": today - timedelta(days=1),
                        }
                    ),
                    Command.create({"account_id": revenue.id, "credit": 123.0}),
                ],
            }
        )
        cls.entry.action_post()

    def test_ledger_tab_shows_lines(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_ledger_tab",
            login="tour_ledger_accountant",
        )
