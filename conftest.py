"""Repository-wide pytest rules.

Odoo turns a missing browser or websocket-client into a skipped tour, so a skip
would hide an untested card. Any skipped test therefore fails the run, and the
summary names it.
"""

import pytest

_SKIPPED = []


def pytest_runtest_logreport(report):
    if report.skipped and report.when in ("setup", "call"):
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _SKIPPED and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.write_line(
            "FAILED: these tests were skipped, and a skip is not allowed here "
            "(a browser tour that did not run is a failure):",
            red=True,
        )
        for nodeid in _SKIPPED:
            terminalreporter.write_line(f"  {nodeid}", red=True)
