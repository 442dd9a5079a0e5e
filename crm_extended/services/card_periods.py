"""Period boundaries and ratios of the customer card's commercial figures.

Plain Python, no Odoo import: unit-tested from the top-level tests too.
"""

from datetime import date, timedelta

PERIODS = ("this_year", "last_year", "last_12m")


def _one_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_bounds(today):
    """Return {period: (first day, last day)}, both inclusive.

    this_year: 1 January to today; last_year: the whole previous calendar year;
    last_12m: the twelve months ending today (a year ago tomorrow to today).
    """
    return {
        "this_year": (date(today.year, 1, 1), today),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        "last_12m": (_one_year_before(today) + timedelta(days=1), today),
    }


def margin_percent(revenue, profit):
    """Gross margin in percent of revenue; 0 when there is no revenue."""
    if not revenue:
        return 0.0
    return 100.0 * profit / revenue


def average(total, count):
    return total / count if count else 0.0


PERIOD_SUFFIXES = {
    "this_year": "this_year",
    "last_year": "last_year",
    "last_12m": "12m",
}


def empty_figures():
    return {period: {"turnover": 0.0, "cost": 0.0, "invoices": 0} for period in PERIODS}
