#!/usr/bin/env python3
"""The template database bin/serve copies a new demo database from (issue 15).

Building the demo database takes minutes (Odoo's modules, Slovak for every module,
18 months of invoices); copying a built one takes seconds. bin/serve keeps a pristine
copy, the template, marked with what it was built from and when:

- its fingerprint: the addons' files (their tests aside), bin/serve, the modules
  installed, Odoo's version and its source tree (each file's path, size and time,
  plus the commit when it is a git clone);
- the day it was built: the demo's history is relative to that day (invoices of
  the last 18 months, this week's complaint), so a template serves for
  CRM_TEMPLATE_DAYS days (default 7; within a week no demo customer changes grade).

Usage (bin/serve runs it; PostgreSQL is reached with psql, the libpq way):

    serve_template.py fingerprint --modules a,b,c      # of the sources as they are
    serve_template.py check TEMPLATE --fingerprint F   # 0: valid; 1: says why not
    serve_template.py mark TEMPLATE --fingerprint F    # after a build: check, mark
    serve_template.py unmark TEMPLATE                  # before dropping it
    serve_template.py copy TEMPLATE DATABASE -- [Odoo's options]  # with Odoo's Python

A marked template is a PostgreSQL template database that accepts no connection, so
Odoo lists it nowhere and its crons never touch it; only copies are served.
"""

import argparse
import datetime
import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LABEL = "crm_extended demo template"
DEFAULT_DAYS = 7
#: Created at the end of the card's demo set-up: the build went through.
BUILT_MARKER = ("crm_extended", "invoice_moravska_products")
SKIPPED_PARTS = {"__pycache__", ".git", "tests", ".pytest_cache", ".ruff_cache"}


# ---------------------------------------------------------------- pure logic
def addon_dirs(repo_root):
    return sorted(path.parent for path in Path(repo_root).glob("*/__manifest__.py"))


def source_files(root):
    """The files under ``root`` that shape an installed database, sorted."""
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_PARTS)
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                yield Path(directory, name)


