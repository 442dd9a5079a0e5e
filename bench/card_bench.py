#!/usr/bin/env python3
"""Opening a card against Odoo's partner form, in alternate pairs, with CPU time.

Usage (from the repository root, on a database built by scale_bench.py):

    python3 bench/card_bench.py --db card_open_bench [--pairs 15]

``scale_bench.py --only card`` opens the card five times and then the form five
times: when the machine's load changes between the two series, the ratio moves
with it. This script opens the card and the form alternately (the order swapped
every pair), as scale_bench's accountant-manager with the same field
specifications, for the largest and a small customer, and prints:

- the median of the pairs' time ratios (card / form);
- the CPU time of this Python process and of its PostgreSQL backend per opening
  (``/proc/<pid>/stat``, PostgreSQL on the same machine): what other processes'
  load does not inflate, so before/after comparisons hold on a busy machine;
- the queries of one opening;
- below each customer, opening each tab the card reads only when it is shown
  (``scale_bench.lazy_page_specs``), measured in the same pairs.

Not part of bin/test.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_bench
from payment_bench import ADDONS

import odoo
from odoo import api
from odoo.modules.registry import Registry


def backend_cpu(pid):
    """User plus system CPU seconds of a local process."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0


def measure_pairs(env, partner, specs, pairs, backend):
    """Open with each spec alternately; per spec: times, Python and PostgreSQL
    CPU, queries of the last opening."""
    results = {name: {"time": [], "cpu": 0.0, "pg": 0.0} for name in specs}
    for spec in [*specs.values()] * 2:  # warm-up: views, caches, buffers
        env.invalidate_all()
        partner.web_read(spec)
    names = list(specs)
    for index in range(pairs):
        for name in names if index % 2 == 0 else reversed(names):
            env.invalidate_all()
            queries = env.cr.sql_log_count
            pg, cpu, start = (
                backend_cpu(backend),
                time.process_time(),
                time.perf_counter(),
            )
            partner.web_read(specs[name])
            result = results[name]
            result["time"].append(time.perf_counter() - start)
            result["cpu"] += time.process_time() - cpu
            result["pg"] += backend_cpu(backend) - pg
            result["queries"] = env.cr.sql_log_count - queries
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="card_open_bench")
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SELECT pg_backend_pid()")
        [(backend,)] = cr.fetchall()
        user = scale_bench.bench_user(env)
        specs = {
            "card": scale_bench.form_spec(env, user),
            "form": scale_bench.form_spec(env, user, plain=True),
        }
        # The tabs read when they are shown, not with the card: measured in the
        # same pairs, each against the form.
        tabs = scale_bench.lazy_page_specs(env, user)
        specs.update({f"tab {name}": spec for name, spec in tabs.items()})
        for label, partner_id in scale_bench.card_customers(cr).items():
            partner = scale_bench.web_env(env, user)["res.partner"].browse(partner_id)
            results = measure_pairs(env, partner, specs, args.pairs, backend)
            card, form = results["card"], results["form"]
            ratios = [
                mine / base
                for mine, base in zip(card["time"], form["time"], strict=True)
            ]
            cpu = {
                name: (
                    result["cpu"] * 1000 / args.pairs,
                    result["pg"] * 1000 / args.pairs,
                )
                for name, result in results.items()
            }
            print(
                f"{label:8} card {statistics.median(card['time']) * 1000:6.0f} ms"
                f" {card['queries']} q, form"
                f" {statistics.median(form['time']) * 1000:6.0f} ms"
                f" {form['queries']} q; median pair ratio"
                f" {statistics.median(ratios):.2f}x; CPU python+postgres card"
                f" {cpu['card'][0]:.0f}+{cpu['card'][1]:.0f} ms, form"
                f" {cpu['form'][0]:.0f}+{cpu['form'][1]:.0f} ms, ratio"
                f" {sum(cpu['card']) / sum(cpu['form']):.2f}x"
            )
            for name in specs:
                if not name.startswith("tab "):
                    continue
                tab = results[name]
                print(
                    f"{'':8}   then its {name.removeprefix('tab crm_card_')} tab"
                    f" {statistics.median(tab['time']) * 1000:6.0f} ms"
                    f" {tab['queries']} q; CPU python+postgres"
                    f" {cpu[name][0]:.0f}+{cpu[name][1]:.0f} ms,"
                    f" {sum(cpu[name]) / sum(cpu['form']):.2f}x the form"
                )
        cr.rollback()


if __name__ == "__main__":
    main()
