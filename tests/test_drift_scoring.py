"""Plain pytest for the buying-rhythm, drift, ABC and RFM maths (no Odoo)."""

import random
from datetime import date, timedelta

import pytest
from addon_modules import load_module

drift = load_module("scoring/drift.py")
segments = load_module("scoring/segments.py")


def monthly(start, count, day=1):
    """``count`` purchases on ``day`` of consecutive months from ``start``."""
    year, month = start.year, start.month
    days = []
    for _index in range(count):
        days.append(date(year, month, day))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return days


def history(days, turnover_12m=1000.0, turnover_prev_12m=1000.0, first=None):
    return drift.History(
        purchase_days=tuple(days),
        first_purchase=first or min(days),
        turnover_12m=turnover_12m,
        turnover_prev_12m=turnover_prev_12m,
    )


SEASON = [date(year, month, 1) for year in (2024, 2025, 2026) for month in (4, 5, 6)]


def test_usual_interval_is_the_median_gap():
    days = [date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 21), date(2026, 6, 1)]
    assert drift.usual_interval(days) == 10.0
    assert drift.usual_interval([date(2026, 1, 1)]) is None
    assert drift.usual_interval([date(2026, 1, 1), date(2026, 1, 1)]) is None


def test_monthly_buyer_who_stops_lapses_after_twice_its_interval():
    days = monthly(date(2025, 1, 1), 18)  # Jan 2025 .. Jun 2026
    last = days[-1]
    five_weeks = drift.assess(history(days), last + timedelta(weeks=5))
    assert five_weeks.state == drift.ACTIVE
    assert five_weeks.reason == drift.REASON_RHYTHM
    ten_weeks = drift.assess(history(days), last + timedelta(weeks=10))
    assert ten_weeks.state == drift.LAPSING
    assert ten_weeks.reason == drift.REASON_LAPSING
    assert ten_weeks.params == {
        "interval": 31,
        "days": 70,
        "expected": ten_weeks.expected_date.isoformat(),
    }
    assert drift.describe(ten_weeks.reason, ten_weeks.params) == (
        "Bought about every 31 days; nothing for 70 days."
    )
    assert ten_weeks.lost_turnover == 1000.0


def test_lapsing_edge_is_interval_times_factor():
    days = [date(2026, 1, 1) + timedelta(days=10 * index) for index in range(10)]
    last = days[-1]
    thresholds = drift.Thresholds(new_days=30)
    assert drift.assess(history(days), last + timedelta(days=20), thresholds).state == (
        drift.ACTIVE
    )
    assert drift.assess(history(days), last + timedelta(days=21), thresholds).state == (
        drift.LAPSING
    )
    three = drift.Thresholds(new_days=30, lapsing_factor=3.0)
    assert drift.assess(history(days), last + timedelta(days=30), three).state == (
        drift.ACTIVE
    )


def test_seasonal_buyer_is_not_lapsing_off_season():
    result = drift.assess(history(SEASON), date(2026, 10, 15))
    assert result.state == drift.ACTIVE
    assert result.reason == drift.REASON_SEASONAL
    assert result.expected_date == date(2027, 4, 1)
    # The winter before the next season: still its normal pause.
    assert drift.assess(history(SEASON), date(2027, 3, 20)).state == drift.ACTIVE


def test_seasonal_buyer_who_skips_its_season_lapses():
    result = drift.assess(history(SEASON), date(2027, 5, 15))
    assert result.state == drift.LAPSING
    assert result.reason == drift.REASON_LAPSING_SEASONAL
    text = drift.describe(result.reason, dict(result.params, expected="1.4.2027"))
    assert text == (
        "Buys in a yearly rhythm; a purchase was expected around 1.4.2027; "
        "nothing for 348 days."
    )


def test_monthly_buyer_with_one_earlier_pause_is_not_a_seasonal_buyer():
    # Bought monthly for two years with no pause: a gap now is not seasonal.
    days = monthly(date(2024, 7, 1), 24)
    result = drift.assess(history(days), days[-1] + timedelta(days=90))
    assert result.state == drift.LAPSING


def test_new_customer():
    days = [date(2026, 5, 1), date(2026, 5, 20)]
    result = drift.assess(history(days, 500.0, 0.0), date(2026, 6, 15))
    assert result.state == drift.NEW
    assert drift.describe(result.reason, result.params) == (
        "New customer: first purchase 45 days ago."
    )


def test_declining_customer():
    days = monthly(date(2024, 7, 1), 24)
    today = days[-1] + timedelta(days=10)
    result = drift.assess(history(days, 600.0, 1000.0), today)
    assert result.state == drift.DECLINING
    assert result.params["percent"] == 40
    assert result.lost_turnover == 400.0
    assert drift.describe(result.reason, result.params) == (
        "Turnover of the last 12 months is 40 % lower than in the 12 months before."
    )
    # 30 % down is the limit itself: not declining yet.
    assert drift.assess(history(days, 700.0, 1000.0), today).state == drift.ACTIVE


def test_lost_customer_and_single_purchase():
    days = monthly(date(2024, 1, 1), 6)
    result = drift.assess(history(days, 0.0, 800.0), days[-1] + timedelta(days=400))
    assert result.state == drift.LOST
    assert result.lost_turnover == 800.0
    single = drift.assess(history([date(2026, 1, 10)]), date(2026, 6, 1))
    assert (single.state, single.reason) == (drift.ACTIVE, drift.REASON_SINGLE)
    long_ago = drift.assess(history([date(2025, 1, 10)]), date(2026, 6, 1))
    assert long_ago.state == drift.LOST
    before_window = drift.History((), date(2020, 1, 1), 0.0, 0.0)
    assert drift.assess(before_window, date(2026, 6, 1)).state == drift.LOST
    nothing = drift.History((), None)
    assert drift.assess(nothing, date(2026, 6, 1)).state is None


