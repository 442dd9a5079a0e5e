"""A call's state follows its events' timestamps, not their arrival order."""

import itertools
from datetime import datetime, timedelta

import pytest
from addon_modules import load_module

events = load_module("telephony/events.py")
lifecycle = load_module("telephony/lifecycle.py")

T0 = datetime(2026, 3, 10, 9, 0, 0)


def ev(kind, seconds, extension="201"):
    return events.CallEvent(
        event=kind,
        call_id="c-1",
        number="+421905123456" if kind == "ringing" else "",
        extension=extension,
        direction="inbound",
        timestamp=T0 + timedelta(seconds=seconds),
    )


def progress_of(arrivals):
    progress = lifecycle.CallProgress.from_event(arrivals[0])
    for event in arrivals[1:]:
        progress = progress.after(event)
    return progress


ANSWERED_CALL = [ev("ringing", 0), ev("answered", 5), ev("hungup", 65)]
MISSED_CALL = [ev("ringing", 0), ev("hungup", 30)]


@pytest.mark.parametrize("arrivals", list(itertools.permutations(ANSWERED_CALL)))
def test_answered_call_is_done_in_any_arrival_order(arrivals):
    progress = progress_of(list(arrivals))
    assert progress.state == "done"
    assert progress.started_at == T0
    assert progress.answered_at == T0 + timedelta(seconds=5)
    assert progress.ended_at == T0 + timedelta(seconds=65)


@pytest.mark.parametrize("arrivals", list(itertools.permutations(MISSED_CALL)))
def test_unanswered_call_is_missed_in_any_arrival_order(arrivals):
    progress = progress_of(list(arrivals))
    assert (progress.state, progress.started_at) == ("missed", T0)
    assert progress.ended_at == T0 + timedelta(seconds=30)


def test_answer_arriving_after_the_hang_up_turns_missed_into_done():
    progress = progress_of([ev("ringing", 0), ev("hungup", 65)])
    assert progress.state == "missed"
    progress = progress.after(ev("answered", 5))
    assert progress.state == "done"
    assert progress.ended_at - progress.answered_at == timedelta(seconds=60)


@pytest.mark.parametrize(
    "arrivals",
    list(
        itertools.permutations(
            [ev("ringing", 0), ev("answered", 5), ev("hungup", 65), ev("hungup", 65)]
        )
    ),
)
def test_duplicates_in_any_order_change_nothing(arrivals):
    assert progress_of(list(arrivals)) == progress_of(ANSWERED_CALL)


def test_repeating_an_event_returns_the_same_progress():
    progress = progress_of(ANSWERED_CALL)
    for event in ANSWERED_CALL:
        assert progress.after(event) is progress


def test_ring_group_leg_ending_before_the_answer_does_not_end_the_call():
    # One phone of a ring group stops ringing ("missed") when another answers.
    progress = progress_of([ev("ringing", 0), ev("missed", 4), ev("answered", 5)])
    assert progress.state == "done"  # answered and something ended: never left open
    progress = progress.after(ev("hungup", 65))
    assert progress.ended_at == T0 + timedelta(seconds=65)
    # The early leg arriving last does not replace the real end either.
    late_leg = progress_of([ev("answered", 5), ev("hungup", 65), ev("missed", 4)])
    assert late_leg.ended_at == T0 + timedelta(seconds=65)


def test_a_late_retry_of_the_end_keeps_the_first_end():
    progress = progress_of(ANSWERED_CALL).after(ev("missed", 3600))
    assert progress.ended_at == T0 + timedelta(seconds=65)
    assert progress.state == "done"


def test_earliest_answer_owns_the_call():
    first = ev("answered", 5, extension="202")
    second = ev("answered", 9, extension="203")
    progress = progress_of([ev("ringing", 0), second, first])
    assert progress.answered_at == first.timestamp
    assert progress.answered_by(first)
    assert not progress.answered_by(second)
    assert not progress.answered_by(ev("hungup", 5))


def test_first_event_received_starts_the_call_until_an_earlier_one_arrives():
    progress = lifecycle.CallProgress.from_event(ev("answered", 5))
    assert progress.state == "answered"
    assert progress.started_at == T0 + timedelta(seconds=5)
    assert progress.after(ev("ringing", 0)).started_at == T0


@pytest.mark.parametrize(
    ("state", "direction", "has_user", "wanted"),
    [
        ("missed", "inbound", True, True),
        ("missed", "outbound", True, False),
        ("missed", "inbound", False, False),
        ("done", "inbound", True, False),
        ("answered", "inbound", True, False),
        ("ringing", "inbound", True, False),
    ],
)
def test_only_missed_inbound_calls_of_a_user_want_a_call_back(
    state, direction, has_user, wanted
):
    assert lifecycle.callback_wanted(state, direction, has_user) is wanted
