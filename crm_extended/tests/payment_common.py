"""Helpers for the payment behaviour tests: books built on given dates."""

from datetime import date

from odoo import Command, fields

from .common import CardTestCommon

TODAY = date(2026, 6, 30)


class PaymentTestCommon(CardTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["crm_extended.payment.behaviour"]
        cls.bank_journal = cls.company_data["default_journal_bank"]

    @classmethod
    def new_customer(cls, name):
        return cls.env["res.partner"].create({"name": name, "is_company": True})

    def refresh(self, *partners, today=TODAY):
        """Recompute the given partners as of ``today``."""
        ids = [partner.commercial_partner_id.id for partner in partners]
        self.engine._refresh(ids, today=today)

    @classmethod
    def post_invoice_with_term(cls, partner, amount, invoice_date, term):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": fields.Date.to_date(invoice_date),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Instalment plan line",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def receive_payment(cls, partner, amount, payment_date, company=None):
        """A posted customer payment that is not reconciled with anything yet."""
        company = company or cls.env.company
        payment = (
            cls.env["account.payment"]
            .with_company(company)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": amount,
                    "date": fields.Date.to_date(payment_date),
                    "journal_id": cls.env["account.journal"]
                    .search(
                        [("type", "=", "bank"), ("company_id", "=", company.id)],
                        limit=1,
                    )
                    .id,
                }
            )
        )
        payment.action_post()
        return payment

    @staticmethod
    def reconcile(*moves):
        lines = moves[0].env["account.move.line"]
        for move in moves:
            lines |= move.line_ids
        lines.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
        ).reconcile()

    def figures(self, partner, company=None):
        partner = partner.with_company(company or self.env.company)
        return {
            "avg": partner.payment_avg_days_late,
            "on_time": partner.payment_on_time_ratio,
            "overdue": partner.payment_overdue_amount,
            "overdue_days": partner.payment_overdue_max_days,
            "grade": partner.payment_grade,
        }
