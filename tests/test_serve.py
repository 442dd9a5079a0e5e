"""bin/serve's choice of modules and flags, and its template database, with a
stand-in for odoo-bin.

A new database is a copy of the template database, made as Odoo duplicates a
database; the template is built once in one pass without Odoo's own demo data and
with the card's (CRM_CARD_DEMO=1, read when crm_extended is installed), and rebuilt
when it is stale; without a template (CRM_TEMPLATE_DB empty) a new database is
installed in one pass. An existing database is only updated, and never gets demo
data added.

The stand-in creates real (tiny) PostgreSQL databases where Odoo would: the template
is checked, marked and copied by bin/serve for real.
"""

import datetime
import importlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT / "bin") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "bin"))
serve_template = importlib.import_module("serve_template")

MODULES = "crm_extended,crm_extended_sale,l10n_sk"
# Runs Python for the set-up's checks; instead of odoo-bin, the fake below.
STAND_IN = """#!/bin/sh
case "$1" in
*/odoo-bin)
    shift
    exec {python} {fake} "$@"
    ;;
esac
exec {python} "$@"
"""
# What a finished build of the demo leaves (serve_template.BUILT_MARKER), and the
# parameters a copy must not share with its template.
DEMO_BUILT = (
    "CREATE TABLE ir_model_data (module varchar, name varchar);"
    " INSERT INTO ir_model_data VALUES ('crm_extended', 'invoice_moravska_products');"
    " CREATE TABLE ir_config_parameter (id serial, key varchar UNIQUE, value text,"
    " create_date timestamp, write_date timestamp);"
    " INSERT INTO ir_config_parameter (key, value) VALUES"
    " ('database.uuid', 'template-uuid'), ('database.secret', 'template-secret'),"
    " ('web.base.url', 'http://localhost:8069'), ('crm.kept', 'kept')"
)
# Writes what odoo-bin was given, one call a line; does in PostgreSQL what Odoo
# would: a build leaves the demo's last record, a drop drops.
FAKE_ODOO = """
import os, subprocess, sys
DEMO_BUILT = @DEMO_BUILT@
args = sys.argv[2:]  # after --addons-path
with open(os.environ["ODOO_CALLS"], "a") as calls:
    demo = os.environ.get("CRM_CARD_DEMO", "")
    calls.write("\\t".join([f"CRM_CARD_DEMO={demo}", *args]) + "\\n")
if args[:2] == ["db", "drop"]:
    subprocess.run(["dropdb", args[2]], check=True)
elif "--stop-after-init" in args:
    database = args[args.index("-d") + 1]
    subprocess.run(["createdb", database], check=True)
    if os.environ.get("FAKE_BUILD") == "fails":
        sys.exit(1)
    subprocess.run(["psql", "-q", "-d", database, "-c", DEMO_BUILT], check=True)
"""


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-X", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def drop(database):
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
        psql(f'ALTER DATABASE "{database}" WITH IS_TEMPLATE false')
        subprocess.run(["dropdb", database], check=True)


