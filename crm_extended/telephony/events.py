"""PBX call events: validation of the JSON body a PBX posts.

Plain Python (no Odoo import). A PBX (Asterisk, FreePBX, 3CX, an AMI-to-HTTP
bridge) posts one JSON object per event::

    {"event": "ringing", "call_id": "1700000000.42", "number": "+421905123456",
     "extension": "201", "direction": "inbound", "timestamp": "2026-03-01T10:00:00Z"}

``number`` is the other party (the caller of an inbound call, the dialled number
of an outbound one); ``caller`` is accepted as its alias. ``extension`` is the
internal extension that rings or dials. ``direction`` defaults to inbound and
``timestamp`` (ISO 8601 or Unix seconds) to the time of receipt.

``{"event": "test"}`` (``call_id`` optional) checks the set-up: it is
authenticated and answered like a call event but changes no call.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

EVENTS = ("ringing", "answered", "hungup", "missed")
TEST_EVENT = "test"
DIRECTIONS = ("inbound", "outbound")
EVENT_ALIASES = {"hangup": "hungup", "hung_up": "hungup", "ring": "ringing"}
MAX_TEXT = 64


class EventError(ValueError):
    """The body is not a valid call event; the message says why."""


@dataclass(frozen=True)
class CallEvent:
    event: str
    call_id: str
    number: str
    extension: str
    direction: str
    timestamp: datetime  # naive UTC, as Odoo stores datetimes


def _text(data, key, required, alias=None):
    value = data.get(key)
    if value is None and alias:
        value = data.get(alias)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or value == "":
        if required:
            raise EventError(f"'{key}' is required.")
        return ""
    if not isinstance(value, str):
        raise EventError(f"'{key}' must be a string.")
    value = value.strip()
    if required and not value:
        raise EventError(f"'{key}' is required.")
    if len(value) > MAX_TEXT:
        raise EventError(f"'{key}' is longer than {MAX_TEXT} characters.")
    return value


def _timestamp(value, now):
    if value is None or value == "":
        return now
    if isinstance(value, bool):
        raise EventError("'timestamp' must be ISO 8601 or Unix seconds.")
    try:
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(value, tz=timezone.utc)
        elif isinstance(value, str):
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        else:
            raise TypeError(value)
    except (TypeError, ValueError, OverflowError, OSError) as error:
        raise EventError("'timestamp' must be ISO 8601 or Unix seconds.") from error
    if moment.tzinfo is None:
        raise EventError("'timestamp' must carry its time zone (e.g. 'Z').")
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def parse_event(data, now):
    """Validate a decoded JSON body and return a :class:`CallEvent`.

    ``now`` (naive UTC) is used when the body has no timestamp. Raises
    :class:`EventError` with a message for the PBX administrator.
    """
    if not isinstance(data, dict):
        raise EventError("The body must be a JSON object.")
    event = _text(data, "event", required=True).lower()
    event = EVENT_ALIASES.get(event, event)
    if event == TEST_EVENT:
        return CallEvent(
            event=TEST_EVENT,
            call_id=_text(data, "call_id", required=False) or TEST_EVENT,
            number="",
            extension=_text(data, "extension", required=False),
            direction="inbound",
            timestamp=_timestamp(data.get("timestamp"), now),
        )
    if event not in EVENTS:
        raise EventError(f"'event' must be one of: {', '.join(EVENTS)}.")
    call_id = _text(data, "call_id", required=True)
    direction = (_text(data, "direction", required=False) or "inbound").lower()
    if direction not in DIRECTIONS:
        raise EventError(f"'direction' must be one of: {', '.join(DIRECTIONS)}.")
    number = _text(data, "number", required=event == "ringing", alias="caller")
    return CallEvent(
        event=event,
        call_id=call_id,
        number=number,
        extension=_text(data, "extension", required=False),
        direction=direction,
        timestamp=_timestamp(data.get("timestamp"), now),
    )
