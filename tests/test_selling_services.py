"""Plain-Python checks of the selling periods and ratios (no Odoo)."""

from datetime import date

from addon_modules import load_module

selling = load_module("services/selling.py")


def test_offer_periods_are_two_adjacent_years():
    periods = selling.offer_periods(date(2026, 3, 15))
    assert periods["12m"] == (date(2025, 3, 16), date(2026, 3, 15))
    assert periods["prev_12m"] == (date(2024, 3, 16), date(2025, 3, 15))


def test_offer_periods_from_a_leap_day():
    periods = selling.offer_periods(date(2028, 2, 29))
    assert periods["12m"] == (date(2027, 3, 1), date(2028, 2, 29))
    assert periods["prev_12m"] == (date(2026, 3, 1), date(2027, 2, 28))


def test_win_rate_counts_only_offers_that_ended():
    assert selling.win_rate(3, 1) == 75.0
    assert selling.win_rate(0, 0) == 0.0
    assert selling.win_rate(0, 2) == 0.0


def test_discount_percent_of_list_amount():
    assert selling.discount_percent(50.0, 1000.0) == 5.0
    assert selling.discount_percent(10.0, 0.0) == 0.0


def test_effective_potential_prefers_the_entered_amount():
    assert selling.effective_potential(5000.0, [80000.0]) == 5000.0
    assert selling.effective_potential(0.0, [20000.0, 80000.0, 0.0]) == 80000.0
    assert selling.effective_potential(0.0, []) == 0.0


def test_unused_potential_is_never_negative():
    assert selling.unused_potential(10000.0, 2500.0) == 7500.0
    assert selling.unused_potential(1000.0, 2500.0) == 0.0


def test_first_of_month():
    assert selling.first_of_month(date(2026, 5, 31)) == date(2026, 5, 1)