@pytest.fixture
def names():
    """A database and a template name of this test's own, dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    names = {"database": f"crm_serve_test_{suffix}", "template": f"crm_tpl_{suffix}"}
    yield names
    for name in names.values():
        drop(name)


def serve(tmp_path, database, template=None, expect_failure=False, args=(), **settings):
    python = tmp_path / "python"
    fake = tmp_path / "fake_odoo.py"
    fake.write_text(FAKE_ODOO.replace("@DEMO_BUILT@", repr(DEMO_BUILT)))
    python.write_text(STAND_IN.format(python=sys.executable, fake=fake))
    python.chmod(0o755)
    calls = tmp_path / "odoo-calls"
    calls.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
    env.update(
        ODOO_PYTHON=str(python),
        ODOO_CALLS=str(calls),
        CRM_DB=database,
        CRM_PORT="8999",
        TMPDIR=str(tmp_path),
    )
    if template is not None:
        env["CRM_TEMPLATE_DB"] = template
    env.update(settings)
    result = subprocess.run(
        [str(REPO_ROOT / "bin" / "serve"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if expect_failure:
        assert result.returncode == 1, result.stdout + result.stderr
    else:
        assert result.returncode == 0, result.stdout + result.stderr
    calls = [line.split("\t") for line in calls.read_text().splitlines()]
    return calls, result.stdout + result.stderr


def prepared(template):
    """A valid template, as a build leaves it, made without bin/serve."""
    subprocess.run(["createdb", template], check=True)
    psql(DEMO_BUILT, database=template)
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo/18.0")
    serve_template.main(
        ["mark", template, f"--modules={MODULES}", f"--odoo-src={odoo_src}"]
    )


def option(arguments, name):
    assert arguments.count(name) == 1, arguments
    return arguments[arguments.index(name) + 1]


def template_state(template):
    row = psql(
        "SELECT datistemplate, datallowconn,"
        " coalesce(shobj_description(oid, 'pg_database'), '')"
        f" FROM pg_database WHERE datname = '{template}'"
    )
    return row.split("|") if row else None


def assert_builds_template(call, template):
    assert call[0] == "CRM_CARD_DEMO=1"
    assert option(call, "-d") == template
    assert set(option(call, "-i").split(",")) == set(MODULES.split(","))
    assert "--without-demo=all" in call
    assert "--stop-after-init" in call


def assert_serves_copy(calls, database):
    server = calls[-1]
    assert server[0] == "CRM_CARD_DEMO="
    assert option(server, "-d") == database
    assert "--http-port=8999" in server
    assert not {"-i", "-u", "--without-demo=all"} & set(server)
    # A new database, as Odoo's duplication makes it: its own identity, the rest kept.
    parameters = dict(
        line.split("|")
        for line in psql(
            "SELECT key, value FROM ir_config_parameter", database=database
        ).splitlines()
    )
    assert parameters["database.uuid"] not in ("", "template-uuid")
    assert parameters["database.secret"] not in ("", "template-secret")
    assert parameters["database.create_date"]
    assert parameters["web.base.url"] == "http://localhost:8999"
    assert parameters["crm.kept"] == "kept"
    return parameters


def test_a_first_new_database_builds_the_template_then_serves_a_copy(tmp_path, names):
    calls, output = serve(tmp_path, names["database"], names["template"])
    assert len(calls) == 2, calls
    assert_builds_template(calls[0], names["template"])
    assert_serves_copy(calls, names["database"])
    # The template is kept out of Odoo's database list and away from its crons.
    is_template, allows_connections, comment = template_state(names["template"])
    assert (is_template, allows_connections) == ("t", "f")
    assert comment.endswith(
        f"built {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}"
    )
    assert "Template database" in output


def test_a_later_new_database_is_copied_from_the_template_without_building(
    tmp_path, names
):
    prepared(names["template"])
    attachment = tmp_path / "data" / "filestore" / names["template"] / "ab" / "abcd"
    attachment.parent.mkdir(parents=True)
    attachment.write_text("logo")
    calls, output = serve(
        tmp_path,
        names["database"],
        names["template"],
        args=[f"--data-dir={tmp_path / 'data'}"],
    )
    assert len(calls) == 1, calls
    assert_serves_copy(calls, names["database"])
    copied = tmp_path / "data" / "filestore" / names["database"] / "ab" / "abcd"
    assert copied.read_text() == "logo"
    assert attachment.exists()
    assert f"Using the template database {names['template']}" in output


def test_prepare_only_builds_the_template_and_serves_nothing(tmp_path, names):
    calls, _output = serve(
        tmp_path, names["database"], names["template"], CRM_PREPARE_ONLY="1"
    )
    assert len(calls) == 1, calls
    assert_builds_template(calls[0], names["template"])
    assert template_state(names["template"])[0] == "t"
    assert not psql(f"SELECT 1 FROM pg_database WHERE datname = '{names['database']}'")


@pytest.mark.parametrize(
    "comment",
    [
        "{label}; fingerprint {fingerprint}; built 2020-01-01",
        "{label}; fingerprint 0123abcd; built {today}",
    ],
    ids=["demo dated long ago", "addons or Odoo changed"],
)
def test_a_stale_template_is_rebuilt(tmp_path, names, comment):
    prepared(names["template"])
    stale = comment.format(
        label=serve_template.LABEL,
        fingerprint=serve_template.fingerprint(
            REPO_ROOT, os.environ.get("ODOO_SRC", "/opt/odoo/18.0"), MODULES
        ),
        today=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
    )
    psql(f"""COMMENT ON DATABASE "{names["template"]}" IS '{stale}'""")
    calls, output = serve(tmp_path, names["database"], names["template"])
    assert [call[1:3] for call in calls[:2]] == [
        ["db", "drop"],
        ["-d", names["template"]],
    ], calls
    assert len(calls) == 3, calls
    assert_builds_template(calls[1], names["template"])
    assert_serves_copy(calls, names["database"])
    assert f"The template database {names['template']} is stale" in output


def test_a_failed_build_stops_and_leaves_no_valid_template(tmp_path, names):
    calls, output = serve(
        tmp_path,
        names["database"],
        names["template"],
        expect_failure=True,
        FAKE_BUILD="fails",
    )
    assert len(calls) == 1, calls
    assert f"error: building the template database {names['template']} failed" in (
        output
    )
    assert template_state(names["template"])[:2] == ["f", "t"]  # not marked
    assert not psql(f"SELECT 1 FROM pg_database WHERE datname = '{names['database']}'")


def test_without_a_template_a_new_database_is_installed_in_one_pass(tmp_path):
    calls, output = serve(tmp_path, "crm_serve_test_never_created", template="")
    assert len(calls) == 1, calls
    arguments = calls[0]
    assert arguments[0] == "CRM_CARD_DEMO=1"
    assert set(option(arguments, "-i").split(",")) == set(MODULES.split(","))
    assert "--without-demo=all" in arguments
    assert "-u" not in arguments
    assert option(arguments, "-d") == "crm_serve_test_never_created"
    assert "--http-port=8999" in arguments
    assert "Creating database crm_serve_test_never_created" in output


def test_an_existing_database_is_updated_without_demo_data_added(tmp_path):
    # The cluster's own database stands in for an existing one (odoo-bin is not run).
    calls, output = serve(tmp_path, "postgres")
    assert len(calls) == 1, calls
    arguments = calls[0]
    assert arguments[0] == "CRM_CARD_DEMO="
    assert set(option(arguments, "-u").split(",")) == {
        "crm_extended",
        "crm_extended_sale",
    }
    assert "-i" not in arguments
    assert not any(argument.startswith("--without-demo") for argument in arguments)
    assert "Reusing database postgres" in output


# ---------------------------------------------------------------- validity rules
TODAY = datetime.date(2026, 12, 1)


def mark(fingerprint, built):
    return serve_template.describe(fingerprint, built)


def test_a_template_of_the_same_sources_serves_for_its_days():
    for age in range(7):
        built = TODAY - datetime.timedelta(days=age)
        assert serve_template.staleness(mark("f1", built), "f1", TODAY, 7) is None


def test_a_template_is_stale_once_its_days_are_over_or_its_sources_changed():
    week_old = mark("f1", TODAY - datetime.timedelta(days=7))
    assert "2026-11-24" in serve_template.staleness(week_old, "f1", TODAY, 7)
    assert serve_template.staleness(mark("f1", TODAY), "f1", TODAY, 0)
    from_tomorrow = mark("f1", TODAY + datetime.timedelta(days=1))
    assert serve_template.staleness(from_tomorrow, "f1", TODAY, 7)
    assert "changed" in serve_template.staleness(mark("f0", TODAY), "f1", TODAY, 7)
    assert serve_template.staleness("", "f1", TODAY, 7) == "it was not finished"
    broken = f"{serve_template.LABEL}; fingerprint f1; built yesterday"
    assert serve_template.staleness(broken, "f1", TODAY, 7) == "its mark is unreadable"


def test_the_fingerprint_follows_the_addons_and_odoo_but_not_their_tests(tmp_path):
    repo, odoo = tmp_path / "repo", tmp_path / "odoo"
    (repo / "bin").mkdir(parents=True)
    (repo / "bin" / "serve").write_text("serve")
    (repo / "addon" / "tests").mkdir(parents=True)
    (repo / "addon" / "__manifest__.py").write_text("{}")
    (repo / "addon" / "tests" / "test_x.py").write_text("x")
    (odoo / "odoo").mkdir(parents=True)
    (odoo / "odoo" / "release.py").write_text("18.0")

    def current():
        return serve_template.fingerprint(repo, odoo, MODULES)

    first = current()
    (repo / "addon" / "tests" / "test_x.py").write_text("y")
    assert current() == first
    assert serve_template.fingerprint(repo, odoo, "crm_extended") != first
    (repo / "addon" / "__manifest__.py").write_text("{'version': '2'}")
    second = current()
    assert second != first
    (odoo / "odoo" / "release.py").write_text("18.0+")
    assert current() != second
