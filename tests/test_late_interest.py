"""Plain pytest for the late-payment interest maths (no Odoo needed).

Every expected amount is computed by hand in the comment above it:
base x (reference rate + margin) / 100 x days / 365, rounded per line.
"""

from datetime import date

import pytest
from addon_modules import load_module

li = load_module("services/late_interest.py")

D = date.fromisoformat

# Published rates (subset): ECB main refinancing, ČNB 2W repo, NBP reference.
ECB = li.RateTable(
    "SK",
    [
        li.RateRow(D("2023-09-20"), 4.50, 8.0),
        li.RateRow(D("2024-06-12"), 4.25, 8.0),
        li.RateRow(D("2024-09-18"), 3.65, 8.0),
        li.RateRow(D("2024-10-23"), 3.40, 8.0),
        li.RateRow(D("2024-12-18"), 3.15, 8.0),
        li.RateRow(D("2025-02-05"), 2.90, 8.0),
    ],
)
CNB = li.RateTable(
    "CZ",
    [
        li.RateRow(D("2023-12-22"), 6.75, 8.0),
        li.RateRow(D("2024-02-09"), 6.25, 8.0),
        li.RateRow(D("2024-03-21"), 5.75, 8.0),
        li.RateRow(D("2024-05-03"), 5.25, 8.0),
        li.RateRow(D("2024-06-28"), 4.75, 8.0),
        li.RateRow(D("2024-08-02"), 4.50, 8.0),
    ],
)
NBP = li.RateTable(
    "PL",
    [
        li.RateRow(D("2023-10-05"), 5.75, 10.0),
        li.RateRow(D("2025-05-08"), 5.25, 10.0),
        li.RateRow(D("2025-07-03"), 5.00, 10.0),
    ],
)
SK = li.RULES["sk"]


def inst(due, amount=1000.0, credited=0.0, portions=(), invoiced_to=None):
    return li.Instalment(
        "INV",
        D(due),
        amount,
        credited,
        [li.Portion(D(day), paid) for day, paid in portions],
        D(invoiced_to) if invoiced_to else None,
    )


def amounts(lines):
    return [line.amount for line in lines]


def test_sk_rate_changes_with_each_half_year_of_the_delay():
    lines = li.instalment_lines(SK, ECB, inst("2024-06-10"), D("2025-01-15"))
    # 11.6.-30.6.2024: 20 days, ECB on 1.1.2024 4.50 + 8 = 12.5 %:
    #   1000 * 12.5 % * 20 / 365 = 6.849 -> 6.85
    # 1.7.-31.12.2024: 184 days, ECB on 1.7.2024 4.25 + 8 = 12.25 %:
    #   1000 * 12.25 % * 184 / 365 = 61.753 -> 61.75
    # 1.1.-15.1.2025: 15 days, ECB on 1.1.2025 3.15 + 8 = 11.15 %:
    #   1000 * 11.15 % * 15 / 365 = 4.582 -> 4.58
    assert amounts(lines) == [6.85, 61.75, 4.58]
    assert [line.rate for line in lines] == [12.5, 12.25, 11.15]
    assert [line.days for line in lines] == [20, 184, 15]
    assert [line.fixing_day for line in lines] == [
        D("2024-01-01"),
        D("2024-07-01"),
        D("2025-01-01"),
    ]
    assert li.total(lines) == 73.18


def test_sk_fixed_alternative_uses_the_first_day_of_delay_plus_nine():
    rule = li.RULES["sk_fixed"]
    lines = li.instalment_lines(rule, ECB, inst("2024-06-10"), D("2025-01-15"))
    # Delay from 11.6.2024 (ECB 4.50, the 4.25 only from 12.6.) + 9 = 13.5 %,
    # 219 days: 1000 * 13.5 % * 219 / 365 = 81.00
    assert amounts(lines) == [81.0]
    assert lines[0].days == 219
    assert lines[0].fixing_day == D("2024-06-11")


def test_cz_rate_of_the_half_year_in_which_the_delay_began_stays_fixed():
    rule = li.RULES["cz"]
    # Delay from 26.6.2024: repo on 1.1.2024 6.75 + 8 = 14.75 % for the whole
    # delay although the repo rate fell on 28.6. and 2.8.; 67 days to 31.8.:
    #   1000 * 14.75 % * 67 / 365 = 27.075 -> 27.08
    june = li.instalment_lines(rule, CNB, inst("2024-06-25"), D("2024-08-31"))
    assert amounts(june) == [27.08]
    assert june[0].rate == 14.75
    # Delay from 1.7.2024: repo on 1.7.2024 4.75 + 8 = 12.75 %, 62 days:
    #   1000 * 12.75 % * 62 / 365 = 21.658 -> 21.66
    july = li.instalment_lines(rule, CNB, inst("2024-06-30"), D("2024-08-31"))
    assert amounts(july) == [21.66]
    assert july[0].fixing_day == D("2024-07-01")


