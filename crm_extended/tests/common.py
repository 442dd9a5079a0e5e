"""Shared set-up for the customer card tests.

A chart of accounts, customers, one user per card role, and helpers that post
invoices and register payments on given dates.
"""

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


class CardTestCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        # The user the tests run as administers the card (no Odoo group carries
        # the card Manager role: readme/CONFIGURE.md).
        cls.env.user.groups_id = [
            Command.link(cls.env.ref("crm_extended.group_card_manager").id)
        ]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Card Customer s.r.o.", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Jana Card", "parent_id": cls.customer.id}
        )
        company_ids = [Command.set(cls.company.ids)]
        cls.user_salesperson = new_test_user(
            cls.env,
            login="card_salesperson",
            groups="base.group_user,crm_extended.group_card_user",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.user_accountant = new_test_user(
            cls.env,
            login="card_accountant",
            groups="base.group_user,crm_extended.group_card_accountant",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="card_manager",
            groups="base.group_user,crm_extended.group_card_manager",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.user_internal = new_test_user(
            cls.env,
            login="card_internal",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=company_ids,
        )

    @classmethod
    def post_invoice(
        cls,
        partner,
        amount,
        invoice_date,
        due_date=None,
        move_type="out_invoice",
        currency=None,
        company=None,
    ):
        """Post a one-line invoice (or credit note) without taxes."""
        company = company or cls.env.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.to_date(invoice_date),
                    "invoice_date_due": fields.Date.to_date(due_date or invoice_date),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Card test line",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def pay(cls, moves, payment_date, amount=None, journal=None):
        """Register a payment on the moves, reconciled with them, on a given date."""
        values = {"payment_date": fields.Date.to_date(payment_date)}
        if amount is not None:
            values["amount"] = amount
            values["payment_difference_handling"] = "open"
        if journal:
            values["journal_id"] = journal.id
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(values)
        )
        return wizard._create_payments()