def fingerprint(repo_root, odoo_src, modules):
    """One hex digest of what a template database is built from."""
    digest = hashlib.sha256()
    digest.update(f"modules {','.join(sorted(modules.split(',')))}\n".encode())
    repo_root = Path(repo_root)
    serve = repo_root / "bin" / "serve"
    for path in [serve, *(p for d in addon_dirs(repo_root) for p in source_files(d))]:
        digest.update(f"{path.relative_to(repo_root)}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    # Odoo's tree is large and read-only here: its files' sizes and times, not their
    # contents, plus the commit of a clone.
    odoo_src = Path(odoo_src)
    digest.update(f"odoo {odoo_commit(odoo_src)}\n".encode())
    digest.update(odoo_listing(odoo_src).encode())
    return digest.hexdigest()


def odoo_listing(odoo_src):
    """Path, size and time of each of Odoo's files, sorted (find is 10x faster
    than a walk in Python over its 35,000 files)."""
    prune = [arg for part in sorted(SKIPPED_PARTS) for arg in ("-o", "-name", part)][1:]
    result = subprocess.run(
        [
            "find",
            str(odoo_src),
            "(",
            *prune,
            ")",
            "-prune",
            "-o",
            "-type",
            "f",
            "!",
            "-name",
            "*.py[co]",
            "-printf",
            "%P %s %T@\\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return "\n".join(sorted(result.stdout.splitlines()))


def odoo_commit(odoo_src):
    if not (Path(odoo_src) / ".git").exists():
        return "no git"
    result = subprocess.run(
        ["git", "-C", str(odoo_src), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown commit"


def describe(digest, built):
    return f"{LABEL}; fingerprint {digest}; built {built.isoformat()}"


def staleness(comment, expected, today, days):
    """Why a template with this PostgreSQL comment must be rebuilt; None if valid."""
    prefix = f"{LABEL}; fingerprint "
    if not comment or not comment.startswith(prefix):
        return "it was not finished"
    try:
        found, built = comment[len(prefix) :].split("; built ")
        built = datetime.date.fromisoformat(built.strip())
    except ValueError:
        return "its mark is unreadable"
    if found != expected:
        return "the addons, bin/serve or Odoo changed since it was built"
    age = (today - built).days
    if age < 0 or age >= days:
        return f"its demo history is dated {built.isoformat()} (valid {days} days)"
    return None


# ---------------------------------------------------------------- PostgreSQL
def psql(sql, database="postgres"):
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"error: psql: {result.stderr.strip()}")
    return result.stdout.strip()


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def identifier(name):
    return '"' + name.replace('"', '""') + '"'


def template_comment(template):
    """(exists, comment) of the template database."""
    row = psql(
        "SELECT 'found:' || coalesce(shobj_description(oid, 'pg_database'), '')"
        f" FROM pg_database WHERE datname = {literal(template)}"
    )
    if not row:
        return False, ""
    return True, row.removeprefix("found:")


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def days_valid():
    try:
        return max(int(os.environ.get("CRM_TEMPLATE_DAYS", DEFAULT_DAYS)), 0)
    except ValueError:
        sys.exit("error: CRM_TEMPLATE_DAYS must be a number of days")


def current_fingerprint(args):
    return args.fingerprint or fingerprint(REPO_ROOT, args.odoo_src, args.modules)


def print_fingerprint(args):
    print(current_fingerprint(args))
    return 0


def check(args):
    exists, comment = template_comment(args.template)
    if not exists:
        print(f"No template database {args.template} yet.")
        return 1
    reason = staleness(comment, current_fingerprint(args), today(), days_valid())
    if reason:
        print(f"The template database {args.template} is stale: {reason}.")
        return 1
    return 0


def mark(args):
    module, name = BUILT_MARKER
    built = psql(
        "SELECT 1 FROM ir_model_data"
        f" WHERE module = {literal(module)} AND name = {literal(name)}",
        database=args.template,
    )
    if not built:
        sys.exit(
            f"error: {args.template} has no card demo ({module}.{name} is missing);"
            " see Odoo's log above."
        )
    # The fingerprint taken before the build: sources edited during it make the
    # template stale, as they should.
    comment = describe(current_fingerprint(args), today())
    psql(f"COMMENT ON DATABASE {identifier(args.template)} IS {literal(comment)}")
    psql(
        f"ALTER DATABASE {identifier(args.template)}"
        " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
    )
    return 0


def unmark(args):
    exists, _comment = template_comment(args.template)
    if exists:
        psql(
            f"ALTER DATABASE {identifier(args.template)}"
            " WITH IS_TEMPLATE false ALLOW_CONNECTIONS true"
        )
    return 0


def copy(args):
    """Odoo's duplication of a database (``odoo.service.db.exp_duplicate_database``,
    what ``odoo-bin db duplicate`` runs): the database copied from the template, its
    own ``database.uuid``, ``database.secret`` and creation date as
    ``ir.config_parameter.init(force=True)`` sets them, the filestore copied. Odoo
    loads the copy's whole registry for that one call (10-20 s here); the server
    about to start loads it anyway, so the parameters are written directly."""
    # Only this command runs with Odoo's Python (ODOO_PYTHON, PYTHONPATH=ODOO_SRC).
    import odoo
    from odoo.service.db import _drop_conn, database_identifier
    from odoo.tools import SQL, config

    from odoo.addons.base.models.ir_config_parameter import (
        _default_parameters,
    )

    options = args.odoo_options
    config.parse_config(options[1:] if options[:1] == ["--"] else options)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        # database-altering operations cannot run inside a transaction
        cr._cnx.autocommit = True
        _drop_conn(cr, args.template)
        cr.execute(
            SQL(
                "CREATE DATABASE %s ENCODING 'unicode' TEMPLATE %s",
                database_identifier(cr, args.database),
                database_identifier(cr, args.template),
            )
        )
    with closing(odoo.sql_db.db_connect(args.database).cursor()) as cr:
        for key, default in _default_parameters.items():
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
                " write_date = now() AT TIME ZONE 'UTC'",
                (key, str(default())),
            )
        cr.commit()
    odoo.sql_db.close_db(args.database)
    source, target = config.filestore(args.template), config.filestore(args.database)
    if os.path.exists(source) and not os.path.exists(target):
        shutil.copytree(source, target)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, function in (("check", check), ("mark", mark), ("unmark", unmark)):
        command = commands.add_parser(name)
        command.set_defaults(function=function)
        command.add_argument("template")
        command.add_argument("--fingerprint", default="")
        command.add_argument("--modules", default="")
        command.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", ""))
    command = commands.add_parser("fingerprint")
    command.set_defaults(function=print_fingerprint, fingerprint="")
    command.add_argument("--modules", default="")
    command.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", ""))
    command = commands.add_parser("copy")
    command.set_defaults(function=copy)
    command.add_argument("template")
    command.add_argument("database")
    command.add_argument("odoo_options", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    return args.function(args)


if __name__ == "__main__":
    sys.exit(main())
