#!/usr/bin/env python3
"""Balance-ledger benchmark: crm_extended's ledger tab and Excel export against
Odoo's own journal-items list (with ``cumulated_balance``) on the same data.

1. Gives one partner N posted receivable lines (default 100,000) in the database:
   one journal entry is made through the ORM, the rest are copied from it with
   batched ``INSERT ... SELECT`` statements (dates spread over the fiscal year,
   every third line a credit).
2. Starts an Odoo server on 127.0.0.1 and measures, over HTTP as a logged-in user:
   - the first page of the ledger tab (``res.partner.crm_ledger_page``, 80 lines)
     against the first page of the journal-items list (``web_search_read`` of 80
     lines with ``cumulated_balance``, plus its count, as the list view does);
   - the full ledger as XLSX (``/crm_extended/ledger/xlsx``) against Odoo's
     list export to XLSX (``/web/export/xlsx``) of the same lines and columns.
3. Prints the times and the ratios (Odoo / crm_extended).

See bench/README.md. Not part of bin/test.
"""

import argparse
import datetime
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests
from psycopg2 import sql

REPO_ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
ADDONS_PATH = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO_ROOT}"
PARTNER_NAME = "Ledger Benchmark a.s."
BENCH_REF = "LEDGER-BENCH-"
LIST_FIELDS = [
    "date",
    "move_name",
    "ref",
    "date_maturity",
    "debit",
    "credit",
    "cumulated_balance",
    "amount_residual",
    "matching_number",
]


def log(message):
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def odoo_bin(*args, **popen):
    command = [sys.executable, str(ODOO_SRC / "odoo-bin"), "--addons-path", ADDONS_PATH]
    return subprocess.Popen([*command, *args], **popen)


def ensure_database(db):
    """A database with this checkout's crm_extended (and its ledger index)."""
    try:
        connection = psycopg2.connect(dbname=db)
    except psycopg2.OperationalError:
        log(f"creating database {db} with crm_extended (a few minutes)")
        process = odoo_bin("-d", db, "-i", "crm_extended", "--stop-after-init")
        if process.wait():
            sys.exit("installing crm_extended failed")
        return
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = %s",
            ["account_move_line_crm_ledger_idx"],
        )
        current = cursor.fetchone()
    connection.close()
    if not current:
        log(f"updating crm_extended in {db}")
        process = odoo_bin("-d", db, "-u", "crm_extended", "--stop-after-init")
        if process.wait():
            sys.exit("updating crm_extended failed")


# -- populate --------------------------------------------------------------


def populate(db, count):
    """The benchmark partner's id, with ``count`` receivable lines."""
    sys.path.insert(0, str(ODOO_SRC))
    import odoo
    from odoo import Command, api, fields

    odoo.tools.config.parse_config(["-d", db, "--addons-path", ADDONS_PATH])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        partner = env["res.partner"].search([("name", "=", PARTNER_NAME)], limit=1)
        if partner:
            cr.execute(
                "SELECT COUNT(*) FROM account_move_line WHERE partner_id = %s",
                [partner.id],
            )
            existing = cr.fetchone()[0]
            if existing >= count:
                log(f"partner {partner.id} already has {existing} lines")
                return partner.id
            sys.exit(f"{PARTNER_NAME} exists with {existing} lines; drop the database")
        partner = env["res.partner"].create({"name": PARTNER_NAME, "is_company": True})
        company = env.company
        today = fields.Date.context_today(partner)
        start = company.compute_fiscalyear_dates(today)["date_from"]
        accounts = env["account.account"].with_company(company)
        receivable = accounts.search(
            [("account_type", "=", "asset_receivable")], limit=1
        )
        income = accounts.search([("account_type", "=", "income")], limit=1)
        template = env["account.move"].create(
            {
                "move_type": "entry",
                "date": start,
                "ref": BENCH_REF + "0",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "debit": 100.0,
                        }
                    ),
                    Command.create({"account_id": income.id, "credit": 100.0}),
                ],
            }
        )
        template.action_post()
        env.flush_all()
        span = max((today - start).days, 1)
        began = time.perf_counter()
        batch = 20000
        for first in range(1, count, batch):
            last = min(first + batch - 1, count - 1)
            _copy_moves(cr, template.id, first, last, start, span)
        cr.commit()
        log(f"populated {count} lines in {time.perf_counter() - began:.1f} s")
        partner_id = partner.id
    # As after a day of autovacuum: statistics and visibility map up to date.
    connection = psycopg2.connect(dbname=db)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE account_move, account_move_line")
    connection.close()
    return partner_id