def test_thresholds_problems():
    assert drift.Thresholds().problems() == []
    assert drift.Thresholds(lapsing_factor=1.0).problems() == ["factor"]
    assert drift.Thresholds(declining_percent=0).problems() == ["percent"]
    assert drift.Thresholds(lost_days=0).problems() == ["days"]


def test_abc_boundaries_80_15_5():
    classes = segments.abc_classes({"a1": 50, "a2": 30, "b1": 10, "b2": 5, "c1": 5})
    assert classes == {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C"}


def test_abc_customer_crossing_80_percent_is_a():
    classes = segments.abc_classes({"x": 70, "y": 20, "z": 6, "w": 4, "none": 0})
    # y starts at 70 % (< 80 %): A; z starts at 90 %: B; w at 96 %: C.
    assert classes == {"x": "A", "y": "A", "z": "B", "w": "C"}
    assert segments.abc_classes({}) == {}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
            {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
        ),
        ({"a": 7, "b": 7, "c": 7}, {"a": 1, "b": 1, "c": 1}),
        ({f"k{n}": n for n in range(10)}, {f"k{n}": 1 + n // 2 for n in range(10)}),
    ],
)
def test_quintile_scores(values, expected):
    assert segments.quintile_scores(values) == expected


def test_rfm_recency_fewer_days_is_better():
    rows = {
        "fresh": (5, 12, 1200.0),
        "recent": (20, 6, 600.0),
        "middle": (60, 4, 400.0),
        "old": (200, 2, 100.0),
        "dormant": (700, 0, 0.0),
    }
    scores = segments.rfm_scores(rows)
    assert scores["fresh"] == (5, 5, 5)
    assert scores["dormant"] == (1, 1, 1)
    assert scores["middle"] == (3, 3, 3)
    assert segments.rfm_code(scores["recent"]) == "444"
    assert segments.rfm_scores({}) == {}


def test_reason_counts_days_to_the_day_it_is_read():
    days = monthly(date(2025, 1, 1), 18)
    result = drift.assess(history(days), date(2026, 8, 10))
    stored = drift.stored_params(result.params)
    assert "days" not in stored
    later = drift.reason_params(stored, date(2026, 8, 11), days[-1], days[0])
    assert drift.describe(result.reason, later) == (
        "Bought about every 31 days; nothing for 71 days."
    )
    long_ago = drift.assess(drift.History((), date(2020, 1, 1)), date(2026, 6, 1))
    assert drift.describe(long_ago.reason, long_ago.params) == (
        "Nothing bought for more than 1095 days."
    )


def _decision(result):
    return (
        result.state,
        result.reason,
        drift.stored_params(result.params),
        result.expected_date,
        result.lost_turnover,
    )


@pytest.mark.parametrize(
    "case",
    [
        history(monthly(date(2025, 1, 1), 18)),  # a monthly buyer who stops
        history(SEASON, 1500.0, 1500.0),  # a seasonal buyer
        history([date(2026, 5, 1), date(2026, 5, 20)], 500.0, 0.0),  # new
        history(monthly(date(2024, 7, 1), 24), 600.0, 1000.0),  # declining
        history([date(2026, 1, 10)]),  # one purchase
        drift.History((), date(2020, 1, 1)),  # bought before the window
        history([date(2026, 5, 1), date(2026, 9, 1)], first=date(2026, 5, 1)),
    ],
)
def test_review_date_is_the_first_day_the_state_may_change(case):
    # The nightly pass keeps a result until its review date: on every day before
    # it the same purchases give the same state, reason and numbers.
    thresholds = drift.Thresholds(new_days=60, lost_days=300)
    today = date(2026, 4, 20)
    end = date(2028, 1, 1)
    changes = 0
    while today < end:
        result = drift.assess(case, today, thresholds)
        review = result.review_date
        last_same = (review or end) - timedelta(days=1)
        day = today + timedelta(days=1)
        while day <= min(last_same, end):
            assert _decision(drift.assess(case, day, thresholds)) == _decision(
                result
            ), (today, day)
            day += timedelta(days=1)
        if review is None:
            break
        # The review date itself is a day some condition turns.
        assert review > today
        today = review
        changes += 1
    assert changes <= 5


def _quintile_by_definition(value_by_key, higher_is_better=True, levels=5):
    """The definition, key by key: 1 + levels x (share of keys strictly worse)."""
    values = list(value_by_key.values())
    count = len(values)
    scores = {}
    for key, value in value_by_key.items():
        if higher_is_better:
            worse = sum(1 for other in values if other < value)
        else:
            worse = sum(1 for other in values if other > value)
        scores[key] = 1 + (worse * levels) // count
    return scores


@pytest.mark.parametrize("higher_is_better", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_quintile_scores_follow_the_definition_with_ties(seed, higher_is_better):
    generator = random.Random(seed)
    values = {
        f"k{n}": generator.choice([0, 0, 1, 2, 2, 3, 5, 8, 13, 21.5, 100])
        for n in range(generator.randint(1, 60))
    }
    assert segments.quintile_scores(values, higher_is_better) == (
        _quintile_by_definition(values, higher_is_better)
    )
