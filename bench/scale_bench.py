#!/usr/bin/env python3
"""Scale benchmark: a company with three years of books, against Odoo's own screens.

Usage (from the repository root, PostgreSQL running):

    python3 bench/scale_bench.py [--db crm_scale_bench] [--customers 50000]
                                 [--lines 1000000] [--messages 200000]
                                 [--repeat 5] [--reuse] [--keep]

1. Installs crm_extended and crm_extended_sale without demo data on a database
   of its own (``--reuse`` keeps a database populated by an earlier run).
2. Builds the company set-based, in minutes: the customers (and a contact person
   for every second one) are copies of one partner made through the ORM; the
   journal items copies of one invoice, payment and reconciliation made through
   the ORM (``payment_bench.clone``), spread over three years with a few very
   large customers; the messages and activities copies of a note and an activity
   posted through the ORM; every customer in a segment of two axes.
3. Times, in this process, each screen or nightly pass against Odoo's nearest
   screen or a bare SQL floor measured in the same run (median of ``--repeat``),
   with the queries it ran and the rows it read into Python:

   - opening a card (``web_read`` with the card form's fields) against Odoo's
     plain partner form (the same form without crm_extended's views), for the
     largest and for a small customer (the query count must not grow);
   - the ledger's first page of the largest customer against the journal items
     list's first page (``web_search_read`` with ``cumulated_balance``);
   - the timeline's first page against the chatter's first page;
   - the nightly payment rebuild (run as the cron runs it, batch after batch)
     against one bare SQL aggregate of the same figures;
   - the registry re-check's selection of a batch against one SQL statement;
   - the caller lookup against the bare indexed SQL;
   - the segmentation analysis pivot against the bare SQL ``GROUP BY``.

Not part of bin/test.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import payment_bench
from freezegun import freeze_time
from lxml import etree
from payment_bench import ADDONS, ODOO_SRC, REPO, clone

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.sql_db import Cursor

TODAY = date.today()
OURS = ("crm_extended", "crm_extended_sale")
# Rows PostgreSQL handed to Python since the last reset: all of them, and the
# most one statement returned (a statement returning every customer is the sign
# of a pass that loads all customers into Python instead of working in batches).
ROWS = [0, 0]


def _count_rows(execute):
    def counting(self, query, params=None, log_exceptions=True):
        result = execute(self, query, params, log_exceptions)
        if self._obj.description is not None:
            ROWS[0] += max(self._obj.rowcount, 0)
            ROWS[1] = max(ROWS[1], self._obj.rowcount)
        return result

    return counting


Cursor.execute = _count_rows(Cursor.execute)


# ---------------------------------------------------------------------------
# Installation and data
# ---------------------------------------------------------------------------


def _odoo_bin(db, *args):
    subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            f"--addons-path={ADDONS}",
            "-d",
            db,
            *args,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        cwd=REPO,
    )


def install(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    _odoo_bin(db, "-i", ",".join(OURS), "--without-demo=all")


def update(db):
    """Bring a kept database's addons up to the code (new tables, triggers,
    columns), as a deployment does before its nights run."""
    _odoo_bin(db, "-u", ",".join(OURS))


def log(message, started=None):
    suffix = f" ({time.perf_counter() - started:.0f} s)" if started else ""
    print(f"  {message}{suffix}", flush=True)


def populate_customers(env, customers):
    """Customers (companies with a phone) and a contact with a mobile for every
    second one, copies of one ORM-made partner; returns nothing (ids by name)."""
    cr = env.cr
    countries = [env.ref(f"base.{code}").id for code in ("sk", "cz", "pl", "mk")]
    template = env["res.partner"].create(
        {
            "name": "Scale template",
            "is_company": True,
            "country_id": countries[0],
            "phone": "+421 2 1000 0000",
        }
    )
    users = env["res.users"].create(
        [
            {"name": f"Scale salesperson {n}", "login": f"scale_sales_{n}"}
            for n in range(5)
        ]
    )
    env.flush_all()
    cr.execute(
        "CREATE TEMP TABLE scale_customer AS"
        " SELECT n, (%s::int[])[1 + n %% 4] AS country_id,"
        "        (%s::int[])[1 + n %% 5] AS user_id"
        "   FROM generate_series(1, %s) n",
        (countries, users.ids, customers),
    )
    number = "lpad(s.n::text, 8, '0')"
    clone(
        cr,
        "res_partner",
        template.id,
        {
            "name": f"'Scale customer ' || {number}",
            "complete_name": f"'Scale customer ' || {number}",
            "ref": f"'SC' || {number}",
            "country_id": "s.country_id",
            "user_id": "s.user_id",
            "phone": f"'+421 2 ' || {number}",
            "crm_phone_normalized": f"'+4212' || {number}",
            "commercial_partner_id": "NULL",
        },
        "SELECT * FROM scale_customer",
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE name LIKE 'Scale customer %' AND commercial_partner_id IS NULL"
    )
    contact = env["res.partner"].create(
        {"name": "Scale contact", "parent_id": template.id, "mobile": "+421905000000"}
    )
    env.flush_all()
    clone(
        cr,
        "res_partner",
        contact.id,
        {
            "name": f"'Scale contact ' || {number}",
            "complete_name": f"'Scale customer ' || {number} || ', Scale contact '"
            f" || {number}",
            "parent_id": "s.company_id",
            "commercial_partner_id": "s.company_id",
            "country_id": "s.country_id",
            "mobile": f"'+421 905 ' || {number}",
            "crm_mobile_normalized": f"'+421905' || {number}",
        },
        "SELECT scale_customer.*, company.id AS company_id FROM scale_customer"
        " JOIN res_partner company"
        "   ON company.ref = 'SC' || lpad(scale_customer.n::text, 8, '0')"
        " WHERE scale_customer.n % 2 = 0",
    )
    cr.execute("DROP TABLE scale_customer")


# Invoices over three years. A customer's rank is customers * random()^4: a few
# customers are very large (the first has about 4 % of all invoices), most small.
# Customers pay from 5 days early to 59 days late; 8 % of invoices stay open.
PLAN_SQL = """
CREATE TEMP TABLE scale_rank AS
SELECT ROW_NUMBER() OVER (ORDER BY id) AS rank, id AS partner_id
  FROM res_partner WHERE name LIKE 'Scale customer %%';
