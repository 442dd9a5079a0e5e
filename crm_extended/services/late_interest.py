"""Statutory late-payment interest in commercial transactions, in plain Python.

No Odoo import: the ORM layer (``models/res_partner_late_interest.py``) reads the
instalments, their paid portions and the rate table and hands them to
:func:`compute`. Sources of every rule: ``readme/USAGE.md``, "Late-payment
interest".

* An *instalment* is a customer invoice's receivable line with its due date.
  Credit notes reconciled with it reduce it from the start (they are not
  payments); every other settlement (payment, bank line, offset) is a *paid
  portion* dated by its settlement date.
* The delay starts the day after the due date. A portion paid on day ``d``
  bears interest for the days from the day after the due date to ``d``
  (days late = ``d - due``, as in the payment behaviour); what is still open
  bears interest up to the day asked for. A portion paid by the due date bears
  nothing.
* Interest = base x annual rate / 100 x days / 365, rounded per line; the total
  is the sum of the rounded lines, so an invoice of the lines adds up.

Rules (which day fixes the reference rate, the margin, whether the rate moves
with the calendar half-years of the delay):

* ``sk``: nariadenie vlády 21/2013 Z. z. § 1 ods. 1 (as amended by 303/2014
  Z. z.): ECB main refinancing rate valid on the first day of each calendar
  half-year of the delay + 8 p.p., used for that half-year;
* ``sk_fixed``: the same § 1 ods. 2, the creditor's alternative: the ECB rate
  valid on the first day of the delay + 9 p.p., for the whole delay;
* ``cz``: nařízení vlády 351/2013 Sb. § 2: ČNB repo rate valid on the first
  day of the calendar half-year in which the delay began + 8 p.p., for the
  whole delay;
* ``pl``: ustawa o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach
  handlowych art. 4 pkt 3 lit. b and art. 11b: NBP reference rate valid on
  1 January (first half-year) or 1 July (second half-year) + 10 p.p., per
  half-year of the delay;
* ``pl_medical``: art. 4 pkt 3 lit. a: the same with 8 p.p., when the debtor
  is a public entity that is a medical entity (podmiot leczniczy).

The margin of ``sk``, ``cz`` and ``pl`` comes from the rate table (it is the
legal margin valid at the fixing day: Poland used 8 p.p. until 2019); the
other rules impose their own margin.
"""

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

DAYS_IN_YEAR = 365

#: How the reference rate is fixed.
FIX_DELAY_START = "delay_start"
FIX_HALF_YEAR_OF_DELAY_START = "half_year_of_delay_start"
FIX_EACH_HALF_YEAR = "each_half_year"


@dataclass(frozen=True)
class Rule:
    code: str
    country: str
    fixing: str
    #: None: the margin of the rate table row; else this margin in p.p.
    margin: object = None
    #: Flat recovery compensation per claim: its currency and tiers
    #: ((limit of the claim in the company currency or None, limit inclusive,
    #: amount), ...), the first tier the claim fits wins.
    fee_currency: str = ""
    fee_tiers: tuple = ()


_FLAT_40 = ((None, False, 40.0),)
_PL_TIERS = ((5000.0, True, 40.0), (50000.0, False, 70.0), (None, False, 100.0))

RULES = {
    "sk": Rule("sk", "SK", FIX_EACH_HALF_YEAR, None, "EUR", _FLAT_40),
    "sk_fixed": Rule("sk_fixed", "SK", FIX_DELAY_START, 9.0, "EUR", _FLAT_40),
    "cz": Rule(
        "cz", "CZ", FIX_HALF_YEAR_OF_DELAY_START, None, "CZK", ((None, False, 1200.0),)
    ),
    "pl": Rule("pl", "PL", FIX_EACH_HALF_YEAR, None, "EUR", _PL_TIERS),
    "pl_medical": Rule("pl_medical", "PL", FIX_EACH_HALF_YEAR, 8.0, "EUR", _PL_TIERS),
}

#: The rule a company of that country uses unless its manager chooses another.
DEFAULT_RULE_BY_COUNTRY = {"SK": "sk", "CZ": "cz", "PL": "pl"}


class MissingRate(ValueError):
    """No rate of the table is valid on the day that fixes the rate."""

    def __init__(self, country, day):
        super().__init__(f"no reference rate for {country} on {day}")
        self.country = country
        self.day = day


@dataclass(frozen=True)
class RateRow:
    valid_from: date
    reference_rate: float
    margin: float


class RateTable:
    """Reference rates of one country, each valid from its date until the next."""

    def __init__(self, country, rows):
        self.country = country
        self.rows = sorted(rows, key=lambda row: row.valid_from)
        self._starts = [row.valid_from for row in self.rows]

    def row_on(self, day):
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            raise MissingRate(self.country, day)
        return self.rows[index]


