"""Buying rhythm and drift of a customer, in plain Python.

No Odoo import: the ORM layer (``models/crm_extended_drift_engine.py``) reads
one set-based aggregate of the posted customer invoices and credit notes per
customer and company (``crm_extended.sale.report``, the one definition of
turnover) and hands each row to :func:`assess`.

Definitions (docs/design.md, "Keeping customers"):

* a *purchase* is a day with a posted customer invoice (credit notes change the
  turnover, not the rhythm);
* the *usual interval* is the median of the days between consecutive purchases
  of the history window (three years by default): one long pause does not move
  it, and a customer who buys monthly in season keeps a monthly interval;
* the *next purchase* is expected one usual interval after the last one, or,
  when the customer already bought a year (two years) earlier, when its yearly
  rhythm says: the first purchase that followed the same moment a year before,
  one year on. A seasonal buyer is therefore expected back next season, not one
  interval after the end of this one;
* *lapsing*: no purchase by the expected day plus the usual interval times
  (factor - 1), i.e. for a regular buyer more than interval x factor days;
* *lost*: lapsing and nothing bought for more than ``lost_days``;
* *declining*: turnover of the last 12 months lower than the 12 months before
  by more than ``declining_percent``;
* *new*: first purchase less than ``new_days`` ago;
* *active*: any other customer with a purchase.

With the same purchases, the state only changes on a few days (the end of the
*new* period, the day a customer becomes lapsing, the day it becomes lost):
:attr:`Drift.review_date` is the first of them, so that the nightly pass only
assesses again the customers whose purchases changed or whose day has come.
"""

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

NEW = "new"
ACTIVE = "active"
LAPSING = "lapsing"
DECLINING = "declining"
LOST = "lost"
STATES = (NEW, ACTIVE, LAPSING, DECLINING, LOST)
#: States the salesperson is told about (once, when the customer turns so).
RISK_STATES = (LAPSING, DECLINING)

YEAR_DAYS = 365
#: Reason numbers counted to the day the reason is read, not stored.
TIME_PARAMS = ("days", "first_days")
#: How many earlier years the yearly rhythm looks at.
YEARLY_LOOKBACK = 2

# Reason codes (the ORM layer stores them with their numbers; describe() writes
# the sentence in the reader's language).
REASON_NEW = "new"
REASON_SINGLE = "single"
REASON_RHYTHM = "rhythm"
REASON_SEASONAL = "seasonal"
REASON_LAPSING = "lapsing"
REASON_LAPSING_SEASONAL = "lapsing_seasonal"
REASON_DECLINING = "declining"
REASON_LOST = "lost"
REASON_LOST_LONG_AGO = "lost_long_ago"


@dataclass(frozen=True)
class Thresholds:
    """Per-company limits, set by the manager in the settings."""

    lapsing_factor: float = 2.0
    declining_percent: float = 30.0
    lost_days: int = 365
    new_days: int = 90
    history_days: int = 3 * YEAR_DAYS

    def problems(self):
        """Codes of what is wrong (empty when valid): ``factor`` (not above 1),
        ``percent`` (not within 0..100), ``days`` (a period not positive)."""
        found = []
        if self.lapsing_factor <= 1:
            found.append("factor")
        if not 0 < self.declining_percent < 100:
            found.append("percent")
        if min(self.lost_days, self.new_days, self.history_days) <= 0:
            found.append("days")
        return found


@dataclass(frozen=True)
class History:
    """One customer's purchases in one company, as of ``today``.

    ``purchase_days``: distinct days with a posted customer invoice within the
    history window; ``first_purchase``: the first one ever (may be older).
    """

    purchase_days: tuple
    first_purchase: date | None
    turnover_12m: float = 0.0
    turnover_prev_12m: float = 0.0


@dataclass
class Drift:
    state: str | None
    reason: str | None
    interval_days: float | None = None
    days_since: int | None = None
    expected_date: date | None = None
    lost_turnover: float = 0.0
    params: dict = field(default_factory=dict)
    #: The first day after ``today`` on which the same history may give another
    #: state or reason (None: never). Until then the result stays valid.
    review_date: date | None = None


# The maths work on day ordinals (ints): the nightly pass runs them for every
# customer, and integer arithmetic is several times faster than dates'.


