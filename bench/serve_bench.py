#!/usr/bin/env python3
"""Time ``bin/serve`` on a new database (issue 15): from the command to the server
answering ``/web/login``, then check that the demo is there.

Usage (from the repository root):

    python3 bench/serve_bench.py [--runs 3] [--port 8169] [--no-template]
                                 [-- extra bin/serve args]

bin/serve copies a new database from its template database, which it builds first
when there is none or it is stale. The bench uses a template of its own
(``--template-db``, default ``crm_serve_bench_template``) and drops it first, so that
run 1 times the first build (template, copy, start) and the later runs a new
database copied from the template; ``--keep-template`` starts from the template
left by an earlier run instead, ``--no-template`` times the one-pass build without
a template (``CRM_TEMPLATE_DB=``) on every run.

Each run creates the database ``crm_serve_bench_<n>`` (``--database``) with
``bin/serve``, polls ``http://127.0.0.1:<port>/web/login`` until it answers 200, logs
in as each demo user over JSON-RPC, stops the server it started and drops the
database (``--keep`` keeps it); each database must have its own ``database.uuid``
and ``database.secret`` (a copy is a new database, as Odoo's duplication makes
it). It prints the wall-clock seconds of each run, the CPU
seconds of Odoo (PostgreSQL's not included) and the load average before and after:
on a machine shared with other work, the wall clock grows with the load, the CPU
seconds much less. Not part of bin/test.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILESTORE = Path.home() / ".local/share/Odoo/filestore"
DEMO_LOGINS = ("demo.salesperson", "demo.accountant", "demo.manager", "admin")


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def loaded(log_path, db):
    """Whether Odoo logged that the database's registry is loaded: a request sent
    during the installation would wait for it, and past Odoo's real-time limit
    (120 s) the server restarts itself, which would be measured too."""
    text = Path(log_path).read_text(errors="replace")
    return f" {db} odoo.modules.registry: Registry loaded in " in text


def login(base, db, user):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": user, "password": user},
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/web/session/authenticate",
        data=payload,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.load(response)
    return bool(result.get("result", {}).get("uid"))


def group_cpu(group):
    """CPU seconds of the processes of a process group (bin/serve and Odoo) and of
    their children that have ended, up to now."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += sum(int(value) for value in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-X", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def drop(db):
    """Drop a database and its filestore (Odoo's default data directory)."""
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
        psql(f'ALTER DATABASE "{db}" WITH IS_TEMPLATE false')
        subprocess.run(["dropdb", db], check=True)
    shutil.rmtree(FILESTORE / db, ignore_errors=True)


def identity(db):
    return psql(
        "SELECT string_agg(value, ' ' ORDER BY key) FROM ir_config_parameter"
        " WHERE key IN ('database.uuid', 'database.secret')",
        database=db,
    )


def run(n, args, identities):
    db = f"{args.database}_{n}"
    drop(db)
    base = f"http://127.0.0.1:{args.port}"
    template = "" if args.no_template else args.template_db
    env = dict(os.environ, CRM_DB=db, CRM_PORT=str(args.port))
    env["CRM_TEMPLATE_DB"] = template
    if template:
        built = psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
        kind = "from the template" if built else "first build (template, copy)"
    else:
        kind = "one pass, no template"
    log = open(f"/tmp/{db}.log", "w")  # noqa: SIM115 - kept open for the server
    load_before = load()
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(REPO / "bin/serve"), *args.serve_args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while not (loaded(log.name, db) and answers(f"{base}/web/login?db={db}")):
            if server.poll() is not None:
                sys.exit(f"bin/serve stopped ({server.returncode}); see {log.name}")
            time.sleep(0.5)
        ready = time.perf_counter() - started
        cpu = group_cpu(server.pid)
        logins = {user: login(base, db, user) for user in DEMO_LOGINS}
        own = identity(db)
        if own in identities:
            sys.exit(f"{db} has the database.uuid and secret of an earlier database")
        identities.append(own)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    if not args.keep:
        drop(db)
    print(
        f"run {n} ({kind}): ready in {ready:.1f} s, {cpu:.1f} s CPU; load before"
        f" {load_before}, after {load()}; logins {logins}; log {log.name}",
        flush=True,
    )
    return ready


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8169)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--database", default="crm_serve_bench", help="name of the databases, + _<n>"
    )
    parser.add_argument("--template-db", default="crm_serve_bench_template")
    parser.add_argument(
        "--keep-template",
        action="store_true",
        help="start from the bench's template left by an earlier run; keep it",
    )
    parser.add_argument(
        "--no-template", action="store_true", help="one pass on every run"
    )
    parser.add_argument("serve_args", nargs="*", help="passed on to bin/serve")
    args = parser.parse_args()
    if not args.keep_template:
        drop(args.template_db)
    identities = []
    times = [run(n, args, identities) for n in range(1, args.runs + 1)]
    if not args.keep_template:
        drop(args.template_db)
    print(f"bin/serve on a new database: {', '.join(f'{t:.0f} s' for t in times)}")


if __name__ == "__main__":
    main()
