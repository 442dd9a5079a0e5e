"""Payment behaviour ("platobná morálka") maths, in plain Python.

No Odoo import: the ORM layer sums the paid portions of each partner (one SQL
pass in ``models/crm_extended_payment_behaviour.py``), takes the overdue amount
and the oldest overdue days from the open items (``crm_extended.open.item``)
and hands them to :func:`grade`. An independent reference implementation of
the sums, used only to test the SQL pass, lives in ``tests/payment_reference.py``.

Definitions (docs/design.md, "Payment behaviour"):

* a *paid portion* is a reconciliation of a customer invoice's instalment with
  a payment or bank line, dated by the later of the two lines' dates (credit
  notes reduce the instalment and are not payments);
* days late = max(0, payment date - due date);
* the window covers payment dates from ``today - window_days`` to ``today``;
* the grade follows the amount-weighted average days late, and is E whenever
  any amount is more than ``e_overdue_days`` overdue.
"""

from dataclasses import dataclass
from itertools import pairwise

GRADES = ("A", "B", "C", "D", "E")

# Reason codes returned by :func:`grade` (the ORM layer turns them into a
# translated sentence; :func:`describe` does the same with any translate function).
REASON_NO_DATA = "no_data"
REASON_OVERDUE = "overdue"
REASON_AVERAGE = "average"
REASON_OPEN_OVERDUE = "open_overdue"


@dataclass(frozen=True)
class Thresholds:
    """Grading thresholds in days; every limit is inclusive (A when avg <= a_days)."""

    a_days: int = 3
    b_days: int = 15
    c_days: int = 30
    d_days: int = 60
    e_overdue_days: int = 90
    window_days: int = 365

    def problems(self):
        """Codes of what is wrong with these thresholds (empty when valid).

        ``negative``: a threshold below zero; ``not_increasing``: A..D limits do
        not strictly increase; ``window``: the window is not positive;
        ``overdue``: the E overdue limit is not positive.
        """
        found = []
        limits = (self.a_days, self.b_days, self.c_days, self.d_days)
        if any(limit < 0 for limit in limits):
            found.append("negative")
        if any(low >= high for low, high in pairwise(limits)):
            found.append("not_increasing")
        if self.window_days <= 0:
            found.append("window")
        if self.e_overdue_days <= 0:
            found.append("overdue")
        return found

    def limit_of(self, grade_letter):
        return {
            "A": self.a_days,
            "B": self.b_days,
            "C": self.c_days,
            "D": self.d_days,
        }.get(grade_letter)


@dataclass
class Figures:
    """Sums for one partner and company, from which every figure derives."""

    paid_amount: float = 0.0
    weighted_days_late: float = 0.0
    on_time_amount: float = 0.0
    overdue_amount: float = 0.0
    overdue_max_days: int = 0

    @property
    def avg_days_late(self):
        if not self.paid_amount:
            return 0.0
        return round(self.weighted_days_late / self.paid_amount, 2)

    @property
    def on_time_ratio(self):
        if not self.paid_amount:
            return 0.0
        return round(self.on_time_amount / self.paid_amount, 4)


@dataclass(frozen=True)
class Grade:
    """A grade letter (or None when there is nothing to grade) and why."""

    letter: object
    reason: str
    params: dict


def letter_for_days(days, thresholds):
    """Grade letter for a number of days late; every limit is inclusive."""
    for letter in GRADES[:-1]:
        if days <= thresholds.limit_of(letter):
            return letter
    return "E"


def grade(figures, thresholds=None):
    """Grade A..E (or None) with a reason code and the numbers that explain it.

    * more than ``e_overdue_days`` overdue: E, reason ``overdue``;
    * something paid in the window: letter by the average days late, reason
      ``average``;
    * nothing paid but something overdue: letter by the oldest overdue days,
      reason ``open_overdue``;
    * nothing paid and nothing overdue: no grade, reason ``no_data``.
    """
    thresholds = thresholds or Thresholds()
    params = {
        "avg_days": figures.avg_days_late,
        "on_time_percent": round(figures.on_time_ratio * 100),
        "overdue_days": figures.overdue_max_days,
        "window_days": thresholds.window_days,
        "limit_days": thresholds.e_overdue_days,
    }
    if figures.overdue_max_days > thresholds.e_overdue_days:
        return Grade("E", REASON_OVERDUE, params)
    if figures.paid_amount > 0:
        letter = letter_for_days(figures.avg_days_late, thresholds)
        params["limit_days"] = thresholds.limit_of(letter) or thresholds.d_days
        return Grade(letter, REASON_AVERAGE, params)
    if figures.overdue_max_days > 0:
        letter = letter_for_days(figures.overdue_max_days, thresholds)
        params["limit_days"] = thresholds.limit_of(letter) or thresholds.d_days
        return Grade(letter, REASON_OPEN_OVERDUE, params)
    return Grade(None, REASON_NO_DATA, params)


def _english(source, **params):
    return source % params


def describe(result, _=_english):
    """A readable sentence for a :class:`Grade`.

    ``_(source, **params)`` receives the English source with named placeholders,
    the way Odoo's ``env._`` does, and returns the sentence. The parameter is
    called ``_`` so that Odoo's translation export finds the sources here.
    """
    params = dict(result.params, grade=result.letter or "")
    if result.reason == REASON_OVERDUE:
        return _(
            "Grade E: an amount has been overdue for %(overdue_days)s days, "
            "more than the limit of %(limit_days)s days.",
            **params,
        )
    if result.reason == REASON_AVERAGE:
        if result.letter == "E":
            return _(
                "Grade E: paid %(avg_days)s days late on average over the last "
                "%(window_days)s days, more than %(limit_days)s days; "
                "%(on_time_percent)s%% paid on time.",
                **params,
            )
        return _(
            "Grade %(grade)s: paid %(avg_days)s days late on average over the last "
            "%(window_days)s days (at most %(limit_days)s days); "
            "%(on_time_percent)s%% paid on time.",
            **params,
        )
    if result.reason == REASON_OPEN_OVERDUE:
        return _(
            "Grade %(grade)s: nothing paid in the last %(window_days)s days and "
            "the oldest open amount is %(overdue_days)s days overdue.",
            **params,
        )
    return _(
        "No grade: nothing paid in the last %(window_days)s days and nothing overdue.",
        **params,
    )