def _columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND column_name != 'id'
         ORDER BY ordinal_position""",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


def _copy_moves(cr, template_id, first, last, start, span):
    """Copy the template entry for g in [first, last]; every third one reversed."""
    move_columns = _columns(cr, "account_move")
    move_overrides = {
        "name": sql.SQL("t.name || '/' || g"),
        "ref": sql.SQL("{} || g").format(sql.Literal(BENCH_REF)),
        "date": sql.SQL("{}::date + (g %% {})").format(
            sql.Literal(start), sql.Literal(span)
        ),
        "inalterable_hash": sql.SQL("NULL"),
    }
    cr.execute(
        sql.SQL(
            "INSERT INTO account_move ({cols}) SELECT {values} "
            "FROM account_move t, generate_series(%s, %s) g WHERE t.id = %s"
        ).format(
            cols=sql.SQL(", ").join(map(sql.Identifier, move_columns)),
            values=sql.SQL(", ").join(
                move_overrides.get(col, sql.SQL("t.{}").format(sql.Identifier(col)))
                for col in move_columns
            ),
        ),
        [first, last, template_id],
    )
    line_columns = _columns(cr, "account_move_line")
    sign = sql.SQL("(CASE WHEN g %% 3 = 0 THEN -1 ELSE 1 END)")
    line_overrides = {
        "move_id": sql.SQL("m.id"),
        "date": sql.SQL("m.date"),
        "date_maturity": sql.SQL("m.date + 30"),
        "move_name": sql.SQL("m.name"),
        "ref": sql.SQL("m.ref"),
        "debit": sql.SQL("CASE WHEN g %% 3 = 0 THEN t.credit ELSE t.debit END"),
        "credit": sql.SQL("CASE WHEN g %% 3 = 0 THEN t.debit ELSE t.credit END"),
    }
    for col in (
        "balance",
        "amount_currency",
        "amount_residual",
        "amount_residual_currency",
    ):
        line_overrides[col] = sql.SQL("t.{} * {}").format(sql.Identifier(col), sign)
    cr.execute(
        sql.SQL(
            "INSERT INTO account_move_line ({cols}) SELECT {values} "
            "FROM account_move m "
            "CROSS JOIN LATERAL (SELECT substr(m.ref, {skip})::int AS g) gs "
            "JOIN account_move_line t ON t.move_id = %s "
            "WHERE m.ref LIKE %s AND gs.g BETWEEN %s AND %s"
        ).format(
            cols=sql.SQL(", ").join(map(sql.Identifier, line_columns)),
            values=sql.SQL(", ").join(
                line_overrides.get(col, sql.SQL("t.{}").format(sql.Identifier(col)))
                for col in line_columns
            ),
            skip=sql.Literal(len(BENCH_REF) + 1),
        ),
        [template_id, BENCH_REF + "%", first, last],
    )


# -- measure ---------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, db):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.session = requests.Session()

    def __enter__(self):
        self.process = odoo_bin(
            "-d",
            self.db,
            "--db-filter",
            f"^{self.db}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        )
        for _ in range(120):
            try:
                self.session.get(self.url + "/web/login", timeout=5)
                return self
            except requests.ConnectionError:
                time.sleep(0.5)
        raise RuntimeError("the Odoo server did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def login(self, login, password):
        self.json(
            "/web/session/authenticate", db=self.db, login=login, password=password
        )

    def json(self, path, **params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=600,
        )
        payload = response.json()
        if "error" in payload:
            raise RuntimeError(payload["error"]["data"]["message"])
        return payload["result"]

    def csrf(self):
        """A CSRF token of the session, as the web client has it."""
        page = self.session.get(self.url + "/odoo", timeout=60).text
        match = re.search(r"csrf_token\W+([0-9a-f]{20,}o?[0-9a-f]*)", page)
        if not match:
            raise RuntimeError("no CSRF token in the web client page")
        return match.group(1)

    def call(self, model, method, *args, **kwargs):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )


def timed(function, repeat):
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def measure(server, partner_id, repeat, xlsx_repeat):
    page = server.call("res.partner", "crm_ledger_page", [partner_id])
    date_from, date_to = page["date_from"], page["date_to"]
    domain = [
        ("partner_id", "child_of", partner_id),
        ("parent_state", "=", "posted"),
        ("account_id.account_type", "in", ["asset_receivable", "liability_payable"]),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
    ]
    spec = {name: {} for name in LIST_FIELDS}
    types = server.call(
        "account.move.line", "fields_get", LIST_FIELDS, attributes=["type", "string"]
    )
    context = {"lang": "en_US"}

    def ours_page():
        return server.call("res.partner", "crm_ledger_page", [partner_id])

    def odoo_page():
        return server.call(
            "account.move.line",
            "web_search_read",
            domain=domain,
            specification=spec,
            limit=80,
            order="date desc, move_name desc, id",
            count_limit=100001,
            context=context,
        )

    def ours_xlsx():
        response = server.session.get(
            f"{server.url}/crm_extended/ledger/xlsx/{partner_id}",
            params={"date_from": date_from, "date_to": date_to},
            timeout=1200,
        )
        response.raise_for_status()
        return len(response.content)

    def odoo_xlsx():
        data = {
            "model": "account.move.line",
            "fields": [
                {
                    "name": name,
                    "label": types[name]["string"],
                    "type": types[name]["type"],
                }
                for name in LIST_FIELDS
            ],
            "ids": False,
            "domain": domain,
            "import_compat": False,
            "context": context,
        }
        response = server.session.post(
            f"{server.url}/web/export/xlsx",
            data={"data": json.dumps(data), "csrf_token": server.csrf()},
            timeout=1200,
        )
        response.raise_for_status()
        return len(response.content)

    results = {}
    results["page"] = (timed(ours_page, repeat), timed(odoo_page, repeat))
    lines = results["page"][0][1]["line_count"]
    results["xlsx"] = (timed(ours_xlsx, xlsx_repeat), timed(odoo_xlsx, xlsx_repeat))
    return lines, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="crm_ledger_bench")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--xlsx-repeat", type=int, default=1)
    args = parser.parse_args()

    ensure_database(args.database)
    partner_id = populate(args.database, args.lines)
    with Server(args.database) as server:
        server.login(args.login, args.password)
        lines, results = measure(server, partner_id, args.repeat, args.xlsx_repeat)
    log(f"\npartner {partner_id}: {lines} ledger lines in the default period")
    log(f"{'':28}{'crm_extended':>14}{'Odoo list':>14}{'ratio':>10}")
    for key, label in (("page", "first page of the ledger"), ("xlsx", "full XLSX")):
        (ours, _r1), (odoo_time, _r2) = results[key]
        log(
            f"{label:28}{ours * 1000:>11.0f} ms{odoo_time * 1000:>11.0f} ms"
            f"{odoo_time / ours:>9.1f}x"
        )
    log(f"(ratio = Odoo time / crm_extended time; {datetime.date.today()})")


if __name__ == "__main__":
    main()
