"""Campaign results and revenue attribution, in plain Python (no ORM).

Everything here takes plain numbers, dates and identifiers so that it can be
tested with plain pytest and reused by reports, scripts and the ORM alike.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

FIRST_TOUCH = "first_touch"
LAST_TOUCH = "last_touch"
LINEAR = "linear"
ATTRIBUTION_MODELS = (FIRST_TOUCH, LAST_TOUCH, LINEAR)


def response_rate(responses, members):
    """Share of members who responded, as a ratio 0..1 (0 without members)."""
    if not members:
        return 0.0
    return responses / members


def rates_by(keys: Iterable, members: int) -> dict:
    """Response rate per key (channel or status) over all members of a campaign.

    ``keys`` holds one key per responding member; the rates of all keys add up
    to the overall response rate.
    """
    counts = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return {key: response_rate(count, members) for key, count in counts.items()}


def cost_per_response(cost, responses):
    """Cost divided by responses; 0 when nobody responded."""
    if not responses:
        return 0.0
    return cost / responses


def roi(revenue, cost):
    """Return on investment as a ratio: (revenue - cost) / cost; 0 without cost."""
    if not cost:
        return 0.0
    return (revenue - cost) / cost


@dataclass(frozen=True)
class Touch:
    """A partner's response to a campaign: which campaign and when."""

    campaign_id: int
    date: datetime


@dataclass(frozen=True)
class Win:
    """A won opportunity of a partner: its revenue and when it was won."""

    revenue: float
    date: datetime | None = None


def _eligible_touches(touches, until):
    eligible = [t for t in touches if not until or t.date <= until]
    # Ties on the date are broken by campaign id so that results are stable.
    return sorted(eligible, key=lambda t: (t.date, t.campaign_id))


def attribute(revenue, touches, model, until=None):
    """Split ``revenue`` across the campaigns of ``touches``.

    Only touches up to ``until`` (the win date) count. Returns
    ``{campaign_id: amount}``; empty when no touch qualifies. A partner who
    responded to the same campaign twice counts that campaign once, at its
    first response.
    """
    if model not in ATTRIBUTION_MODELS:
        raise ValueError(f"unknown attribution model {model!r}")
    first_by_campaign = {}
    for touch in _eligible_touches(touches, until):
        first_by_campaign.setdefault(touch.campaign_id, touch)
    ordered = sorted(first_by_campaign.values(), key=lambda t: (t.date, t.campaign_id))
    if not ordered:
        return {}
    if model == FIRST_TOUCH:
        return {ordered[0].campaign_id: revenue}
    if model == LAST_TOUCH:
        return {ordered[-1].campaign_id: revenue}
    share = revenue / len(ordered)
    result = {touch.campaign_id: share for touch in ordered}
    # Put the rounding remainder on the last touch so that shares add up exactly.
    result[ordered[-1].campaign_id] = revenue - share * (len(ordered) - 1)
    return result


def attribute_wins(wins_by_partner, touches_by_partner, model):
    """Attribute the won revenue of many partners.

    ``wins_by_partner``: ``{partner: [Win, ...]}``;
    ``touches_by_partner``: ``{partner: [Touch, ...]}``.
    Returns a list of ``(partner, win, campaign_id, amount)`` rows; wins without
    any earlier touch are left out (unattributed).
    """
    rows = []
    for partner, wins in wins_by_partner.items():
        touches = touches_by_partner.get(partner, ())
        for win in wins:
            shares = attribute(win.revenue, touches, model, until=win.date)
            for campaign_id, amount in shares.items():
                rows.append((partner, win, campaign_id, amount))
    return rows