@dataclass(frozen=True)
class Portion:
    """A settlement of the instalment: ``amount`` on ``day``."""

    day: date
    amount: float


@dataclass
class Instalment:
    key: object
    due: date
    amount: float
    #: Credit notes: reduce the instalment from the start.
    credited: float = 0.0
    #: Payments and other settlements.
    portions: list = field(default_factory=list)
    #: Interest up to this day (inclusive) was already invoiced.
    invoiced_to: object = None


@dataclass(frozen=True)
class Line:
    """Interest on a constant base at a constant rate over [date_from, date_to]."""

    key: object
    due: date
    date_from: date
    date_to: date
    base: float
    rate: float
    reference_rate: float
    margin: float
    fixing_day: date
    amount: float

    @property
    def days(self):
        return (self.date_to - self.date_from).days + 1


def half_year_start(day):
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year_start(day):
    if day.month <= 6:
        return date(day.year, 7, 1)
    return date(day.year + 1, 1, 1)


def rate_periods(rule, table, delay_start, end):
    """[(date_from, date_to, fixing_day, RateRow)] covering delay_start..end."""
    if end < delay_start:
        return []
    if rule.fixing == FIX_DELAY_START:
        return [(delay_start, end, delay_start, table.row_on(delay_start))]
    if rule.fixing == FIX_HALF_YEAR_OF_DELAY_START:
        fixing = half_year_start(delay_start)
        return [(delay_start, end, fixing, table.row_on(fixing))]
    periods = []
    start = delay_start
    while start <= end:
        fixing = half_year_start(start)
        stop = min(end, next_half_year_start(start) - timedelta(days=1))
        periods.append((start, stop, fixing, table.row_on(fixing)))
        start = stop + timedelta(days=1)
    return periods


def _round(value, digits):
    # Half away from zero, as Odoo's float_round does for amounts.
    factor = 10**digits
    rounded = int(abs(value) * factor + 0.5 + 1e-9) / factor
    return rounded if value >= 0 else -rounded


def instalment_lines(rule, table, instalment, on_date, digits=2):
    """Interest lines of one instalment up to ``on_date`` (inclusive).

    Lines already invoiced (up to ``instalment.invoiced_to``) are left out.
    """
    delay_start = instalment.due + timedelta(days=1)
    first_day = delay_start
    if instalment.invoiced_to and instalment.invoiced_to >= first_day:
        first_day = instalment.invoiced_to + timedelta(days=1)
    if on_date < first_day:
        return []
    base = instalment.amount - instalment.credited
    # Payments by the due date reduce the base before the delay starts.
    by_day = {}
    for portion in instalment.portions:
        if portion.day <= instalment.due:
            base -= portion.amount
        elif portion.day < on_date:
            by_day[portion.day] = by_day.get(portion.day, 0.0) + portion.amount
    # Breakpoints: the base drops the day after each payment.
    drops = sorted(by_day)
    lines = []
    for start, stop, fixing, row in rate_periods(rule, table, delay_start, on_date):
        if stop < first_day:
            continue
        start = max(start, first_day)
        margin = rule.margin if rule.margin is not None else row.margin
        rate = row.reference_rate + margin
        segment_start = start
        segment_base = base - sum(by_day[d] for d in drops if d < start)
        for drop in [d for d in drops if start <= d < stop] + [stop]:
            if segment_base > 0:
                days = (drop - segment_start).days + 1
                amount = _round(
                    segment_base * rate / 100.0 * days / DAYS_IN_YEAR, digits
                )
                if amount:
                    lines.append(
                        Line(
                            instalment.key,
                            instalment.due,
                            segment_start,
                            drop,
                            _round(segment_base, digits),
                            rate,
                            row.reference_rate,
                            margin,
                            fixing,
                            amount,
                        )
                    )
            if drop < stop:
                segment_base -= by_day[drop]
                segment_start = drop + timedelta(days=1)
    return lines


def compute(rule, table, instalments, on_date, digits=2):
    """All interest lines of ``instalments`` up to ``on_date``, by due date."""
    lines = []
    for instalment in sorted(instalments, key=lambda inst: (inst.due, str(inst.key))):
        lines.extend(instalment_lines(rule, table, instalment, on_date, digits))
    return lines


def total(lines):
    return round(sum(line.amount for line in lines), 6)


def recovery_fee(rule, claim_amount):
    """(amount, currency code) of the flat recovery compensation for one claim.

    ``claim_amount`` is the value of the claim in the company currency (only
    the Polish tiers use it: 40 EUR up to 5 000 PLN, 70 EUR below 50 000 PLN,
    100 EUR from 50 000 PLN).
    """
    for limit, inclusive, amount in rule.fee_tiers:
        if (
            limit is None
            or claim_amount < limit
            or (inclusive and claim_amount == limit)
        ):
            return amount, rule.fee_currency
    return 0.0, rule.fee_currency
