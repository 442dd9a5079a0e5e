"""A call's progress from its events, by the events' timestamps, in any arrival order.

Plain Python (no Odoo import). An exchange posts ``ringing``, ``answered`` and
``hungup`` (or ``missed``) events of a call; over HTTP with several workers they
can arrive twice, at once, or in another order than they happened. A call's
state is therefore not moved step by step by each arriving event but derived
from the moments the events carry: the earliest event starts the call, the
earliest ``answered`` answers it, and the end that belongs to the conversation
ends it. Applying the same event twice, or the events in any order, gives the
same progress.
"""

from dataclasses import dataclass, replace
from datetime import datetime

ENDING_EVENTS = ("hungup", "missed")


def _end_rank(answered_at, moment):
    """Sort key of a candidate end: ends after the answer first, earliest first;
    ends before the answer (a ring-group leg that stopped ringing) last, latest first.
    """
    if answered_at is None or moment >= answered_at:
        return (0, moment - datetime.min)
    return (1, datetime.max - moment)


@dataclass(frozen=True)
class CallProgress:
    """When the call started, was answered and ended (naive UTC datetimes)."""

    started_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def state(self):
        """``ringing``, ``answered``, ``done`` (answered and ended) or ``missed``."""
        if self.answered_at is not None:
            return "done" if self.ended_at is not None else "answered"
        return "missed" if self.ended_at is not None else "ringing"

    @classmethod
    def from_event(cls, event):
        """The progress of a call of which ``event`` is the first one received."""
        return cls(started_at=event.timestamp).after(event)

    def after(self, event):
        """The progress once ``event`` is known too (the same object if nothing new)."""
        moment = event.timestamp
        answered_at, ended_at = self.answered_at, self.ended_at
        if event.event == "answered" and (answered_at is None or moment < answered_at):
            answered_at = moment
        if event.event in ENDING_EVENTS:
            candidates = [moment] if ended_at is None else [ended_at, moment]
            ended_at = min(candidates, key=lambda end: _end_rank(answered_at, end))
        progress = replace(
            self,
            started_at=min(self.started_at, moment),
            answered_at=answered_at,
            ended_at=ended_at,
        )
        return self if progress == self else progress

    def answered_by(self, event):
        """True if ``event`` is the answer counted (its extension owns the call)."""
        return event.event == "answered" and event.timestamp == self.answered_at


def callback_wanted(state, direction, has_user):
    """A missed inbound call with a known user gets a call-back, no other call."""
    return state == "missed" and direction == "inbound" and has_user