CREATE INDEX ON scale_rank (rank);
CREATE TEMP TABLE bench_plan AS
SELECT raw.n, rank.partner_id, raw.inv_date, raw.inv_date + 30 AS due_date,
       raw.amount,
       CASE WHEN raw.inv_date + 30 + raw.late <= %(today)s AND random() > 0.08
            THEN raw.inv_date + 30 + raw.late END AS paid_date,
       CASE WHEN random() < 0.1 THEN round(raw.amount / 2, 2) ELSE raw.amount END
           AS paid_amount
  FROM (SELECT n, floor(%(customers)s * power(random(), 4))::int + 1 AS rank,
               %(today)s - (random() * 1095)::int AS inv_date,
               round((100 + random() * 4900)::numeric, 2) AS amount,
               (random() * 64)::int - 5 AS late
          FROM generate_series(1, %(invoices)s) AS n) AS raw
  JOIN scale_rank rank ON rank.rank = raw.rank;
CREATE INDEX ON bench_plan (n);
"""


def populate_books(env, lines):
    """About ``lines`` journal items: invoices and their payments, 2 lines each."""
    cr = env.cr
    template_partner = env["res.partner"].search(
        [("name", "=", "Scale template")], limit=1
    )
    product = env["product.product"].create(
        {"name": "Scale product", "list_price": 100.0, "standard_price": 60.0}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": template_partner.id,
            "invoice_date": TODAY - timedelta(days=40),
            "invoice_date_due": TODAY - timedelta(days=10),
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "price_unit": 100.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    invoice.action_post()
    bank = env["account.journal"].search([("type", "=", "bank")], limit=1)
    payment = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"payment_date": TODAY, "journal_id": bank.id})
        ._create_payments()
    )
    env.flush_all()
    receivable = invoice.line_ids.filtered(lambda l: l.display_type == "payment_term")
    revenue = invoice.line_ids - receivable
    pay_receivable = payment.move_id.line_ids.filtered(
        lambda l: l.account_id == receivable.account_id
    )
    pay_liquidity = payment.move_id.line_ids - pay_receivable
    partial = receivable.matched_credit_ids

    customers = env["res.partner"].search_count([("name", "=like", "Scale customer %")])
    invoices = int(lines / (2 + 2 * 0.9))
    cr.execute(PLAN_SQL, {"today": TODAY, "customers": customers, "invoices": invoices})
    cr.execute(
        "ALTER TABLE bench_plan ADD COLUMN move_id int, ADD COLUMN pay_move_id int,"
        " ADD COLUMN recv_id int, ADD COLUMN pay_recv_id int"
    )
    residual = "s.amount - COALESCE(s.paid_amount, 0) * (s.paid_date IS NOT NULL)::int"
    state = (
        "CASE WHEN s.paid_date IS NULL THEN 'not_paid'"
        " WHEN s.paid_amount < s.amount THEN 'partial' ELSE 'paid' END"
    )
    moves = clone(
        cr,
        "account_move",
        invoice.id,
        {
            "name": "'SCALE/' || s.n",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "partner_shipping_id": "s.partner_id",
            "date": "s.inv_date",
            "invoice_date": "s.inv_date",
            "invoice_date_due": "s.due_date",
            "amount_untaxed": "s.amount",
            "amount_total": "s.amount",
            "amount_residual": residual,
            "amount_untaxed_signed": "s.amount",
            "amount_total_signed": "s.amount",
            "amount_total_in_currency_signed": "s.amount",
            "amount_residual_signed": residual,
            "amount_untaxed_in_currency_signed": "s.amount",
            "payment_state": state,
            "sequence_number": "s.n + 1000000",
            "payment_reference": "'SCALE/' || s.n",
        },
        "SELECT * FROM bench_plan",
    )
    cr.execute(
        "UPDATE bench_plan p SET move_id = m.id FROM account_move m"
        " WHERE m.name = 'SCALE/' || p.n"
    )
    line_common = {
        "move_id": "s.move_id",
        "partner_id": "s.partner_id",
        "date": "s.inv_date",
        "invoice_date": "s.inv_date",
        "move_name": "'SCALE/' || s.n",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    }
    amounts = {
        "price_unit": "s.amount",
        "price_subtotal": "s.amount",
        "price_total": "s.amount",
    }
    clone(
        cr,
        "account_move_line",
        receivable.id,
        {
            **line_common,
            **amounts,
            "date_maturity": "s.due_date",
            "balance": "s.amount",
            "debit": "s.amount",
            "amount_currency": "s.amount",
            "amount_residual": residual,
            "amount_residual_currency": residual,
            "reconciled": f"({residual}) = 0",
            "name": "'SCALE/' || s.n",
        },
        "SELECT * FROM bench_plan",
    )
    clone(
        cr,
        "account_move_line",
        revenue.id,
        {
            **line_common,
            **amounts,
            "balance": "-s.amount",
            "credit": "s.amount",
            "amount_currency": "-s.amount",
            "crm_cost_amount": "round(s.amount * 0.6, 2)",
        },
        "SELECT * FROM bench_plan",
    )
    cr.execute(
        "UPDATE bench_plan p SET recv_id = l.id FROM account_move_line l"
        " WHERE l.move_id = p.move_id AND l.display_type = 'payment_term'"
    )
    paid = "SELECT * FROM bench_plan WHERE paid_date IS NOT NULL"
    payments = clone(
        cr,
        "account_move",
        payment.move_id.id,
        {
            "name": "'SCALEPAY/' || s.n",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "date": "s.paid_date",
            "amount_total": "s.paid_amount",
            "amount_total_signed": "s.paid_amount",
            "amount_total_in_currency_signed": "s.paid_amount",
            "origin_payment_id": "NULL",
            "sequence_number": "s.n + 1000000",
            "ref": "'SCALE/' || s.n",
        },
        paid,
    )
    cr.execute(
        "UPDATE bench_plan p SET pay_move_id = m.id FROM account_move m"
        " WHERE m.name = 'SCALEPAY/' || p.n"
    )
    pay_common = {
        "move_id": "s.pay_move_id",
        "partner_id": "s.partner_id",
        "date": "s.paid_date",
        "move_name": "'SCALEPAY/' || s.n",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
        "payment_id": "NULL",
    }
    clone(
        cr,
        "account_move_line",
        pay_receivable.id,
        {
            **pay_common,
            "balance": "-s.paid_amount",
            "credit": "s.paid_amount",
            "amount_currency": "-s.paid_amount",
            "amount_residual": "0",
            "amount_residual_currency": "0",
            "reconciled": "true",
        },
        paid,
    )
    clone(
        cr,
        "account_move_line",
        pay_liquidity.id,
        {
            **pay_common,
            "balance": "s.paid_amount",
            "debit": "s.paid_amount",
            "amount_currency": "s.paid_amount",
        },
        paid,
    )
    cr.execute(
        "UPDATE bench_plan p SET pay_recv_id = l.id FROM account_move_line l"
        " WHERE l.move_id = p.pay_move_id AND l.account_id = %s",
        (receivable.account_id.id,),
    )
    clone(
        cr,
        "account_partial_reconcile",
        partial.id,
        {
            "debit_move_id": "s.recv_id",
            "credit_move_id": "s.pay_recv_id",
            "amount": "s.paid_amount",
            "debit_amount_currency": "s.paid_amount",
            "credit_amount_currency": "s.paid_amount",
            "max_date": "GREATEST(s.inv_date, s.paid_date)",
            "full_reconcile_id": "NULL",
            "exchange_move_id": "NULL",
        },
        paid,
    )
    cr.execute("SELECT COUNT(*) FROM account_move_line")
    total_lines = cr.fetchone()[0]
    cr.execute("DROP TABLE bench_plan")
    return moves, payments, total_lines


def populate_communications(env, messages):
    """85 % notes and mails in the customers' chatter, 15 % planned activities."""
    cr = env.cr
    template = env["res.partner"].search([("name", "=", "Scale template")], limit=1)
    note = template.message_post(
        body="<p>Called about the next order.</p>",
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    activity = template.activity_schedule(
        "mail.mail_activity_data_todo",
        summary="Send the price list",
        user_id=env.ref("base.user_admin").id,
    )
    env.flush_all()
    n_notes = int(messages * 0.85)
    cr.execute("SELECT COUNT(*) FROM scale_rank")
    customers = cr.fetchone()[0]
    # The same steep spread as the invoices: the large customers talk most.
    spread = (
        "SELECT g.n, rank.partner_id"
        f"  FROM (SELECT n, floor({customers} * power(random(), 3))::int + 1 AS r"
        "          FROM generate_series(1, %s) n) g"
        "  JOIN scale_rank rank ON rank.rank = g.r"
    )
    notes = clone(
        cr,
        "mail_message",
        note.id,
        {
            "res_id": "s.partner_id",
            "record_name": "NULL",
            "date": f"now() - (random() * interval '{3 * 365} days')",
            "body": "'<p>Note ' || s.n || ' about the customer.</p>'",
            "message_id": "'<scale-' || s.n || '@bench>'",
            "message_type": "CASE WHEN s.n % 3 = 0 THEN 'email' ELSE 'comment' END",
        },
        spread % n_notes,
    )
    activities = clone(
        cr,
        "mail_activity",
        activity.id,
        {
            "res_id": "s.partner_id",
            "res_name": "NULL",
            "date_deadline": "CURRENT_DATE + (random() * 120)::int - 60",
            "summary": "'Follow-up ' || s.n",
        },
        spread % (messages - n_notes),
    )
    return notes, activities


def populate_segments(env):
    axes = env["crm_extended.segment.axis"].create(
        [
            {
                "name": "Size",
                "value_ids": [Command.create({"name": n}) for n in "ABC"],
            },
            {
                "name": "Industry",
                "value_ids": [
                    Command.create({"name": name})
                    for name in (
                        "Retail",
                        "Wholesale",
                        "Industry",
                        "Services",
                        "Public",
                    )
                ],
            },
        ]
    )
    env.flush_all()
    for axis in axes:
        env.cr.execute(
            "INSERT INTO crm_extended_partner_segment_rel (partner_id, value_id)"
            " SELECT rank.partner_id, (%s::int[])[1 + rank.rank %% %s]"
            "   FROM scale_rank rank",
            (axis.value_ids.ids, len(axis.value_ids)),
        )


def populate(env, args):
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    started = time.perf_counter()
    populate_customers(env, args.customers)
    log(f"{args.customers} customers and their contacts", started)
    started = time.perf_counter()
    moves, payments, lines = populate_books(env, args.lines)
    log(f"{moves} invoices, {payments} payments: {lines} journal items", started)
    started = time.perf_counter()
    notes, activities = populate_communications(env, args.messages)
    log(f"{notes} messages, {activities} activities", started)
    populate_segments(env)
    env.cr.execute("DROP TABLE scale_rank")
    # What autovacuum does to a production database after such a load: the
    # statistics, and the visibility map without which PostgreSQL cannot use
    # the covering indexes (every "index-only" scan would read the table).
    env.cr.commit()
    started = time.perf_counter()
    subprocess.run(["psql", "-d", env.cr.dbname, "-c", "VACUUM (ANALYZE)"], check=True)
    log("VACUUM (ANALYZE)", started)
    env.invalidate_all()


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


class Measure:
    """Median time, queries and rows read into Python of a call, cold ORM cache."""

    def __init__(self, env, repeat):
        self.env = env
        self.repeat = repeat

    def __call__(self, function, setup=None):
        """``setup`` runs before each call, outside the time."""
        if setup:
            setup()
        function()  # warm up: views, ormcaches, PostgreSQL's buffers
        times, queries = [], []
        ROWS[:] = [0, 0]
        for _ in range(self.repeat):
            if setup:
                setup()
            self.env.invalidate_all()
            start_queries = self.env.cr.sql_log_count
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
            queries.append(self.env.cr.sql_log_count - start_queries)
        self.times = times  # every run's time, for a bench that shows the spread
        return (
            statistics.median(times),
            max(queries),
            ROWS[0] // self.repeat,
            ROWS[1],
        )


def spec_from_arch(env, model, root):
    """The field specification the web client builds from a form arch."""
    spec = {}
    for node in root:
        if not isinstance(node.tag, str):
            continue
        if node.tag == "field":
            spec[node.get("name")] = _field_spec(env, model, node)
        else:
            spec.update(spec_from_arch(env, model, node))
    return spec


def _field_spec(env, model, node):
    field = env[model]._fields[node.get("name")]
    if field.type == "many2one":
        return {"fields": {"display_name": {}}}
    if field.type in ("one2many", "many2many"):
        subview = next(
            (child for child in node if child.tag in ("list", "kanban")), None
        )
        if subview is None:
            return {"fields": {"display_name": {}}}
        return {
            "fields": spec_from_arch(env, field.comodel_name, subview),
            "limit": 40,
        }
    return {}


def form_spec(env, user, plain=False):
    """The partner form's specification for ``user``; ``plain``: without our views."""
    views = env["ir.ui.view"]
    savepoint = env.cr.savepoint()
    try:
        if plain:
            ours = env["ir.model.data"].search(
                [("module", "in", OURS), ("model", "=", "ir.ui.view")]
            )
            views = views.browse(ours.mapped("res_id")).filtered(
                lambda view: view.model == "res.partner" and view.mode == "extension"
            )
            views.write({"active": False})
        arch = (
            env["res.partner"]
            .with_user(user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        fields_ = spec_from_arch(env, "res.partner", etree.fromstring(arch))
        spec = {"display_name": {}, **fields_}
    finally:
        savepoint.close(rollback=plain)
        if plain:
            env.registry.clear_cache("templates")
            env.invalidate_all()
    return spec


def lazy_page_specs(env, user):
    """The specification of each card tab read when it is shown (a
    ``crm_card_lazy_page`` widget naming a page view of its own), by the tab's
    name: what opening that tab reads, on top of opening the card."""
    Partner = env["res.partner"].with_user(user)
    arch = etree.fromstring(
        Partner.get_views([(False, "form")])["views"]["form"]["arch"]
    )
    specs = {}
    for widget in arch.iter("widget"):
        if widget.get("name") != "crm_card_lazy_page":
            continue
        page = next(widget.iterancestors("page"))
        page_arch = Partner.get_views([(int(widget.get("view_id")), "form")])["views"]
        specs[page.get("name")] = spec_from_arch(
            env, "res.partner", etree.fromstring(page_arch["form"]["arch"])
        )
    return specs


def web_env(env, user):
    """``user``'s environment with the context the web client sends with every
    call (language, time zone, allowed companies): without it, every lookup of
    the reader's language reads the user's company and partner again."""
    context = {
        **user.context_get(),
        "allowed_company_ids": [user.company_id.id],
    }
    return env(user=user, context=context)


def bench_user(env):
    user = env["res.users"].search([("login", "=", "scale_accountant")])
    if not user:
        groups = [
            env.ref(xmlid).id
            for xmlid in (
                "base.group_user",
                "base.group_partner_manager",
                "account.group_account_manager",
                "sales_team.group_sale_manager",
                "crm_extended.group_card_manager",
            )
        ]
        user = env["res.users"].create(
            {
                "name": "Scale accountant",
                "login": "scale_accountant",
                "groups_id": [Command.set(groups)],
            }
        )
    return user


def run_cron_as_odoo_does(env, xmlid):
    """Run a cron's server action batch after batch, as Odoo 18's cron runner does
    (``_add_progress``, the action, commit; again while it reports work left)."""
    cron = env.ref(xmlid)
    for _batch in range(10000):
        cron_with_progress, progress = cron._add_progress()
        env.cr.commit()
        cron_with_progress.env["ir.actions.server"].browse(
            cron.ir_actions_server_id.id
        ).run()
        env.cr.commit()
        if not progress.remaining or not progress.done:
            return


REGISTRY_FLOOR_SQL = """
WITH due AS (
    SELECT partner.id, partner.registry_checked_at
      FROM res_partner partner
     WHERE partner.is_company AND partner.active
       AND (partner.registry_checked_at IS NULL
            OR partner.registry_checked_at
               < now() AT TIME ZONE 'UTC' - interval '7 days')
       AND EXISTS (
           SELECT 1 FROM account_move_line line
             JOIN res_partner contact ON contact.id = line.partner_id
             JOIN account_account account ON account.id = line.account_id
            WHERE contact.commercial_partner_id = partner.id
              AND line.parent_state = 'posted'
              AND account.account_type = 'asset_receivable'
              AND (line.reconciled IS NOT TRUE OR line.date >= %(since)s))
)
SELECT id, (SELECT COUNT(*) FROM due)
  FROM due ORDER BY registry_checked_at ASC NULLS FIRST, id LIMIT 50
"""

CALLER_FLOOR_SQL = """
SELECT id FROM res_partner
 WHERE (crm_phone_normalized = %(number)s OR crm_mobile_normalized = %(number)s)
   AND active AND (company_id = %(company)s OR company_id IS NULL)
 ORDER BY is_company, id LIMIT 1
"""

PIVOT_FLOOR_SQL = """
SELECT segment.axis_id, rel.value_id, COUNT(*)
  FROM crm_extended_partner_segment_rel rel
  JOIN crm_extended_segment_value segment ON segment.id = rel.value_id
  JOIN res_partner partner ON partner.id = rel.partner_id
 WHERE partner.active
 GROUP BY ROLLUP (segment.axis_id, rel.value_id)
"""


PAYMENT_CHECKSUM_SQL = """
SELECT (SELECT md5(string_agg(concat_ws('|', id, payment_avg_days_late,
                   payment_on_time_ratio, payment_overdue_amount,
                   payment_overdue_max_days, payment_grade, payment_grade_data,
                   payment_open_amount, trust), ',' ORDER BY id))
          FROM res_partner WHERE id = commercial_partner_id),
       (SELECT md5(string_agg(concat_ws('|', partner_id, company_id, month,
                   paid_amount, avg_days_late, on_time_ratio), ','
                   ORDER BY partner_id, company_id, month))
          FROM crm_extended_payment_snapshot)
"""


def payment_checksums(cr):
    """md5 of every customer's payment figures, grade, reason and trust, and of
    the snapshots: two rebuilds of the same books must print the same."""
    cr.execute(PAYMENT_CHECKSUM_SQL)
    partners, snapshots = cr.fetchone()
    return f"partners {partners}, snapshots {snapshots}"


def back_to_today(cr):
    """Stamps of nights ahead would hold tonight's customers as done."""
    cr.execute(
        "UPDATE crm_extended_payment_rebuild_stamp"
        " SET rebuilt_at = LEAST(rebuilt_at, now() AT TIME ZONE 'UTC')"
    )
    cr.commit()


def night_customers(cr, day):
    """How many customers the night of ``day`` redid."""
    cr.execute(
        "SELECT COUNT(*) FROM crm_extended_payment_rebuild_stamp"
        " WHERE rebuilt_at >= %s",
        (datetime.combine(day, dtime.min),),
    )
    return cr.fetchone()[0]


def card_customers(cr):
    """The largest customer (most journal items) and a small one of the same
    shape (no contact person, a few invoices of the last year and messages): the
    card must run the same queries for both. Returns their ids."""
    cr.execute(
        "SELECT partner.commercial_partner_id FROM account_move_line line"
        " JOIN res_partner partner ON partner.id = line.partner_id"
        " GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
    )
    [(largest,)] = cr.fetchall()
    cr.execute(
        "SELECT partner.id FROM res_partner partner"
        "  JOIN account_move move ON move.commercial_partner_id = partner.id"
        " WHERE partner.name LIKE 'Scale customer %%' AND partner.id != %s"
        "   AND NOT EXISTS (SELECT 1 FROM res_partner child"
        "                    WHERE child.parent_id = partner.id)"
        "   AND move.invoice_date >= CURRENT_DATE - 365"
        "   AND EXISTS (SELECT 1 FROM mail_message message"
        "                WHERE message.model = 'res.partner'"
        "                  AND message.res_id = partner.id)"
        " GROUP BY partner.id ORDER BY COUNT(*), partner.id LIMIT 1",
        (largest,),
    )
    [(small,)] = cr.fetchall()
    return {"largest": largest, "small": small}


def measure_payment(env, measure, row, since):
    """The payment rebuild of every customer (a manager's "rebuild all"), then
    the nights after it, against the SQL floor; checks that a night leaves the
    figures a rebuild of every customer gives that day."""
    cr = env.cr
    engine = env["crm_extended.payment.behaviour"]
    cron = "crm_extended.ir_cron_payment_rebuild"
    back_to_today(cr)  # a run stopped during the nights left stamps ahead
    floor = measure(
        lambda: cr.execute(payment_bench.FLOOR_SQL, (since,)) or cr.fetchall()
    )

    def every_customer_due():
        # A manager's "rebuild all" (thresholds changed): every customer.
        # The stamps have whole seconds: start in a second of its own, or
        # the customers rebuilt in the second of the cutoff count as done.
        time.sleep(1 - time.time() % 1)
        engine._schedule_rebuild()
        env.cr.commit()

    rebuild_all = measure(
        lambda: run_cron_as_odoo_does(env, cron), setup=every_customer_due
    )
    row("payment rebuild of every customer", rebuild_all, floor, "SQL floor")
    print(f"payment results after the rebuild: {payment_checksums(cr)}")

    # The nights after: each run is the next night (tomorrow, the day
    # after, ...), with the customers stamped by the night before; a night
    # redoes the customers whose figures the date changes.
    nights = []

    def next_night():
        nights.append(TODAY + timedelta(days=len(nights) + 1))

    def night():
        with freeze_time(datetime.combine(nights[-1], dtime(2, 0)), tick=True):
            run_cron_as_odoo_does(env, cron)

    rebuild = measure(night, setup=next_night)
    row("nightly payment rebuild", rebuild, floor, "SQL floor", 3.0)
    done = night_customers(cr, nights[-1])
    with freeze_time(datetime.combine(nights[-1], dtime(12, 0)), tick=True):
        after_night = payment_checksums(cr)
        time.sleep(1 - time.time() % 1)
        engine._schedule_rebuild()
        env.cr.commit()
        run_cron_as_odoo_does(env, cron)
        after_all = payment_checksums(cr)
    print(
        f"night of {nights[-1]}: {done} customers redone; the same figures as"
        f" rebuilding every customer that day: {after_night == after_all}"
        f" ({after_night})"
    )
    # Back to today, the figures of today again.
    back_to_today(cr)
    every_customer_due()
    run_cron_as_odoo_does(env, cron)
    print(f"payment results back at today: {payment_checksums(cr)}")


def measure(env, args):
    measure = Measure(env, args.repeat)
    user = bench_user(env)
    env.cr.commit()
    uenv = web_env(env, user)
    cr = env.cr
    found = card_customers(cr)
    largest = uenv["res.partner"].browse(found["largest"])
    small = uenv["res.partner"].browse(found["small"])
    cr.execute(
        "SELECT COUNT(*) FROM account_move_line line JOIN res_partner p"
        " ON p.id = line.partner_id WHERE p.commercial_partner_id = %s",
        (largest.id,),
    )
    [(lines,)] = cr.fetchall()
    print(f"largest customer: {largest.name} ({lines} journal items)")
    results = []

    def row(name, ours, base, base_name, target=None):
        results.append((name, ours, base, base_name, target))

    def wanted(part):
        return not args.only or part in args.only

    # -- the card ---------------------------------------------------------------
    if wanted("card"):
        card_spec = form_spec(env, user)
        plain_spec = form_spec(env, user, plain=True)
        for label, partner in (("largest", largest), ("small", small)):
            row(
                f"open a card ({label} customer)",
                measure(lambda partner=partner: partner.web_read(card_spec)),
                measure(lambda partner=partner: partner.web_read(plain_spec)),
                "Odoo partner form",
                1.5,
            )
        # The tabs the card reads when they are shown, not when it opens: opening
        # one costs this on top of the card (against the form's opening, as scale).
        for page_name, page_spec in lazy_page_specs(env, user).items():
            row(
                f"  {page_name.removeprefix('crm_card_')} tab (largest)",
                measure(lambda page_spec=page_spec: largest.web_read(page_spec)),
                measure(lambda: largest.web_read(plain_spec)),
                "Odoo partner form",
            )

    # -- ledger, timeline ----------------------------------------------------------
    if wanted("ledger"):
        page = largest.crm_ledger_page()
        ledger_domain = [
            ("partner_id", "child_of", largest.id),
            ("parent_state", "=", "posted"),
            (
                "account_id.account_type",
                "in",
                ["asset_receivable", "liability_payable"],
            ),
            ("date", ">=", page["date_from"]),
            ("date", "<=", page["date_to"]),
        ]
        list_spec = {
            name: {}
            for name in (
                "date",
                "move_name",
                "ref",
                "date_maturity",
                "debit",
                "credit",
                "cumulated_balance",
                "amount_residual",
                "matching_number",
            )
        }
        row(
            "ledger first page (largest)",
            measure(lambda: largest.crm_ledger_page()),
            measure(
                lambda: uenv["account.move.line"].web_search_read(
                    ledger_domain,
                    list_spec,
                    limit=80,
                    order="date desc, move_name desc, id",
                    count_limit=100001,
                )
            ),
            "journal items list",
        )
    if wanted("timeline"):
        from odoo.addons.mail.tools.discuss import Store

        timeline_spec = {
            "date": {},
            "kind": {},
            "summary": {},
            "detail": {},
            "contact_id": {"fields": {"display_name": {}}},
            "author_id": {"fields": {"display_name": {}}},
            "done": {},
        }

        def chatter():
            messages = uenv["mail.message"]._message_fetch(
                [
                    ("res_id", "=", largest.id),
                    ("model", "=", "res.partner"),
                    ("message_type", "!=", "user_notification"),
                ],
                limit=30,
            )["messages"]
            return Store(messages, for_current_user=True).get_result()

        row(
            "timeline first page (largest)",
            measure(
                lambda: uenv["crm_extended.timeline"].web_search_read(
                    [("partner_id", "=", largest.id)], timeline_spec, limit=80
                )
            ),
            measure(chatter),
            "chatter first page",
        )

    # -- nightly passes --------------------------------------------------------
    since = TODAY - timedelta(days=365)
    if wanted("payment"):
        measure_payment(env, measure, row, since)
    if wanted("registry"):
        runner = env["crm_extended.registry.runner"]
        if hasattr(runner, "_recheck_domain"):

            def selection():
                domain = runner._recheck_domain()
                env["res.partner"].search(
                    domain, order="registry_checked_at asc nulls first, id", limit=50
                )
                env["res.partner"].search_count(domain)

            row(
                "registry re-check selection",
                measure(selection),
                measure(
                    lambda: (
                        cr.execute(REGISTRY_FLOOR_SQL, {"since": since})
                        or cr.fetchall()
                    )
                ),
                "SQL floor",
                3.0,
            )

    # -- caller lookup, pivot -----------------------------------------------------
    if wanted("caller"):
        cr.execute(
            "(SELECT crm_phone_normalized FROM res_partner"
            "  WHERE crm_phone_normalized LIKE '+4212%%'"
            "  ORDER BY random() LIMIT 100)"
            " UNION ALL (SELECT crm_mobile_normalized FROM res_partner"
            "  WHERE crm_mobile_normalized LIKE '+421905%%'"
            "  ORDER BY random() LIMIT 100)"
        )
        numbers = [number for (number,) in cr.fetchall()]
        numbers += [f"+421911{n:06d}" for n in range(100)]  # nobody's
        company = env.company
        partners = env["res.partner"]
        row(
            f"caller lookup ({len(numbers)} numbers)",
            measure(lambda: [partners._crm_find_caller(n, company) for n in numbers]),
            measure(
                lambda: [
                    cr.execute(CALLER_FLOOR_SQL, {"number": n, "company": company.id})
                    or cr.fetchall()
                    for n in numbers
                ]
            ),
            "SQL floor",
            3.0,
        )
    if wanted("pivot"):
        memberships = uenv["crm_extended.segment.membership"]
        row(
            "segmentation pivot",
            measure(
                lambda: [
                    memberships.read_group([], ["__count"], groupby, lazy=False)
                    for groupby in ([], ["axis_id"], ["axis_id", "value_id"])
                ]
            ),
            measure(lambda: cr.execute(PIVOT_FLOOR_SQL) or cr.fetchall()),
            "SQL floor",
            3.0,
        )
    return results


def report(results, customers):
    print()
    header = (
        f"{'':34} {'crm_extended':>20} {'baseline':>20} {'':20} {'ratio':>6} target"
    )
    print(header)
    for name, ours, base, base_name, target in results:
        seconds, queries, rows, largest_fetch = ours
        cell = f"{seconds * 1000:8.1f} ms {queries:4d} q"
        if base:
            ratio = seconds / base[0]
            base_cell = f"{base[0] * 1000:8.1f} ms {base[1]:4d} q"
            verdict = ""
            if target:
                verdict = f"<= {target}x {'ok' if ratio <= target else 'MISSED'}"
            print(
                f"{name:34} {cell:>20} {base_cell:>20} {base_name:20} "
                f"{ratio:5.2f}x {verdict}"
            )
        else:
            print(f"{name:34} {cell:>20}")
        if largest_fetch > customers / 2:
            print(
                f"{'':34} ! one query read {largest_fetch} rows into Python"
                f" ({rows} in all; customers: {customers})"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="crm_scale_bench")
    parser.add_argument("--customers", type=int, default=50000)
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--messages", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="reuse a populated db")
    parser.add_argument(
        "--skip-install", action="store_true", help="populate an installed db"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        help="measure only these (card,ledger,timeline,payment,registry,caller,pivot)",
    )
    args = parser.parse_args()
    if not args.reuse and not args.skip_install:
        started = time.perf_counter()
        install(args.db)
        log("installed crm_extended, crm_extended_sale (no demo)", started)
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not args.reuse:
            populate(env, args)
            cr.commit()
            started = time.perf_counter()
            run_cron_as_odoo_does(env, "crm_extended.ir_cron_payment_rebuild")
            log("first payment rebuild (writes every grade and snapshot)", started)
        customers = env["res.partner"].search_count([("is_company", "=", True)])
        results = measure(env, args)
        cr.rollback()
    report(results, customers)
    if not args.keep:
        Registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
