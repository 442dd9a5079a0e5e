import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

# Days from due date to payment per payer profile:
# (earliest, latest, share of invoices left unpaid).
PAYER_PROFILES = {
    "good": (-5, 3, 0.0),
    "average": (5, 25, 0.05),
    "bad": (30, 95, 0.25),
}


class CrmExtendedDemoHistory(models.AbstractModel):
    _name = "crm_extended.demo.history"
    _description = "Customer card demo history generator"

    @api.model
    def generate(self, partner_profiles, months=18, seed=18, product_ids=None):
        """Post monthly invoices and pay them according to each partner's profile.

        Each invoice sells one of ``product_ids`` at its sales price; the product's
        cost is frozen on the line when posted, so the card shows a real gross
        margin. Deterministic for a given seed: the demo card shows the same
        figures every time.
        """
        rng = random.Random(seed)
        products = self.env["product.product"].browse(product_ids or [])
        today = fields.Date.context_today(self)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        )
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        if not journal or not bank:
            return False
        term_30 = self.env.ref(
            "account.account_payment_term_30days", raise_if_not_found=False
        )
        for partner_id, profile in partner_profiles:
            low, high, unpaid_share = PAYER_PROFILES[profile]
            partner = self.env["res.partner"].browse(partner_id)
            for month in range(months, 0, -1):
                invoice_date = (
                    today
                    - relativedelta(months=month)
                    + timedelta(days=rng.randint(0, 20))
                )
                invoice = self.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": invoice_date,
                        "invoice_payment_term_id": term_30.id if term_30 else False,
                        "invoice_line_ids": [
                            Command.create(self._line_values(rng, products))
                        ],
                    }
                )
                invoice.action_post()
                if rng.random() < unpaid_share:
                    continue
                payment_date = invoice.invoice_date_due + timedelta(
                    days=rng.randint(low, high)
                )
                if payment_date > today:
                    continue
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create(
                    {"payment_date": payment_date, "journal_id": bank.id}
                )._create_payments()
        # Grade the demo customers now rather than at the next nightly rebuild.
        self.env["crm_extended.payment.behaviour"]._refresh(
            [partner_id for partner_id, _profile in partner_profiles]
        )
        return True

    @api.model
    def _line_values(self, rng, products):
        """One invoice line: a product at its sales price, or anonymous goods."""
        quantity = rng.randint(1, 20)
        if products:
            product = rng.choice(products)
            return {
                "product_id": product.id,
                "quantity": quantity,
                "price_unit": product.lst_price,
                "tax_ids": [Command.clear()],
            }
        return {
            "name": "Goods delivered",
            "quantity": quantity,
            "price_unit": rng.choice([120, 250, 480, 990, 1500]),
            "tax_ids": [Command.clear()],
        }
