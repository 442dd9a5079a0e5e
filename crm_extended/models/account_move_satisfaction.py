from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_request_payment_rating(self):
        """Ask the customer once how satisfied they are, when their invoice is
        paid and their company wants it (off by default)."""
        template = self.env.ref(
            "crm_extended.mail_template_invoice_rating", raise_if_not_found=False
        )
        if not template:
            return
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.company_id.crm_invoice_rating_request
                and move.payment_state in ("paid", "in_payment")
                and move.partner_id.email
            )
        )
        rated = set(
            self.env["rating.rating"]
            .sudo()
            .search(
                [("res_model", "=", "account.move"), ("res_id", "in", invoices.ids)]
            )
            .mapped("res_id")
        )
        for invoice in invoices.filtered(lambda move: move.id not in rated):
            invoice.sudo().rating_send_request(
                template, lang=invoice.partner_id.lang, force_send=False
            )

    def _rating_get_operator(self):
        if self.invoice_user_id.partner_id:
            return self.invoice_user_id.partner_id
        return super()._rating_get_operator()
