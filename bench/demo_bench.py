#!/usr/bin/env python3
"""Benchmark of the demo history (crm_extended, issue 15 item 8).

Usage (from the repository root, on a database where crm_extended is installed,
for instance the one of ``bin/serve``):

    python3 bench/demo_bench.py [-d crm_extended] [--customers 12]

Generates the same 18 months of invoices and payments for ``--customers`` new
customers twice, inside a transaction that is rolled back (the database is left
as it was), and prints the time and the CPU time of:

- **baseline**: one invoice at a time, created and posted, then paid through
  Odoo's payment wizard (what the demo did before);
- **set-based**: ``crm_extended.demo.history.generate``: all invoices created and
  posted in one call each, all bank receipts likewise, one reconciliation plan.

Not part of bin/test.
"""

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
sys.path.insert(0, str(ODOO_SRC))

import odoo
from odoo import Command, api, fields
from odoo.modules.registry import Registry

ADDONS = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}"
PROFILES = "ABCDE"


def customers(env, count, tag):
    partners = env["res.partner"].create(
        [
            {"name": f"Bench {tag} customer {n:03d}", "is_company": True}
            for n in range(count)
        ]
    )
    currency = env.company.currency_id.id
    return [
        (partner.id, PROFILES[n % len(PROFILES)], currency)
        for n, partner in enumerate(partners)
    ]


def products(env):
    return env["product.product"].create(
        [
            {"name": f"Bench product {n}", "list_price": price, "standard_price": cost}
            for n, (price, cost) in enumerate(((120, 66), (480, 336), (990, 790)))
        ]
    )


def baseline(env, plan, product_ids):
    """One invoice at a time, paid with the payment wizard."""
    from odoo.addons.crm_extended.services import demo_plan

    today = fields.Date.context_today(env["res.partner"])
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
    )
    items = env["product.product"].browse(product_ids)
    for seed, (partner_id, profile, _currency) in enumerate(plan):
        for planned in demo_plan.plan_invoices(partner_id, profile, today, seed=seed):
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_id,
                    "invoice_date": planned.invoice_date,
                    "invoice_payment_term_id": env.ref(
                        "account.account_payment_term_30days"
                    ).id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": items[index].id, "quantity": quantity}
                        )
                        for index, quantity in planned.lines
                    ],
                }
            )
            invoice.action_post()
            if planned.paid_date:
                env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create(
                    {"payment_date": planned.paid_date, "journal_id": bank.id}
                )._create_payments()
    env.flush_all()


def set_based(env, plan, product_ids):
    env["crm_extended.demo.history"].generate(plan, product_ids)
    env.flush_all()


def timed(label, func):
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<12} {wall:8.1f} s   {cpu:8.1f} s CPU")
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--db", default="crm_extended")
    parser.add_argument("--customers", type=int, default=12)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True},
        )
        items = products(env)
        print(f"{args.customers} customers, 18 months each          time        CPU")

        def isolated(label, generator, tag):
            # Each run on the same starting data, undone afterwards.
            cr.execute("SAVEPOINT demo_bench")
            try:
                return timed(
                    label,
                    lambda: generator(
                        env, customers(env, args.customers, tag), items.ids
                    ),
                )
            finally:
                env.invalidate_all()
                cr.execute("ROLLBACK TO SAVEPOINT demo_bench")

        new = isolated("set-based", set_based, "B")
        base = isolated("baseline", baseline, "A")
        print(
            f"baseline / set-based: {base[0] / new[0]:.1f}x time, "
            f"{base[1] / new[1]:.1f}x CPU"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