def test_pl_rate_of_1_july_applies_from_1_july():
    rule = li.RULES["pl"]
    lines = li.instalment_lines(
        rule, NBP, inst("2025-06-15", amount=2000.0), D("2025-07-10")
    )
    # 16.6.-30.6.2025: 15 days, NBP on 1.1.2025 5.75 + 10 = 15.75 %:
    #   2000 * 15.75 % * 15 / 365 = 12.945 -> 12.95
    # 1.7.-10.7.2025: 10 days, NBP on 1.7.2025 5.25 (5.00 only from 3.7.) + 10:
    #   2000 * 15.25 % * 10 / 365 = 8.356 -> 8.36
    assert amounts(lines) == [12.95, 8.36]
    assert [line.rate for line in lines] == [15.75, 15.25]


def test_pl_medical_debtor_margin_is_eight():
    rule = li.RULES["pl_medical"]
    lines = li.instalment_lines(rule, NBP, inst("2025-06-20"), D("2025-06-30"))
    # 10 days at 5.75 + 8 = 13.75 %: 1000 * 13.75 % * 10 / 365 = 3.767 -> 3.77
    assert amounts(lines) == [3.77]


def test_partial_payment_bears_interest_up_to_its_payment_date():
    lines = li.instalment_lines(
        SK, ECB, inst("2024-07-10", portions=[("2024-07-20", 400.0)]), D("2024-07-31")
    )
    # 11.7.-20.7.: 10 days on 1000 at 12.25 %: 3.356 -> 3.36
    # 21.7.-31.7.: 11 days on 600 at 12.25 %: 2.215 -> 2.22
    assert amounts(lines) == [3.36, 2.22]
    assert [line.base for line in lines] == [1000.0, 600.0]
    assert li.total(lines) == 5.58


def test_fully_paid_late_instalment_stops_at_payment():
    lines = li.instalment_lines(
        SK, ECB, inst("2024-07-10", portions=[("2024-07-15", 1000.0)]), D("2024-12-31")
    )
    # 11.7.-15.7.: 5 days on 1000 at 12.25 %: 1.678 -> 1.68
    assert amounts(lines) == [1.68]


def test_credit_note_reduces_the_base_from_the_start():
    lines = li.instalment_lines(
        SK, ECB, inst("2024-07-10", credited=200.0), D("2024-07-31")
    )
    # 21 days on 800 at 12.25 %: 5.638 -> 5.64
    assert amounts(lines) == [5.64]


def test_payment_before_the_due_date_bears_nothing():
    early = inst("2024-07-10", portions=[("2024-07-05", 300.0)])
    lines = li.instalment_lines(SK, ECB, early, D("2024-07-31"))
    # Only the 700 left open: 21 days at 12.25 %: 4.933 -> 4.93
    assert amounts(lines) == [4.93]
    paid = inst("2024-07-10", portions=[("2024-07-10", 1000.0)])
    assert li.instalment_lines(SK, ECB, paid, D("2024-12-31")) == []


def test_nothing_before_the_delay_starts():
    assert li.instalment_lines(SK, ECB, inst("2024-07-10"), D("2024-07-10")) == []


def test_interest_already_invoiced_is_left_out():
    lines = li.instalment_lines(
        SK, ECB, inst("2024-07-10", invoiced_to="2024-07-20"), D("2024-07-31")
    )
    # 21.7.-31.7.: 11 days on 1000 at 12.25 %: 3.692 -> 3.69
    assert amounts(lines) == [3.69]
    assert lines[0].date_from == D("2024-07-21")


def test_compute_orders_by_due_date_and_totals():
    lines = li.compute(
        SK,
        ECB,
        [inst("2024-07-10", credited=200.0), inst("2024-07-05", amount=100.0)],
        D("2024-07-31"),
    )
    # 100 from 6.7.: 26 days at 12.25 %: 0.872 -> 0.87; then 5.64 as above.
    assert amounts(lines) == [0.87, 5.64]
    assert li.total(lines) == 6.51


def test_missing_rate_is_reported():
    with pytest.raises(li.MissingRate):
        li.instalment_lines(SK, ECB, inst("2020-01-10"), D("2020-02-01"))


@pytest.mark.parametrize(
    ("rule", "claim", "expected"),
    [
        ("sk", 10.0, (40.0, "EUR")),
        ("sk_fixed", 1e6, (40.0, "EUR")),
        ("cz", 500.0, (1200.0, "CZK")),
        ("pl", 5000.0, (40.0, "EUR")),
        ("pl", 5000.01, (70.0, "EUR")),
        ("pl", 49999.99, (70.0, "EUR")),
        ("pl", 50000.0, (100.0, "EUR")),
    ],
)
def test_recovery_fee(rule, claim, expected):
    assert li.recovery_fee(li.RULES[rule], claim) == expected
