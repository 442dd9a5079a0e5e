"""Contact pressure: touch counts against the caps a manager set (no ORM).

A *touch* is one outbound contact of a person through a channel (e-mail, SMS,
phone, campaign). A *cap* allows at most ``limit`` touches through a channel
(or through all channels together, channel ``all``) within a rolling period
of days. Sending once more through a channel is held back when any cap that
covers the channel is already reached.
"""

from collections import namedtuple

CHANNELS = ("email", "sms", "phone", "campaign")
ALL = "all"

#: Rolling periods a cap can have, in days.
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 90}

#: The card's preferred channel, as the touch channel it stands for; meeting,
#: video and letter are no channel a mailing or campaign uses.
PREFERRED_TOUCH_CHANNEL = {"email": "email", "sms": "sms", "phone": "phone"}

#: Which channels a campaign of a type reaches its members through.
CAMPAIGN_TYPE_CHANNELS = {
    "mailing": ("campaign", "email"),
    "call": ("campaign", "phone"),
}

Cap = namedtuple("Cap", "channel period limit")
Breach = namedtuple("Breach", "cap count")


def period_days(period):
    return PERIOD_DAYS[period]


def windows(caps):
    """The distinct window lengths in days the caps need counted."""
    return sorted({period_days(cap.period) for cap in caps})


def campaign_channels(campaign_type):
    return CAMPAIGN_TYPE_CHANNELS.get(campaign_type, ("campaign",))


def count(counts, channel, days):
    """Touches through ``channel`` (or all channels) within ``days``.

    ``counts`` maps ``(channel, days)`` to a number for one person."""
    if channel == ALL:
        return sum(counts.get((name, days), 0) for name in CHANNELS)
    return counts.get((channel, days), 0)


def breaches(counts, caps, channels):
    """The caps one more touch through ``channels`` would exceed.

    A cap with a limit of 0 or less is off (so is a person without caps)."""
    channels = set(channels)
    found = []
    for cap in caps:
        if cap.limit <= 0 or (cap.channel != ALL and cap.channel not in channels):
            continue
        reached = count(counts, cap.channel, period_days(cap.period))
        if reached >= cap.limit:
            found.append(Breach(cap, reached))
    return found


def prefers_other_channel(preferred, channels):
    """True when the person prefers a channel the sending does not use.

    No preference, or a preference that is no touch channel (meeting, letter),
    never holds anyone back; nor does a sending through no channel a person
    can prefer (an exhibition invitation is a campaign contact only)."""
    wanted = PREFERRED_TOUCH_CHANNEL.get(preferred or "")
    used = set(channels) & set(PREFERRED_TOUCH_CHANNEL.values())
    return bool(wanted and used) and wanted not in used
