"""A reference implementation of the payment figures, for tests only.

Plain Python from the definitions in docs/design.md and readme/USAGE.md, written
apart from the SQL that computes them, so that the tests can compare the two on
the same books (``test_payment_behaviour``; ``tests/test_payment_scoring.py``
loads this file by path, without Odoo).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

AGEING_BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")


@dataclass(frozen=True)
class OpenItem:
    """An open receivable item: its due date and what is still open on it."""

    due_date: date
    residual: float


@dataclass(frozen=True)
class PaidPortion:
    due_date: date
    paid_date: date
    amount: float


@dataclass
class ReferenceFigures:
    paid_amount: float = 0.0
    weighted_days_late: float = 0.0
    on_time_amount: float = 0.0
    overdue_amount: float = 0.0
    overdue_max_days: int = 0
    ageing: dict = field(default_factory=lambda: dict.fromkeys(AGEING_BUCKETS, 0.0))

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


def days_late(due_date, paid_date):
    return max(0, (paid_date - due_date).days)


def bucket_of(due_date, today):
    """Ageing bucket of an item due on ``due_date``, seen on ``today``."""
    overdue = (today - due_date).days
    if overdue <= 0:
        return "not_due"
    if overdue <= 30:
        return "1_30"
    if overdue <= 60:
        return "31_60"
    if overdue <= 90:
        return "61_90"
    return "over_90"


def compute_figures(open_items, portions, today, window_days=365):
    """Figures of one partner from its open receivable items and paid portions.

    Overdue: the residual of the items due before today, credits included;
    oldest overdue: the oldest of those still owed (positive residual).
    """
    figures = ReferenceFigures()
    window_start = today - timedelta(days=window_days)
    for portion in portions:
        if not window_start <= portion.paid_date <= today:
            continue
        figures.paid_amount += portion.amount
        figures.weighted_days_late += portion.amount * days_late(
            portion.due_date, portion.paid_date
        )
        if portion.paid_date <= portion.due_date:
            figures.on_time_amount += portion.amount
    for item in open_items:
        figures.ageing[bucket_of(item.due_date, today)] += item.residual
        overdue_days = (today - item.due_date).days
        if overdue_days > 0:
            figures.overdue_amount += item.residual
            if item.residual > 0:
                figures.overdue_max_days = max(figures.overdue_max_days, overdue_days)
    return figures
