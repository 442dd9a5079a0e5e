"""Plain pytest for the payment-behaviour maths (no Odoo needed)."""

from datetime import date

import pytest
from addon_modules import load_module

pb = load_module("scoring/payment_behaviour.py")
reference = load_module("tests/payment_reference.py")

TODAY = date(2026, 6, 30)


def portion(due, paid, amount):
    due, paid = date.fromisoformat(due), date.fromisoformat(paid)
    return reference.PaidPortion(due, paid, amount)


def test_amount_weighted_average_and_on_time_ratio():
    portions = [
        portion("2026-05-01", "2026-04-25", 300.0),  # early: 0 days
        portion("2026-05-01", "2026-05-01", 100.0),  # on the due date: 0 days
        portion("2026-05-01", "2026-05-11", 600.0),  # 10 days late
    ]
    figures = reference.compute_figures([], portions, TODAY)
    assert figures.paid_amount == 1000.0
    # (300*0 + 100*0 + 600*10) / 1000 = 6.0
    assert figures.avg_days_late == 6.0
    assert figures.on_time_ratio == 0.4


def test_window_excludes_older_payments_and_future_ones():
    portions = [
        portion("2025-01-01", "2025-06-29", 500.0),  # 366 days before today
        portion("2025-06-01", "2025-06-30", 100.0),  # exactly 365 days: inside
        portion("2026-06-01", "2026-07-01", 100.0),  # after today
    ]
    figures = reference.compute_figures([], portions, TODAY, window_days=365)
    assert figures.paid_amount == 100.0
    assert figures.avg_days_late == 29.0


def test_no_payment_gives_zero_figures():
    figures = reference.compute_figures([], [], TODAY)
    assert figures.avg_days_late == 0.0
    assert figures.on_time_ratio == 0.0


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        ("2026-06-30", "not_due"),
        ("2026-07-15", "not_due"),
        ("2026-06-29", "1_30"),
        ("2026-05-31", "1_30"),  # 30 days
        ("2026-05-30", "31_60"),  # 31 days
        ("2026-05-01", "31_60"),  # 60 days
        ("2026-04-30", "61_90"),  # 61 days
        ("2026-04-01", "61_90"),  # 90 days
        ("2026-03-31", "over_90"),  # 91 days
    ],
)
def test_ageing_bucket_boundaries(due, bucket):
    assert reference.bucket_of(date.fromisoformat(due), TODAY) == bucket


def test_overdue_amount_oldest_days_and_buckets():
    items = [
        reference.OpenItem(date(2026, 7, 10), 100.0),
        reference.OpenItem(date(2026, 6, 20), 50.0),
        reference.OpenItem(date(2026, 3, 1), 400.0),
    ]
    figures = reference.compute_figures(items, [], TODAY)
    assert figures.overdue_amount == 450.0
    assert figures.overdue_max_days == 121
    assert figures.ageing == {
        "not_due": 100.0,
        "1_30": 50.0,
        "31_60": 0.0,
        "61_90": 0.0,
        "over_90": 400.0,
    }


def figures_with_avg(days):
    return pb.Figures(paid_amount=100.0, weighted_days_late=100.0 * days)


@pytest.mark.parametrize(
    ("days", "letter"),
    [
        (0, "A"),
        (3, "A"),
        (3.01, "B"),
        (15, "B"),
        (15.01, "C"),
        (30, "C"),
        (30.01, "D"),
        (60, "D"),
        (60.01, "E"),
    ],
)
def test_grade_boundaries_at_default_thresholds(days, letter):
    result = pb.grade(figures_with_avg(days))
    assert result.letter == letter
    assert result.reason == pb.REASON_AVERAGE


def test_grade_uses_configured_thresholds():
    thresholds = pb.Thresholds(a_days=1, b_days=2, c_days=5, d_days=10)
    assert pb.grade(figures_with_avg(2), thresholds).letter == "B"
    assert pb.grade(figures_with_avg(10), thresholds).letter == "D"
    assert pb.grade(figures_with_avg(10.5), thresholds).letter == "E"


def test_grade_e_when_overdue_beyond_limit_even_if_paying_on_time():
    at_limit = pb.Figures(paid_amount=100.0, overdue_max_days=90, overdue_amount=5)
    assert pb.grade(at_limit).letter == "A"
    beyond = pb.Figures(paid_amount=100.0, overdue_max_days=91, overdue_amount=5)
    result = pb.grade(beyond)
    assert result.letter == "E"
    assert result.reason == pb.REASON_OVERDUE
    assert pb.describe(result) == (
        "Grade E: an amount has been overdue for 91 days, "
        "more than the limit of 90 days."
    )


def test_grade_without_payments():
    assert pb.grade(pb.Figures()).letter is None
    assert pb.describe(pb.grade(pb.Figures())).startswith("No grade")
    open_overdue = pb.grade(pb.Figures(overdue_max_days=20, overdue_amount=10))
    assert open_overdue.letter == "C"
    assert open_overdue.reason == pb.REASON_OPEN_OVERDUE


def test_reason_sentence_uses_the_passed_translate_function():
    calls = []

    def translate(source, **params):
        calls.append(source)
        return "X " + source % params

    text = pb.describe(pb.grade(figures_with_avg(12)), translate)
    assert text == (
        "X Grade B: paid 12.0 days late on average over the last 365 days "
        "(at most 15 days); 0% paid on time."
    )
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"a_days": 15}, "not_increasing"),
        ({"c_days": 10}, "not_increasing"),
        ({"a_days": -1}, "negative"),
        ({"window_days": 0}, "window"),
        ({"e_overdue_days": 0}, "overdue"),
    ],
)
def test_threshold_validation(kwargs, problem):
    assert problem in pb.Thresholds(**kwargs).problems()
    assert pb.Thresholds().problems() == []
