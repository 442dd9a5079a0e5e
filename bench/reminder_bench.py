#!/usr/bin/env python3
"""Benchmark of the daily payment-reminder proposal run (crm_extended, issue 21).

Usage (from the repository root, PostgreSQL running):

    python3 bench/reminder_bench.py [--db crm_reminder_bench] [--partners 2000]
                                    [--invoices 20000] [--repeat 3] [--keep]

1. Installs crm_extended without demo data on a fresh database and populates
   customers, invoices and payments as ``payment_bench.py`` does (set-based
   clones of ORM-made rows; about 8 % of the invoices stay open, most overdue).
2. Creates three reminder levels (7, 30, 60 days after the due date).
3. Times, in the same process, a first night (no proposals yet: every
   reminder is inserted) and then ``--repeat`` following nights (today + 1,
   + 2, ...: every pending proposal is renewed with the day's figures, levels
   move up, new customers fall overdue, paid ones drop out):
   - the proposal run (``crm_extended.reminder.run._propose``: one SQL
     statement over the open items of all customers that renews, inserts and
     drops the pending reminders, then the exclusion reasons);
   - a floor: one bare SQL aggregate of the overdue receivable items per
     customer (oldest days overdue, overdue amount) on the same day, nothing
     written.
4. Prints the first night and the median and best of the following nights,
   with the ratio (target: within 3x of the floor).

Not part of bin/test.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payment_bench import ADDONS, TODAY, install, populate

import odoo
from odoo import api
from odoo.modules.registry import Registry

FLOOR_SQL = """
SELECT partner.commercial_partner_id,
       MAX(%(today)s::date - COALESCE(line.date_maturity, line.date)),
       SUM(line.amount_residual)
  FROM account_move_line line
  JOIN account_account account ON account.id = line.account_id
  JOIN res_partner partner ON partner.id = line.partner_id
 WHERE line.parent_state = 'posted'
   AND line.reconciled IS NOT TRUE
   AND account.account_type = 'asset_receivable'
   AND line.company_id = %(company)s
   AND COALESCE(line.date_maturity, line.date) < %(today)s
 GROUP BY partner.commercial_partner_id
HAVING SUM(line.amount_residual) > 0
"""


def analyse(db, vacuum=False):
    """What autovacuum does to the reminders between two nights (outside the
    timed runs; VACUUM needs a connection of its own)."""
    command = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    subprocess.run(
        ["psql", "-q", "-d", db, "-c", f"{command} crm_extended_reminder"], check=True
    )


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="crm_reminder_bench")
    parser.add_argument("--partners", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--skip-install", action="store_true", help="reuse a populated database"
    )
    args = parser.parse_args()
    if not args.skip_install:
        install(args.db)
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        if not args.skip_install:
            populate(env, args.partners, args.invoices)
            levels = env["crm_extended.reminder.level"].search(
                [("company_id", "=", company.id)]
            )
            levels.unlink()
            for days in (7, 30, 60):
                env["crm_extended.reminder.level"].create(
                    {
                        "name": f"Level at {days} days",
                        "company_id": company.id,
                        "days_after_due": days,
                    }
                )
            cr.commit()
        run = env["crm_extended.reminder.run"]
        Reminder = env["crm_extended.reminder"]
        pending = [("company_id", "=", company.id), ("state", "=", "proposed")]
        # Start from no proposals, so that the first night inserts every one,
        # on a vacuumed table as after an installation.
        env["crm_extended.reminder"].search(
            [("company_id", "=", company.id), ("state", "in", ("proposed", "excluded"))]
        ).unlink()
        cr.commit()
        analyse(args.db, vacuum=True)

        def night(day):
            elapsed, reminders = timed(lambda: run._propose(company, today=day))
            cr.commit()
            floor, rows = timed(
                lambda: (
                    cr.execute(FLOOR_SQL, {"today": day, "company": company.id})
                    or cr.fetchall()
                )
            )
            return elapsed, floor, len(reminders), len(rows)

        first, first_floor, count, customers = night(TODAY)
        # Nights are a day apart: autovacuum has analysed the table after the
        # first night's inserts (its statistics were taken when it was empty).
        analyse(args.db)
        proposals, floors = [], []
        for offset in range(1, args.repeat + 1):
            elapsed, floor, count, customers = night(TODAY + timedelta(days=offset))
            proposals.append(elapsed)
            floors.append(floor)
        proposed = Reminder.search_count(pending)
    print(f"customers with overdue items (floor, last night): {customers}")
    print(f"reminders of the last night: {count} ({proposed} proposed)")
    print(
        f"first night (every reminder new): proposal run {first:.3f} s, "
        f"floor {first_floor:.3f} s, {first / first_floor:.2f}x"
    )
    for label, pick in (("median", statistics.median), ("best", min)):
        proposal, floor = pick(proposals), pick(floors)
        print(
            f"{label} of {args.repeat} following nights: proposal run "
            f"{proposal:.3f} s, floor {floor:.3f} s, "
            f"proposal run / floor = {proposal / floor:5.2f}x   (target <= 3x)"
        )
    if not args.keep:
        Registry.delete(args.db)
        odoo.sql_db.close_db(args.db)
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
