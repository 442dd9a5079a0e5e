"""bin/serve's choice of modules and flags, with a stand-in for odoo-bin.

A new database is installed in one pass without Odoo's own demo data, and the card's
demo is asked for (CRM_CARD_DEMO=1, read when crm_extended is installed); an existing
database is only updated, and never gets demo data added.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Runs Python for the set-up's checks; instead of odoo-bin, writes what it was given.
STAND_IN = """#!/bin/sh
case "$1" in
*/odoo-bin)
    shift
    printf '%s\\n' "CRM_CARD_DEMO=${{CRM_CARD_DEMO:-}}" "$@" > "$ODOO_ARGUMENTS"
    exit 0
    ;;
esac
exec {python} "$@"
"""


def serve(tmp_path, database):
    python = tmp_path / "python"
    python.write_text(STAND_IN.format(python=sys.executable))
    python.chmod(0o755)
    arguments = tmp_path / "odoo-arguments"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
    env.update(
        ODOO_PYTHON=str(python),
        ODOO_ARGUMENTS=str(arguments),
        CRM_DB=database,
        CRM_PORT="8999",
    )
    result = subprocess.run(
        [str(REPO_ROOT / "bin" / "serve")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return arguments.read_text().splitlines(), result.stdout


def option(arguments, name):
    assert arguments.count(name) == 1, arguments
    return arguments[arguments.index(name) + 1]


def test_a_new_database_is_installed_in_one_pass_without_odoos_demo(tmp_path):
    arguments, output = serve(tmp_path, "crm_serve_test_never_created")
    assert arguments[0] == "CRM_CARD_DEMO=1"
    assert set(option(arguments, "-i").split(",")) == {
        "crm_extended",
        "crm_extended_sale",
        "l10n_sk",
    }
    assert "--without-demo=all" in arguments
    assert "-u" not in arguments
    assert option(arguments, "-d") == "crm_serve_test_never_created"
    assert "--http-port=8999" in arguments
    assert "Creating database crm_serve_test_never_created" in output


def test_an_existing_database_is_updated_without_demo_data_added(tmp_path):
    # The cluster's own database stands in for an existing one (odoo-bin is not run).
    arguments, output = serve(tmp_path, "postgres")
    assert arguments[0] == "CRM_CARD_DEMO="
    assert set(option(arguments, "-u").split(",")) == {
        "crm_extended",
        "crm_extended_sale",
    }
    assert "-i" not in arguments
    assert not any(argument.startswith("--without-demo") for argument in arguments)
    assert "Reusing database postgres" in output
