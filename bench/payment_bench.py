#!/usr/bin/env python3
"""Benchmark of the payment-behaviour rebuild (crm_extended, issue 4).

Usage (from the repository root, PostgreSQL running):

    python3 bench/payment_bench.py [--db crm_payment_bench] [--partners 2000]
                                   [--invoices 100000] [--keep]

1. Installs crm_extended without demo data on a fresh database.
2. Populates the customers through the ORM, then their invoices and payments
   by cloning one ORM-made invoice, payment and reconciliation in set-based
   INSERT ... SELECT statements (the rows are what Odoo itself writes).
3. Times three ways of computing the amount-weighted days late per customer:
   - the full rebuild (``crm_extended.payment.behaviour._cron_rebuild`` called
     batch after batch, committed between calls as the scheduler does:
     figures, grades, trust, 12 monthly snapshots);
   - a baseline the way OCA ``partner_time_to_pay`` does it: a loop over the
     partners reading their invoices and reconciliations through the ORM;
   - a floor: one bare SQL aggregate over the same lines, nothing written.
4. Prints the timings, both ratios and the query counts.

Not part of bin/test.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
sys.path.insert(0, str(ODOO_SRC))

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry

ADDONS = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}"
TODAY = date.today()

# Payers: (partner id modulo 5) -> base days late; 8 % of invoices stay open.
PLAN_SQL = """
CREATE TEMP TABLE bench_plan AS
SELECT n,
       partner_ids[1 + n %% cardinality(partner_ids)] AS partner_id,
       inv_date,
       inv_date + 30 AS due_date,
       amount,
       CASE WHEN paid_date <= %(today)s AND random() > 0.08 THEN paid_date END
           AS paid_date,
       CASE WHEN random() < 0.1 THEN round(amount / 2, 2) ELSE amount END
           AS paid_amount
  FROM (SELECT n, %(partner_ids)s::int[] AS partner_ids,
               %(today)s - (n::bigint * 7919 %% 540)::int AS inv_date,
               round((100 + random() * 4900)::numeric, 2) AS amount,
               %(today)s - (n::bigint * 7919 %% 540)::int + 30
                 + ((n %% 5) * 8 - 3 + floor(random() * 10))::int AS paid_date
          FROM generate_series(1, %(invoices)s) AS n) AS raw;
CREATE INDEX ON bench_plan (n);
"""


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, overrides, source):
    """INSERT the template row once per source row, with ``overrides``."""
    names = columns(cr, table)
    select = ", ".join(overrides.get(name, f"t.{name}") for name in names)
    query = (
        f"INSERT INTO {table} ({', '.join(names)})"
        f" SELECT {select} FROM {table} t CROSS JOIN ({source}) s"
        f" WHERE t.id = {int(template_id)}"
    )
    cr.execute(query)
    return cr.rowcount


def install(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            f"--addons-path={ADDONS}",
            "-d",
            db,
            "-i",
            "crm_extended",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        cwd=REPO,
    )


def populate(env, n_partners, n_invoices):
    cr = env.cr
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {n:05d}", "is_company": True}
            for n in range(n_partners)
        ]
    )
    # One template of each row Odoo writes for an invoice paid by a payment.
    template_partner = env["res.partner"].create({"name": "Bench template"})
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": template_partner.id,
            "invoice_date": TODAY - timedelta(days=40),
            "invoice_date_due": TODAY - timedelta(days=10),
            "invoice_line_ids": [
                Command.create(
                    {"name": "Bench", "price_unit": 100.0, "tax_ids": [Command.clear()]}
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
    receivable = invoice.line_ids.filtered(
        lambda line: line.display_type == "payment_term"
    )
    revenue = invoice.line_ids - receivable
    pay_receivable = payment.move_id.line_ids.filtered(
        lambda line: line.account_id == receivable.account_id
    )
    pay_liquidity = payment.move_id.line_ids - pay_receivable
    partial = receivable.matched_credit_ids

    cr.execute(
        PLAN_SQL, {"today": TODAY, "partner_ids": partners.ids, "invoices": n_invoices}
    )
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
            "name": "'BENCH/' || s.n",
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
            "payment_reference": "'BENCH/' || s.n",
        },
        "SELECT * FROM bench_plan",
    )
    cr.execute(
        "UPDATE bench_plan p SET move_id = m.id FROM account_move m"
        " WHERE m.name = 'BENCH/' || p.n"
    )
    line_common = {
        "move_id": "s.move_id",
        "partner_id": "s.partner_id",
        "date": "s.inv_date",
        "invoice_date": "s.inv_date",
        "move_name": "'BENCH/' || s.n",
        "matching_number": "NULL",
        "full_reconcile_id": "NULL",
    }
    clone(
        cr,
        "account_move_line",
        receivable.id,
        {
            **line_common,
            "date_maturity": "s.due_date",
            "balance": "s.amount",
            "debit": "s.amount",
            "amount_currency": "s.amount",
            "price_unit": "s.amount",
            "price_subtotal": "s.amount",
            "price_total": "s.amount",
            "amount_residual": residual,
            "amount_residual_currency": residual,
            "reconciled": f"({residual}) = 0",
            "name": "'BENCH/' || s.n",
        },
        "SELECT * FROM bench_plan",
    )
    clone(
        cr,
        "account_move_line",
        revenue.id,
        {
            **line_common,
            "balance": "-s.amount",
            "credit": "s.amount",
            "amount_currency": "-s.amount",
            "price_unit": "s.amount",
            "price_subtotal": "s.amount",
            "price_total": "s.amount",
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
            "name": "'BENCHPAY/' || s.n",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "date": "s.paid_date",
            "amount_total": "s.paid_amount",
            "amount_total_signed": "s.paid_amount",
            "amount_total_in_currency_signed": "s.paid_amount",
            "origin_payment_id": "NULL",
            "sequence_number": "s.n + 1000000",
            "ref": "'BENCH/' || s.n",
        },
        paid,
    )
    cr.execute(
        "UPDATE bench_plan p SET pay_move_id = m.id FROM account_move m"
        " WHERE m.name = 'BENCHPAY/' || p.n"
    )
    pay_common = {
        "move_id": "s.pay_move_id",
        "partner_id": "s.partner_id",
        "date": "s.paid_date",
        "move_name": "'BENCHPAY/' || s.n",
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
    cr.execute("DROP TABLE bench_plan")
    cr.execute("ANALYZE")
    env.invalidate_all()
    return partners, moves, payments


def baseline_orm_loop(env, partners):
    """Per-partner ORM loop, the way OCA partner_time_to_pay computes it."""
    results = {}
    lines_model = env["account.move.line"]
    for partner in partners:
        lines = lines_model.search(
            [
                ("partner_id", "=", partner.id),
                ("display_type", "=", "payment_term"),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "=", "out_invoice"),
                ("date_maturity", "!=", False),
            ]
        )
        total = weighted = 0.0
        for line in lines:
            for partial in line.matched_credit_ids:
                counterpart = partial.credit_move_id
                if counterpart.journal_id.type not in ("bank", "cash", "credit"):
                    continue
                paid_date = max(line.date, counterpart.date)
                if (TODAY - paid_date).days > 365:
                    continue
                late = max(0, (paid_date - line.date_maturity).days)
                total += partial.amount
                weighted += partial.amount * late
        results[partner.id] = weighted / total if total else 0.0
        env.invalidate_all()  # as a loop of separate reads, without shared cache
    return results


FLOOR_SQL = """
SELECT partner.commercial_partner_id,
       SUM(partial.amount * GREATEST(GREATEST(line.date, counterpart.date)
                                     - line.date_maturity, 0))
           / NULLIF(SUM(partial.amount), 0)
  FROM account_move_line line
  JOIN account_move move ON move.id = line.move_id
  JOIN res_partner partner ON partner.id = line.partner_id
  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
  JOIN account_journal journal ON journal.id = counterpart.journal_id
 WHERE line.display_type = 'payment_term' AND line.parent_state = 'posted'
   AND move.move_type = 'out_invoice' AND journal.type IN ('bank', 'cash', 'credit')
   AND GREATEST(line.date, counterpart.date) >= %s
 GROUP BY partner.commercial_partner_id
