"""The indexes the card and the nightly passes need at scale (bench/scale_bench.py)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..hooks import uninstall_hook


@tagged("post_install", "-at_install")
class TestScaleIndexes(TransactionCase):
    def index_definition(self, name):
        self.env.cr.execute(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name)
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def only_this_index(self, table, index):
        """Leave the planner this index of the table alone: the other indexes
        are dropped in this test's transaction (rolled back after it), and
        sequential and bitmap scans are off. On a test database's small tables
        another index on the same first column costs the same, and which one
        the planner takes is arbitrary; an index-only scan of this index is
        what shows that it covers a read."""
        self.env.cr.execute(
            SQL(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s"
                " AND indexname != %s AND indexname NOT IN ("
                " SELECT conname FROM pg_constraint"
                " WHERE conrelid = %s::regclass)",
                table,
                index,
                table,
            )
        )
        for (name,) in self.env.cr.fetchall():
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            self.env.cr.execute(SQL("SET LOCAL %s = off", SQL.identifier(setting)))
            self.addCleanup(
                self.env.cr.execute, SQL("RESET %s", SQL.identifier(setting))
            )

    def test_invoices_of_a_customer_are_indexed_by_commercial_partner(self):
        definition = self.index_definition("account_move__commercial_partner_id_index")
        self.assertIn("(commercial_partner_id)", definition or "")

    def test_open_instalments_of_a_partner_are_indexed(self):
        definition = self.index_definition("account_move_line_crm_open_items_idx")
        self.assertIn("(partner_id, date_maturity)", definition or "")
        self.assertIn("payment_term", definition)
        self.assertIn("amount_residual <> ", definition)

    def test_ageing_query_can_use_the_open_instalments_index(self):
        # Left with this index alone, the planner takes it when the predicates
        # of an open-items query (as the ageing's) imply the index's.
        self.only_this_index(
            "account_move_line", "account_move_line_crm_open_items_idx"
        )
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

    def test_card_sales_read_the_invoice_lines_from_their_index(self):
        # The card's figures, trend and top items (one statement on the sales
        # report) can read a customer's invoice lines from the covering index
        # alone: every column they need is in it.
        definition = self.index_definition("account_move_line_crm_sales_idx")
        self.assertIn("(partner_id) INCLUDE", definition or "")
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_bitmapscan = off")
        self.addCleanup(self.env.cr.execute, "RESET enable_bitmapscan")
        self.addCleanup(self.env.cr.execute, "RESET enable_seqscan")
        query = (
            self.env["crm_extended.sale.report"]
            .sudo()
            ._search(
                [
                    ("partner_id", "=", self.env.company.partner_id.id),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )
        table = query.table
        self.env.cr.execute(
            SQL(
                "EXPLAIN %s",
                query.select(
                    SQL("SUM(%s)", SQL.identifier(table, "turnover")),
                    SQL("SUM(%s)", SQL.identifier(table, "cost")),
                    SQL("SUM(%s)", SQL.identifier(table, "quantity")),
                    SQL("COUNT(DISTINCT %s)", SQL.identifier(table, "move_id")),
                    SQL("MAX(%s)", SQL.identifier(table, "product_id")),
                ),
            )
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("Index Only Scan using account_move_line_crm_sales_idx", plan)

    def test_rebuild_reads_a_batch_of_instalments_from_their_index(self):
        # The nightly payment rebuild reads a batch's instalments (posted
        # payment-term lines of its partners) from the covering index alone,
        # not every journal item of those partners from the table.
        definition = self.index_definition("account_move_line_crm_instalments_idx")
        self.assertIn("(partner_id) INCLUDE (id, move_id, company_id", definition or "")
        self.only_this_index(
            "account_move_line", "account_move_line_crm_instalments_idx"
        )
        self.env.cr.execute(
            """
            EXPLAIN SELECT line.id, line.move_id, line.company_id, line.date,
                           line.date_maturity
              FROM account_move_line line
             WHERE line.partner_id = ANY(%s)
               AND line.display_type = 'payment_term'
               AND line.parent_state = 'posted'
               AND line.date_maturity IS NOT NULL
            """,
            ([self.env.company.partner_id.id, 1],),
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn(
            "Index Only Scan using account_move_line_crm_instalments_idx", plan
        )

    def test_card_counts_a_customers_invoices_from_their_index(self):
        # The card's invoice count (and the sales figures' invoices) read a
        # customer's posted invoices from the covering index alone.
        definition = self.index_definition("account_move_crm_customer_invoices_idx")
        self.assertIn("(commercial_partner_id, invoice_date) INCLUDE", definition or "")
        self.only_this_index("account_move", "account_move_crm_customer_invoices_idx")
        partner = self.env.company.partner_id
        query = self.env["account.move"]._search(
            partner._card_invoice_domain([partner.id])
        )
        self.env.cr.execute(SQL("EXPLAIN %s", query.select(SQL("COUNT(*)"))))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn(
            "Index Only Scan using account_move_crm_customer_invoices_idx", plan
        )

    def test_rebuild_filters_reconciliations_by_date_in_their_index(self):
        # The rebuild keeps an instalment's reconciliations dated in its range
        # from the index alone (Odoo's max_date is the paid portion's date).
        definition = self.index_definition("account_partial_reconcile_crm_paid_idx")
        self.assertIn("(debit_move_id) INCLUDE (max_date", definition or "")
        self.only_this_index(
            "account_partial_reconcile", "account_partial_reconcile_crm_paid_idx"
        )
        self.env.cr.execute(
            """
            EXPLAIN SELECT partial.amount, partial.credit_move_id
              FROM account_partial_reconcile partial
             WHERE partial.debit_move_id = 1
               AND partial.max_date BETWEEN '2026-01-01' AND '2026-12-01'
            """
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn(
            "Index Only Scan using account_partial_reconcile_crm_paid_idx", plan
        )

    def partner_options(self):
        self.env.cr.execute(
            "SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass"
        )
        return self.env.cr.fetchone()[0] or []

    def test_partner_pages_keep_room_for_the_nightly_figures(self):
        """The night rewrites the figures of every overdue customer: with room
        on the page the new row version stays there (no index entries)."""
        self.assertIn("fillfactor=70", self.partner_options())
        # A fill factor a DBA chose is left alone.
        self.env.cr.execute("ALTER TABLE res_partner SET (fillfactor = 90)")
        self.env["crm_extended.payment.behaviour"].init()
        self.assertIn("fillfactor=90", self.partner_options())
        uninstall_hook(self.env)
        self.assertIn("fillfactor=90", self.partner_options())
        # Uninstalling gives PostgreSQL's default back.
        self.env.cr.execute("ALTER TABLE res_partner RESET (fillfactor)")
        self.env["crm_extended.payment.behaviour"].init()
        self.assertIn("fillfactor=70", self.partner_options())
        uninstall_hook(self.env)
        self.assertNotIn("fillfactor=70", self.partner_options())