def _ordinals(purchase_days):
    return sorted({day.toordinal() for day in purchase_days})


def usual_interval(purchase_days):
    """Median number of days between consecutive purchases (None below two)."""
    return _usual_interval(_ordinals(purchase_days))


def _usual_interval(days):
    if len(days) < 2:
        return None
    gaps = sorted(later - earlier for earlier, later in pairwise(days))
    middle = len(gaps) // 2
    if len(gaps) % 2:
        return float(gaps[middle])
    return (gaps[middle - 1] + gaps[middle]) / 2.0


def yearly_expectation(purchase_days, interval):
    """When the yearly rhythm expects the next purchase, or None without one.

    For each earlier year k (1, 2) the history covers: the first purchase after
    the same moment k years before the last purchase (half an interval later,
    so that the purchase of that very day does not count), k years on. The
    earliest of these wins: the customer must keep the strictest rhythm seen.
    """
    expected = _yearly_expectation(_ordinals(purchase_days), interval)
    return date.fromordinal(expected) if expected else None


def _yearly_expectation(days, interval):
    if not days or interval is None:
        return None
    last = days[-1]
    best = None
    for years in range(1, YEARLY_LOOKBACK + 1):
        shift = YEAR_DAYS * years
        if days[0] > last - shift:
            break  # the history does not reach that year
        following = bisect_right(days, last - shift + int(interval / 2))
        if following < len(days):
            candidate = days[following] + shift
            best = candidate if best is None else min(best, candidate)
    return best


def expected_next(purchase_days, interval):
    """The day the next purchase is due: one interval after the last one, or
    later when the yearly rhythm says so (a seasonal buyer's next season)."""
    expected = _expected_next(_ordinals(purchase_days), interval)
    return date.fromordinal(expected) if expected else None


def _expected_next(days, interval):
    if not days or interval is None:
        return None
    regular = days[-1] + round(interval)
    yearly = _yearly_expectation(days, interval)
    return max(regular, yearly) if yearly else regular


def decline_percent(turnover_12m, turnover_prev_12m):
    """How much lower (in %) the last 12 months are than the 12 before (0 when
    the previous period had no turnover or the turnover grew)."""
    if turnover_prev_12m <= 0 or turnover_12m >= turnover_prev_12m:
        return 0.0
    return (turnover_prev_12m - turnover_12m) * 100.0 / turnover_prev_12m


def assess(history, today, thresholds=None):
    """The :class:`Drift` of a customer's :class:`History` on ``today``."""
    thresholds = thresholds or Thresholds()
    now = today.toordinal()
    recorded = {day.toordinal() for day in history.purchase_days}
    days = sorted(ordinal for ordinal in recorded if ordinal <= now)
    # A purchase recorded for a later day counts from that day on.
    later = min((ordinal for ordinal in recorded if ordinal > now), default=None)
    if history.first_purchase:
        first = history.first_purchase.toordinal()
    else:
        first = days[0] if days else None
    if first is None:
        review = later
        return Drift(
            state=None,
            reason=None,
            review_date=date.fromordinal(review) if review else None,
        )
    last = days[-1] if days else None
    days_since = now - last if last else None
    interval = _usual_interval(days)
    expected = _expected_next(days, interval)
    decline = decline_percent(history.turnover_12m, history.turnover_prev_12m)
    result = Drift(
        state=ACTIVE,
        reason=REASON_RHYTHM,
        interval_days=interval,
        days_since=days_since,
        expected_date=date.fromordinal(expected) if expected else None,
    )
    params = {"interval": round(interval) if interval else 0, "days": days_since}
    if expected:
        params["expected"] = result.expected_date.isoformat()
    seasonal = bool(
        expected
        and last
        and expected > last + int(interval * thresholds.lapsing_factor)
    )
    if last is None:
        # Bought before the history window, nothing since.
        result.state, result.reason = LOST, REASON_LOST_LONG_AGO
        params["history_days"] = thresholds.history_days
    elif now - first < thresholds.new_days:
        result.state, result.reason = NEW, REASON_NEW
        params["first_days"] = now - first
    elif expected is not None and now > expected + int(
        interval * (thresholds.lapsing_factor - 1)
    ):
        lost = days_since > thresholds.lost_days
        result.state = LOST if lost else LAPSING
        if lost:
            result.reason = REASON_LOST
        else:
            result.reason = REASON_LAPSING_SEASONAL if seasonal else REASON_LAPSING
    elif expected is None and days_since > thresholds.lost_days:
        result.state, result.reason = LOST, REASON_LOST
    elif decline > thresholds.declining_percent:
        result.state, result.reason = DECLINING, REASON_DECLINING
        params["percent"] = math.floor(decline)
    elif expected is None:
        result.reason = REASON_SINGLE
    elif seasonal:
        result.reason = REASON_SEASONAL
    result.params = params
    result.lost_turnover = lost_turnover(result.state, history)
    review = _review_day(now, first, last, interval, expected, later, thresholds)
    result.review_date = date.fromordinal(review) if review else None
    return result


