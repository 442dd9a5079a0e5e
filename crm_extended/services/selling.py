"""Periods and ratios of the card's selling figures (pipeline, offers, potential).

Plain Python, no Odoo import: unit-tested from the top-level tests too.
"""

from datetime import date, timedelta

# The two windows the card compares: the twelve months ending today and the
# twelve months before them.
OFFER_PERIODS = ("12m", "prev_12m")


def years_before(day, years=1):
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def offer_periods(today):
    """Return {"12m": (first, last), "prev_12m": (first, last)}, days inclusive.

    12m: a year ago tomorrow to today (as the card's turnover); prev_12m: the
    twelve months just before.
    """
    start = years_before(today) + timedelta(days=1)
    return {
        "12m": (start, today),
        "prev_12m": (years_before(start), start - timedelta(days=1)),
    }


def first_of_month(day):
    return date(day.year, day.month, 1)


def percent(part, whole):
    """``part`` in percent of ``whole``; 0 when there is no whole."""
    if not whole:
        return 0.0
    return 100.0 * part / whole


def win_rate(won, lost):
    """Won share of the offers that ended (won or lost), in percent."""
    return percent(won, won + lost)


def discount_percent(discount_amount, list_amount):
    """Discount granted in percent of the amount at list price."""
    return percent(discount_amount, list_amount)


def effective_potential(entered, segment_defaults):
    """The potential entered for the customer, else the highest default of its
    segments (0 when neither exists)."""
    if entered:
        return entered
    return max((value for value in segment_defaults if value), default=0.0)


def unused_potential(potential, turnover):
    """What the customer could still buy from us in a year (never negative)."""
    return max(potential - turnover, 0.0)
