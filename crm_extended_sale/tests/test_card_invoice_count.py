"""With Sales, a salesperson reads only their own invoices (sale's record rule):
the card's invoice button counts exactly what its list then shows."""

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_extended.tests.common import CardTestCommon


@tagged("post_install", "-at_install")
class TestCardInvoiceCount(CardTestCommon):
    def test_salesperson_counts_only_the_invoices_they_may_open(self):
        seller = new_test_user(
            self.env,
            login="card_own_invoices_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        colleague = new_test_user(
            self.env,
            login="card_colleague_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        mine = self.post_invoice(self.customer, 100.0, "2026-01-10")
        theirs = self.post_invoice(self.customer_contact, 50.0, "2026-01-11")
        (mine | theirs).button_draft()
        mine.invoice_user_id = seller
        theirs.invoice_user_id = colleague
        (mine | theirs).action_post()
        card = self.customer.with_user(seller)
        action = card.action_card_invoices()
        shown = self.env["account.move"].with_user(seller).search(action["domain"])
        self.assertEqual(shown, mine)
        self.assertEqual(card.card_invoice_total_count, 1)
        colleague_card = self.customer.with_user(colleague)
        self.assertEqual(colleague_card.card_invoice_total_count, 1)
