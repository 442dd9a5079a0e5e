"""Compare two Odoo test logs: which tests fail only with our addons installed.

Usage: core_tests_compare.py BASELINE_LOG OURS_LOG

Reads Odoo's test log lines (``... ERROR db odoo.addons.x.tests.y: FAIL: Class.method``)
and the errors logged outside a test's own failure, prints the tests run on each
side, the failures of both, and the failures and error logs that occur only with
our addons. Exit status 1 when there is a failure only with our addons.
"""

import re
import sys
from collections import Counter

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
TEST_FAILURE = re.compile(r"^(?P<flavour>FAIL|ERROR): (?P<test>.+)$")
SUBTEST = re.compile(r"^Subtest (?P<test>\S+) .*$")
STARTING = re.compile(r"^Starting (?P<test>\S+) \.\.\.$")
NUMBERS = re.compile(r"\d+")
# The run's summary ("0 failed, 1 error(s) of 177 tests when loading database
# 'x'"): the failures themselves are compared test by test.
SUMMARY_LOGGER = "odoo.tests.result"


def parse(path):
    """Tests run, failures {test: (flavour, last traceback line)}, other error logs."""
    run, failures, errors = set(), {}, Counter()
    current = None  # the failure whose traceback the following lines belong to
    try:
        handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        sys.exit(f"error: {path} does not exist; did that side of the run finish?")
    with handle:
        for raw in handle:
            line = raw.rstrip("\n")
            match = LOG_LINE.match(line)
            if not match:
                if current and line.strip():
                    flavour, _last = failures[current]
                    failures[current] = (flavour, line.strip())
                continue
            current = None
            level, logger = match["level"], match["logger"]
            message = match["message"].rstrip()
            started = STARTING.match(message)
            if started and ".tests." in logger:
                run.add(f"{logger}: {started['test']}")
                continue
            if level not in ("ERROR", "CRITICAL") or logger == SUMMARY_LOGGER:
                continue
            failure = TEST_FAILURE.match(message)
            if failure:
                test = failure["test"]
                subtest = SUBTEST.match(test)
                if subtest:
                    test = subtest["test"]
                current = f"{logger}: {test}"
                failures.setdefault(current, (failure["flavour"], ""))
            else:
                errors[(logger, NUMBERS.sub("N", message)[:160])] += 1
    return run, failures, errors


def main(baseline_path, ours_path):
    base_run, base_failures, base_errors = parse(baseline_path)
    ours_run, ours_failures, ours_errors = parse(ours_path)
    print(f"baseline: {len(base_run)} tests run, {len(base_failures)} failing")
    print(f"with crm_extended: {len(ours_run)} tests run, {len(ours_failures)} failing")
    both = sorted(set(base_failures) & set(ours_failures))
    if both:
        print(f"\nfailing on both sides (not ours): {len(both)}")
        for test in both:
            print(f"  {test}")
    missing = sorted(base_run - ours_run)
    if missing:
        print(f"\nrun on the baseline only (not run with our addons): {len(missing)}")
        for test in missing[:50]:
            print(f"  {test}")
    only_ours = sorted(set(ours_failures) - set(base_failures))
    new_errors = sorted(set(ours_errors) - set(base_errors))
    if new_errors:
        print(f"\nerrors logged only with our addons: {len(new_errors)}")
        for logger, message in new_errors:
            print(f"  {logger}: {message}")
    if only_ours:
        print(f"\nFAILING ONLY WITH OUR ADDONS: {len(only_ours)}")
        for test in only_ours:
            flavour, last = ours_failures[test]
            print(f"  {flavour} {test}\n      {last}")
        return 1
    print("\nno test fails only with our addons")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
