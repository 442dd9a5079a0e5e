from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLedgerOpenItemsTour(HttpCase):
    """An invoice 510 days overdue from an earlier year, one of this year not due
    yet and one in euros: the card's strip, the ledger's default period and its
    open items as an accountant sees them in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Open Items Tour s.r.o.", "is_company": True}
        )
        # The tour user's today (the server answers in the user's time zone):
        # the same day for the data and the ledger, also around midnight UTC.
        user = new_test_user(
            cls.env,
            login="tour_open_items_accountant",
            tz="Europe/Bratislava",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_invoice,crm_extended.group_card_accountant",
        )
        cls.today = today = fields.Date.context_today(
            cls.customer.with_context(tz=user.tz)
        )
        cls.invoice("OPEN-ITEMS-OLD", 400.0, today - timedelta(days=540), 510)
        cls.invoice("OPEN-ITEMS-NEW", 100.0, today.replace(day=1, month=1), -30)
        euro = (
            cls.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", "EUR")])
        )
        euro.active = True
        if euro != cls.env.company.currency_id:
            cls.invoice("OPEN-ITEMS-EUR", 50.0, today, -10, currency=euro)
        cls.env["crm_extended.payment.behaviour"]._refresh(cls.customer.ids)

    @classmethod
    def invoice(cls, ref, amount, day, days_overdue, currency=None):
        today = cls.today
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "ref": ref,
                "invoice_date": day,
                "invoice_date_due": today - timedelta(days=days_overdue),
                "currency_id": (currency or cls.env.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": ref,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_open_items_in_the_browser(self):
        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "crm_extended_ledger_open_items",
            login="tour_open_items_accountant",
        )
