"""What the demo customers bought and how they paid, in plain Python.

Every demo customer follows a payer profile named after the grade it must earn
with the default thresholds (A <= 3 days late on average, B <= 15, C <= 30,
D <= 60, E above or anything more than 90 days overdue). The schedules are fixed
numbers, not random draws, so that the grade, its reason and the figures on the
card agree with the profile on every install: a grade A customer pays on time, a
grade E customer leaves two invoices unpaid for more than three months.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

MONTHS = 18
PAYMENT_TERM_DAYS = 30

# Days from the due date to the payment, one per month, oldest first;
# None leaves that invoice unpaid.
PROFILES = {
    "A": (-4, -2, 0, -6, -1, 0, -3, -5, 0, -2, -1, 0, -4, -3, 0, -1, -2, 0),
    "B": (8, 12, 0, 14, 9, 11, 6, 13, 10, 0, 12, 8, 14, 9, 7, 11, 13, 10),
    "C": (18, 25, 22, 28, 19, 24, 27, 21, 16, 26, 23, 20, 29, 22, 18, 25, 24, 21),
    "D": (35, 48, 41, 55, 38, 44, 52, 46, 39, 57, 43, 50, 36, 47, 53, 42, 45, 40),
    "E": (52, 61, 70, 58, 75, 66, 49, 72, 63, 68, 57, 74, 64, None, None, 71, 69, 60),
}

PROFILE_TAGS = {
    "A": "Demo: pays on time (A)",
    "B": "Demo: pays about 10 days late (B)",
    "C": "Demo: pays about 3 weeks late (C)",
    "D": "Demo: pays about 6 weeks late (D)",
    "E": "Demo: leaves invoices unpaid for months (E)",
}


@dataclass(frozen=True)
class PlannedInvoice:
    """One monthly invoice of a demo customer and, if paid, its payment date."""

    partner_key: object
    invoice_date: date
    due_date: date
    paid_date: object  # date or None
    lines: tuple  # ((product index, quantity), ...)


def plan_invoices(partner_key, profile, today, seed=0, product_count=3):
    """The monthly invoices of one customer following ``profile`` (a grade letter).

    ``seed`` shifts invoice days and quantities so that customers of the same
    profile do not look identical; payments dated after ``today`` stay unpaid.
    """
    days_late = PROFILES[profile]
    planned = []
    for index, late in enumerate(days_late):
        month = MONTHS - index
        invoice_date = (
            today
            - relativedelta(months=month)
            + timedelta(days=(seed * 7 + index * 3) % 20)
        )
        due_date = invoice_date + timedelta(days=PAYMENT_TERM_DAYS)
        paid_date = None
        if late is not None and due_date + timedelta(days=late) <= today:
            paid_date = due_date + timedelta(days=late)
        lines = tuple(
            (
                (seed + index + line) % product_count,
                1 + (seed * 5 + index * 7 + line) % 12,
            )
            for line in range(1 + (seed + index) % 2)
        )
        planned.append(
            PlannedInvoice(partner_key, invoice_date, due_date, paid_date, lines)
        )
    return planned
