#!/usr/bin/env python3
"""Benchmark of a published debtor list: import 100,000 rows, match 50,000 companies.

Usage (from the repository root, PostgreSQL running):

    python3 bench/debtor_list_bench.py [--db crm_debtor_bench] [--partners 50000]
                                       [--rows 100000] [--repeat 3] [--keep]

1. Installs crm_extended without demo data on a fresh database.
2. Creates the Slovak companies set-based (one ORM-made partner cloned with
   INSERT ... SELECT) and a list file the way the Slovak insurers publish them:
   CSV in Windows-1250, ';', "1 234,56" amounts, "30.11.2026" dates. 1 % of the
   rows name a company by IČO, 0.5 % by name and postal code only, 0.5 % by the
   same name in another town (must not match), the rest are other debtors.
3. Times, best of ``--repeat`` (the machine may be shared):
   - floor: a bare ``COPY`` of the same file into a temporary table (PostgreSQL
     decodes Windows-1250 itself; nothing is parsed, normalised or indexed);
   - import: ``crm_extended.debtor.list._import_file`` (parse, normalise names,
     amounts and dates, keep the file and its sha256, ``COPY`` into the rows
     table with its three match indexes);
   - match: ``_match`` of the version against every company of the country
     (their normalised keys ``COPY``-ed into a temporary table, one join);
4. prints import + match against the floor, the hits and the statements used.
   Recording the hits as evidence (``_match_and_record``) is timed once too:
   it writes one check and one finding per hit, so it grows with the hits, not
   with the list.

Not part of bin/test.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
sys.path.insert(0, str(ODOO_SRC))

import odoo
from odoo import api
from odoo.modules.registry import Registry

ADDONS = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}"
HEADER = "Názov/Meno;IČO;Ulica;Obec;PSČ;Dlžná suma v €;Dlh k dátumu"
FLOOR_TABLE = """
CREATE TEMP TABLE bench_floor (name text, ico text, street text, city text,
                               zip text, amount text, as_of text)
"""


class Rollback(Exception):
    """Raised to undo one timed run (its savepoint is rolled back)."""


def ico(number):
    """An 8-digit IČO with a valid check digit from a 7-digit number."""
    digits = f"{number:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    return digits + str((11 - total % 11) % 10)


def postal_code(n):
    return f"{800 + n % 190:03d} {n % 7:02d}"


def install(db, update=False):
    """A fresh database with crm_extended, or (``update``) the kept one updated."""
    if not update:
        subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            f"--addons-path={ADDONS}",
            "-d",
            db,
            "-u" if update else "-i",
            "crm_extended",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        cwd=REPO,
    )


def populate(env, n_partners):
    """Companies 1..n: 'Bench Firma <n> s.r.o.', IČO ico(n), a postal code."""
    cr = env.cr
    slovakia = env.ref("base.sk")
    template = env["res.partner"].create(
        {"name": "Bench template", "is_company": True, "country_id": slovakia.id}
    )
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'res_partner' AND column_name != 'id'"
        " ORDER BY ordinal_position"
    )
    names = [row[0] for row in cr.fetchall()]
    overrides = {
        "name": "'Bench Firma ' || n || ' s.r.o.'",
        "complete_name": "'Bench Firma ' || n || ' s.r.o.'",
        "company_registry": "codes[n]",
        "zip": "zips[n]",
    }
    select = ", ".join(overrides.get(name, f"t.{name}") for name in names)
    codes = [None] + [ico(n) for n in range(1, n_partners + 1)]
    zips = [None] + [postal_code(n) for n in range(1, n_partners + 1)]
    cr.execute(
        f"INSERT INTO res_partner ({', '.join(names)})"
        f" SELECT {select} FROM res_partner t,"
        " (SELECT n, %s::text[] AS codes, %s::text[] AS zips"
        "    FROM generate_series(1, %s) AS n) AS s"
        " WHERE t.id = %s",
        (codes[1:], zips[1:], n_partners, template.id),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE name LIKE 'Bench Firma %%'"
    )
    template.unlink()
    return n_partners


def list_file(n_partners, n_rows, seed=7):
    """The list's bytes (cp1250 CSV) and the numbers of hits it should give."""
    rng = random.Random(seed)
    by_ico = n_rows // 100
    by_name = n_rows // 200
    other_town = n_rows // 200
    picked = rng.sample(range(1, n_partners + 1), by_ico + by_name + other_town)
    lines = [HEADER]
    for n in picked[:by_ico]:
        lines.append(
            f"Bench Firma {n} s.r.o.;{ico(n)};Hlavná {n % 90};Mesto;"
            f"{postal_code(n)};{rng.randint(1, 99)} {rng.randint(100, 999)},"
            f"{rng.randint(10, 99)};30.11.2026"
        )
    for n in picked[by_ico : by_ico + by_name]:
        lines.append(
            f"BENCH FIRMA {n}, s. r. o.;;Hlavná 1;Mesto;{postal_code(n)};"
            f"{rng.randint(100, 999)},00;30.11.2026"
        )
    for n in picked[by_ico + by_name :]:
        lines.append(
            f"Bench Firma {n} s.r.o.;;Iná 2;Iné mesto;{postal_code(n + 1)};"
            "10,00;30.11.2026"
        )
    for i in range(len(lines) - 1, n_rows):
        lines.append(
            f"Dlžník Šaľa {i} s.r.o.;{ico(9000000 - i)};Dlhá {i % 50};Šaľa;"
            f"927 {i % 10:02d};{i % 5000} {i % 1000:03d},{i % 100:02d};31.10.2026"
        )
    data = ("\r\n".join(lines) + "\r\n").encode("cp1250")
    return data, by_ico + by_name


