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
        every payment likewise, and all are reconciled in one reconciliation plan,
        so the time hardly depends on the number of customers. Returns the
        invoices.
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
        """Register one payment per (invoice, date) and reconcile them all at once."""
        if not paid:
            return
        payments = (
            self.env["account.payment"]
            .with_context(skip_invoice_sync=True)
            .create(
                [
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": invoice.commercial_partner_id.id,
                        "amount": invoice.amount_total,
                        "currency_id": invoice.currency_id.id,
                        "date": paid_date,
                        "journal_id": bank.id,
                        "memo": invoice.name,
                    }
                    for invoice, paid_date in paid
                ]
            )
        )
        payments.action_post()
        plan = []
        for payment, (invoice, _date) in zip(payments, paid, strict=True):
            plan.append(
                payment.move_id.line_ids.filtered(
                    lambda line: line.account_type == "asset_receivable"
                )
                | invoice.line_ids.filtered(
                    lambda line: line.display_type == "payment_term"
                )
            )
        self.env["account.move.line"]._reconcile_plan(plan)
        for payment, (invoice, _date) in zip(payments, paid, strict=True):
            invoice.matched_payment_ids = [Command.link(payment.id)]