def _review_day(now, first, last, interval, expected, later, thresholds):
    """The first day after ``now`` when one of the conditions of :func:`assess`
    turns with the same purchases: the end of the new period, the day after the
    lapsing limit, the day after the lost limit, a purchase recorded for a later
    day. Every condition turns once as days pass, so none turns before it."""
    candidates = [first + thresholds.new_days, later]
    if last is not None:
        candidates.append(last + thresholds.lost_days + 1)
    if expected is not None:
        candidates.append(
            expected + int(interval * (thresholds.lapsing_factor - 1)) + 1
        )
    return min(
        (day for day in candidates if day is not None and day > now), default=None
    )


def stored_params(params):
    """The reason's numbers without those that grow every day (days since the
    last and the first purchase): :func:`reason_params` adds them when read."""
    return {key: value for key, value in params.items() if key not in TIME_PARAMS}


def reason_params(params, today, last_purchase, first_purchase):
    """Stored reason numbers completed with the days counted to ``today``."""
    params = dict(params)
    if last_purchase:
        params["days"] = (today - last_purchase).days
    if first_purchase:
        params["first_days"] = (today - first_purchase).days
    return params


def lost_turnover(state, history):
    """The yearly turnover at stake, for sorting the customers at risk.

    Declining: the fall against the 12 months before; lapsing: the last 12
    months' turnover (a year of business if the customer does not come back);
    lost: the better of the two 12-month periods.
    """
    if state == DECLINING:
        return max(history.turnover_prev_12m - history.turnover_12m, 0.0)
    if state == LAPSING:
        return max(history.turnover_12m, 0.0)
    if state == LOST:
        return max(history.turnover_12m, history.turnover_prev_12m, 0.0)
    return 0.0


def _english(source, **params):
    return source % params if params else source


def describe(reason, params, _=_english):
    """A sentence a person can read for a drift ``reason`` and its ``params``.

    ``_(source, **params)`` receives the English source with named placeholders,
    the way Odoo's ``env._`` does; it is called ``_`` so that Odoo's translation
    export finds the sources here. ``params["expected"]`` should already be
    written the reader's way.
    """
    if reason == REASON_NEW:
        return _("New customer: first purchase %(first_days)s days ago.", **params)
    if reason == REASON_SINGLE:
        return _("One purchase so far, %(days)s days ago.", **params)
    if reason == REASON_RHYTHM:
        return _(
            "Bought about every %(interval)s days; last purchase %(days)s days ago.",
            **params,
        )
    if reason == REASON_SEASONAL:
        return _(
            "Buys in a yearly rhythm; next purchase expected around %(expected)s "
            "(last one %(days)s days ago).",
            **params,
        )
    if reason == REASON_LAPSING:
        return _(
            "Bought about every %(interval)s days; nothing for %(days)s days.",
            **params,
        )
    if reason == REASON_LAPSING_SEASONAL:
        return _(
            "Buys in a yearly rhythm; a purchase was expected around %(expected)s; "
            "nothing for %(days)s days.",
            **params,
        )
    if reason == REASON_DECLINING:
        return _(
            "Turnover of the last 12 months is %(percent)s %% lower than in the 12 "
            "months before.",
            **params,
        )
    if reason == REASON_LOST:
        return _("Nothing bought for %(days)s days.", **params)
    if reason == REASON_LOST_LONG_AGO:
        return _("Nothing bought for more than %(history_days)s days.", **params)
    return ""
