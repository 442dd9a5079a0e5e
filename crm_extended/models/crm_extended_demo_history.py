from odoo import Command, api, fields, models

from ..services import demo_plan


class CrmExtendedDemoHistory(models.AbstractModel):
    _name = "crm_extended.demo.history"
    _description = "Customer card demo history generator"

    @api.model
    def generate(self, customers, product_ids, company=None, today=None):
        """Post 18 months of invoices and payments for the demo customers.

        ``customers``: ``[(partner id, profile letter, currency id or False), ...]``;
        the profile (``services/demo_plan.py``) fixes when each invoice is paid.
        Set-based: every invoice is created in one call and posted in one call,
        every bank receipt likewise, and all are reconciled in one reconciliation
        plan. Returns the invoices.
        """
        company = company or self.env.company
        today = today or fields.Date.context_today(self)
        env = (
            self.with_company(company)
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
            .env
        )
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        bank = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        if not journal or not bank:
            return env["account.move"]
        products = env["product.product"].browse(product_ids)
        term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        planned = []
        for seed, (partner_id, profile, currency_id) in enumerate(customers):
            for invoice in demo_plan.plan_invoices(
                partner_id, profile, today, seed=seed, product_count=len(products)
            ):
                planned.append((invoice, currency_id or company.currency_id.id))
        planned.sort(key=lambda item: (item[0].invoice_date, item[0].partner_key))
        # Invoiced by the customer's salesperson, as the sale orders would leave
        # them: a salesperson sees the invoices of his own customers.
        salesperson = {
            partner.id: partner.user_id.id or env.uid
            for partner in env["res.partner"].browse(
                [partner_id for partner_id, _profile, _currency in customers]
            )
        }
        invoices = (
            env["account.move"]
            .with_context(default_move_type="out_invoice")
            .create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": plan.partner_key,
                        "journal_id": journal.id,
                        "currency_id": currency_id,
                        "invoice_user_id": salesperson[plan.partner_key],
                        "invoice_date": plan.invoice_date,
                        "date": plan.invoice_date,
                        "invoice_payment_term_id": term.id if term else False,
                        "invoice_line_ids": [
                            Command.create(
                                {"product_id": products[index].id, "quantity": quantity}
                            )
                            for index, quantity in plan.lines
                        ],
                    }
                    for plan, currency_id in planned
                ]
            )
        )
        invoices.action_post()
        paid = [
            (invoice, plan.paid_date)
            for invoice, (plan, _currency) in zip(invoices, planned, strict=True)
            if plan.paid_date
        ]
        self.with_env(env)._pay(paid, bank)
        partner_ids = [partner_id for partner_id, _profile, _currency in customers]
        # Grade the demo customers now rather than at the next nightly rebuild.
        env["crm_extended.payment.behaviour"]._refresh(partner_ids, today=today)
        return invoices

    @api.model
    def _pay(self, paid, bank):
        """Book one bank receipt per (invoice, date), as a posted bank statement
        leaves it, and reconcile them all in one reconciliation plan."""
        if not paid:
            return
        env = self.env
        liquidity = bank.default_account_id
        label_env = self.with_context(lang=bank.company_id.partner_id.lang).env
        receipts = []
        for invoice, paid_date in paid:
            receivable = invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            label = label_env._("Payment of %(invoice)s", invoice=invoice.name)
            common = {
                "partner_id": invoice.commercial_partner_id.id,
                "currency_id": invoice.currency_id.id,
                "name": label,
            }
            receipts.append(
                {
                    "move_type": "entry",
                    "journal_id": bank.id,
                    "date": paid_date,
                    "ref": label,
                    "partner_id": invoice.commercial_partner_id.id,
                    "line_ids": [
                        Command.create(
                            dict(
                                common,
                                account_id=liquidity.id,
                                balance=invoice.amount_total_signed,
                                amount_currency=invoice.amount_total,
                            )
                        ),
                        Command.create(
                            dict(
                                common,
                                account_id=receivable.account_id.id,
                                balance=-invoice.amount_total_signed,
                                amount_currency=-invoice.amount_total,
                            )
                        ),
                    ],
                }
            )
        moves = env["account.move"].create(receipts)
        moves.action_post()
        plan = [
            move.line_ids.filtered(lambda line: line.account_id != liquidity)
            | invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            for move, (invoice, _date) in zip(moves, paid, strict=True)
        ]
        env["account.move.line"]._reconcile_plan(plan)