"""


def timed(label, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<42} {elapsed:9.2f} s")
    return elapsed, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="crm_payment_bench")
    parser.add_argument("--partners", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=100000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--repeat", type=int, default=3, help="runs of rebuild/floor")
    parser.add_argument(
        "--skip-install", action="store_true", help="reuse a populated database"
    )
    args = parser.parse_args()
    if not args.skip_install:
        timed("install crm_extended (no demo)", lambda: install(args.db))
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not args.skip_install:
            _, (partners, moves, payments) = timed(
                f"populate {args.partners} customers, invoices+payments",
                lambda: populate(env, args.partners, args.invoices),
            )
            print(f"  {moves} invoices, {payments} payments")
            cr.commit()
        partners = env["res.partner"].search([("name", "=like", "Bench customer %")])
        engine = env["crm_extended.payment.behaviour"]

        def rebuild_all():
            """What the scheduler does: one batch per call, a commit after each."""
            engine._schedule_rebuild()
            while engine._cron_rebuild():
                cr.commit()
            cr.commit()

        # The first run writes every figure and snapshot (nothing existed yet).
        timed("first build (writes everything)", rebuild_all)
        # The machine may be shared: repeat and keep the best of each, as timeit.
        rebuilds, floors = [], []
        for _ in range(args.repeat):
            queries = cr.sql_log_count
            rebuilds.append(timed("full rebuild (crm_extended)", rebuild_all)[0])
            rebuild_queries = cr.sql_log_count - queries
            queries = cr.sql_log_count
            floors.append(
                timed(
                    "bare SQL aggregate (floor)",
                    lambda: (
                        cr.execute(FLOOR_SQL, (TODAY - timedelta(days=365),))
                        or cr.fetchall()
                    ),
                )[0]
            )
            floor_queries = cr.sql_log_count - queries
        rebuild, floor = min(rebuilds), min(floors)
        queries = cr.sql_log_count
        baseline, _ = timed(
            "per-partner ORM loop (partner_time_to_pay)",
            lambda: baseline_orm_loop(env, partners),
        )
        baseline_queries = cr.sql_log_count - queries
        graded = env["res.partner"].search_count([("payment_grade", "!=", False)])
    print(f"partners graded: {graded}")
    print(f"best of {args.repeat}: rebuild {rebuild:.2f} s, floor {floor:.2f} s")
    print(
        f"queries: rebuild {rebuild_queries}, floor {floor_queries}, "
        f"ORM loop {baseline_queries}"
    )
    print(f"rebuild / floor    = {rebuild / floor:6.2f}x   (target <= 3x)")
    print(f"ORM loop / rebuild = {baseline / rebuild:6.2f}x   (target >= 20x)")
    if not args.keep:
        Registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
