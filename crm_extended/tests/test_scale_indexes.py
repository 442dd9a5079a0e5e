"""The indexes the card and the nightly passes need at scale (bench/scale_bench.py)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestScaleIndexes(TransactionCase):
    def index_definition(self, name):
        self.env.cr.execute(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name)
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def test_invoices_of_a_customer_are_indexed_by_commercial_partner(self):
        definition = self.index_definition("account_move__commercial_partner_id_index")
        self.assertIn("(commercial_partner_id)", definition or "")

    def test_open_instalments_of_a_partner_are_indexed(self):
        definition = self.index_definition("account_move_line_crm_open_items_idx")
        self.assertIn("(partner_id, date_maturity)", definition or "")
        self.assertIn("payment_term", definition)
        self.assertIn("amount_residual <> ", definition)

    def test_ageing_query_can_use_the_open_instalments_index(self):
        # With sequential scans off, the planner takes the index when the
        # predicates of an open-items query (as the ageing's) imply the index's.
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.addCleanup(self.env.cr.execute, "SET LOCAL enable_seqscan = on")
        self.env.cr.execute(
            """
            EXPLAIN SELECT line.partner_id, SUM(line.amount_residual)
              FROM account_move_line line
             WHERE line.partner_id = 1
               AND line.display_type = 'payment_term'
               AND line.parent_state = 'posted'
               AND line.amount_residual > 0
          GROUP BY line.partner_id
            """
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("account_move_line_crm_open_items_idx", plan)
