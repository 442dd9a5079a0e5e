"""Plain pytest for the satisfaction maths: CSAT, NPS and their trend (no Odoo)."""

from datetime import date

import pytest
from addon_modules import load_module

satisfaction = load_module("services/satisfaction.py")

TODAY = date(2026, 6, 30)


def test_csat_is_the_share_of_satisfied_ratings():
    assert satisfaction.csat([5, 5, 3, 1]) == 50.0
    assert satisfaction.csat([5]) == 100.0
    assert satisfaction.csat([1, 3]) == 0.0
    # 4 counts as satisfied, as in Odoo's rating statistics; 0 is no rating.
    assert satisfaction.csat([4, 0]) == 100.0
    assert satisfaction.csat([]) is None
    assert satisfaction.csat([0]) is None


def test_nps_promoters_minus_detractors():
    # 2 promoters, 1 passive, 1 detractor of 4: (2 - 1) / 4 = 25 points.
    assert satisfaction.nps([10, 9, 8, 6]) == 25.0
    assert satisfaction.nps([0, 1, 2]) == -100.0
    assert satisfaction.nps([7, 8]) == 0.0
    assert satisfaction.nps([]) is None
    assert satisfaction.nps([11, -1]) is None


def test_periods_split_at_ninety_days():
    values = [
        (date(2026, 6, 30), 5),
        (date(2026, 4, 1), 1),  # 90 days before: the previous period
        (date(2026, 4, 2), 3),
        (date(2026, 1, 2), 5),
        (date(2026, 1, 1), 5),  # 180 days before: older than both periods
    ]
    current, previous = satisfaction.split_periods(values, TODAY)
    assert current == [5, 3]
    assert previous == [1, 5]


def test_trend_compares_with_the_previous_period():
    values = [(date(2026, 6, 1), 5), (date(2026, 6, 2), 1), (date(2026, 2, 1), 1)]
    figure = satisfaction.figure_with_trend(satisfaction.csat, values, TODAY)
    assert figure == {"value": 50.0, "previous": 0.0, "trend": 50.0}
    alone = satisfaction.figure_with_trend(satisfaction.csat, values[:2], TODAY)
    assert alone["trend"] is None
    assert satisfaction.trend(20.0, 45.0) == pytest.approx(-25.0)