def timed(label, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<46} {elapsed:8.2f} s")
    return elapsed, result


def undone(cr, func):
    """Run ``func`` in a savepoint that is rolled back afterwards: (time, result)."""
    box = {}
    try:
        with cr.savepoint():
            start = time.perf_counter()
            box["result"] = func()
            box["elapsed"] = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return box["elapsed"], box["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="crm_debtor_bench")
    parser.add_argument("--partners", type=int, default=50000)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--skip-install", action="store_true", help="reuse a populated database"
    )
    args = parser.parse_args()
    if args.skip_install:
        timed("update crm_extended", lambda: install(args.db, update=True))
    else:
        timed("install crm_extended (no demo)", lambda: install(args.db))
    odoo.tools.config.parse_config(
        [f"--addons-path={ADDONS}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    data, expected_hits = list_file(args.partners, args.rows)
    print(f"list file: {args.rows} rows, {len(data) / 1e6:.1f} MB (cp1250 CSV)")
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not args.skip_install:
            timed(
                f"populate {args.partners} companies",
                lambda: populate(env, args.partners),
            )
            cr.commit()
        debtor_list = env.ref("crm_extended.debtor_list_sk_socpoist")
        debtor_list.write({"active": True, "source_type": "upload"})
        debtor_list.provider_id.active = True
        cr.commit()
        floors, imports, matches, statements = [], [], [], []
        for _ in range(args.repeat):
            cr.execute(FLOOR_TABLE)
            elapsed, _none = timed(
                "floor: bare COPY into a temp table",
                lambda: cr.copy_expert(
                    "COPY bench_floor FROM STDIN WITH (FORMAT csv, DELIMITER ';',"
                    " HEADER true, ENCODING 'WIN1250')",
                    io.BytesIO(data),
                ),
            )
            floors.append(elapsed)
            cr.execute("DROP TABLE bench_floor")
            before = cr.sql_log_count

            def run():
                start = time.perf_counter()
                version = debtor_list._import_file(data, "bench.csv", "bench")
                imported = time.perf_counter() - start
                assert version.state == "current", version.error_message
                hits = debtor_list._match()
                return imported, version.row_count, hits

            total, (imported, rows, hits) = undone(cr, run)
            statements.append(cr.sql_log_count - before)
            imports.append(imported)
            matches.append(total - imported)
            print(f"{'import (parse, normalise, COPY, indexes)':<46} {imported:8.2f} s")
            print(
                f"{'match 50,000 companies (one join)':<46} {total - imported:8.2f} s"
            )
        floor, best = (
            min(floors),
            min(i + m for i, m in zip(imports, matches, strict=True)),
        )
        print(f"rows imported: {rows}, hits: {len(hits)} (expected {expected_hits})")
        # Evidence of the hits, once (it grows with the hits, not the list).
        debtor_list._import_file(data, "bench.csv", "bench")
        recorded, changed = timed(
            "record the hits as evidence (first version)",
            lambda: debtor_list._match_and_record(notify=False),
        )
        cr.rollback()
    print()
    print(f"floor (bare COPY)            {floor:7.2f} s")
    print(f"import + match (best of {args.repeat})   {best:7.2f} s")
    print(f"ratio                        {best / floor:7.2f} x (target <= 3x)")
    print(
        f"statements per import + match: {min(statements)} executed + 2 COPY"
        f" (whatever the number of rows or companies)"
    )
    print(f"evidence for {len(changed)} companies: {recorded:.2f} s")
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
