"""bin/core_tests_compare.py: which of Odoo's own tests fail only with our addons."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "bin" / "core_tests_compare.py"


def log_line(database, level, logger, message):
    return f"2026-12-02 10:49:55,482 1266 {level} {database} {logger}: {message}\n"


def write_log(path, database, failures=(), errors=()):
    lines = [
        log_line(
            database, "INFO", "odoo.addons.account.tests.test_move", f"Starting {t} ..."
        )
        for t in ("TestMove.test_post", "TestMove.test_pay")
    ]
    for test in failures:
        lines.append(
            log_line(
                database,
                "ERROR",
                "odoo.addons.account.tests.test_move",
                f"FAIL: {test}",
            )
        )
        lines.append("AssertionError: 1 != 2\n")
    lines += [log_line(database, "ERROR", "odoo.sql_db", error) for error in errors]
    summary = (
        f"0 failed, {len(failures)} error(s) of 2 tests"
        f" when loading database '{database}'"
    )
    lines.append(log_line(database, "ERROR", "odoo.tests.result", summary))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def compare(base, ours):
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(base), str(ours)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_failure_on_both_sides_is_not_ours(tmp_path):
    base = write_log(tmp_path / "base.log", "crm_core_base", ["TestMove.test_pay"])
    ours = write_log(tmp_path / "ours.log", "crm_core_ours", ["TestMove.test_pay"])
    result = compare(base, ours)
    assert result.returncode == 0, result.stdout
    assert "failing on both sides (not ours): 1" in result.stdout
    # The runs' summaries differ only by their database: not an error of ours.
    assert "errors logged only with our addons" not in result.stdout


def test_a_failure_and_an_error_only_with_our_addons_are_reported(tmp_path):
    base = write_log(tmp_path / "base.log", "crm_core_base")
    ours = write_log(
        tmp_path / "ours.log",
        "crm_core_ours",
        ["TestMove.test_post"],
        errors=["bad query: SELECT 42"],
    )
    result = compare(base, ours)
    assert result.returncode == 1
    assert "FAILING ONLY WITH OUR ADDONS: 1" in result.stdout
    assert "TestMove.test_post" in result.stdout
    assert "AssertionError: 1 != 2" in result.stdout
    assert "odoo.sql_db: bad query: SELECT N" in result.stdout
