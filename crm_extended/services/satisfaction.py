"""Satisfaction figures: CSAT from ratings, NPS from 0-10 answers (no ORM).

CSAT is the share of satisfied answers among all answers, in per cent. Odoo's
ratings are 1 (dissatisfied), 3 (okay) and 5 (satisfied); 4 and above counts
as satisfied, as in Odoo's own rating statistics.

NPS is the share of promoters (9-10) minus the share of detractors (0-6), in
points from -100 to 100. The trend compares the last period with the one
before it.
"""

from datetime import timedelta

SATISFIED_FROM = 4
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
TREND_DAYS = 90


def csat(ratings):
    """Per cent of satisfied ratings, or None without any rating."""
    rated = [value for value in ratings if value >= 1]
    if not rated:
        return None
    satisfied = sum(1 for value in rated if value >= SATISFIED_FROM)
    return 100.0 * satisfied / len(rated)


def nps(scores):
    """Net promoter score from 0-10 answers, or None without any answer."""
    answers = [score for score in scores if 0 <= score <= 10]
    if not answers:
        return None
    promoters = sum(1 for score in answers if score >= PROMOTER_FROM)
    detractors = sum(1 for score in answers if score <= DETRACTOR_UP_TO)
    return 100.0 * (promoters - detractors) / len(answers)


def split_periods(dated_values, today, days=TREND_DAYS):
    """(values of the last ``days``, values of the ``days`` before), by date."""
    start = today - timedelta(days=days)
    before = start - timedelta(days=days)
    current = [value for when, value in dated_values if start < when <= today]
    previous = [value for when, value in dated_values if before < when <= start]
    return current, previous


def trend(current, previous):
    """Points gained (positive) or lost since the previous period, or None."""
    if current is None or previous is None:
        return None
    return current - previous


def figure_with_trend(measure, dated_values, today, days=TREND_DAYS):
    """{"value", "previous", "trend"} of ``measure`` over the last period."""
    current_values, previous_values = split_periods(dated_values, today, days)
    current = measure(current_values)
    previous = measure(previous_values)
    return {"value": current, "previous": previous, "trend": trend(current, previous)}
