"""Phone normalisation and PBX event validation, plain Python (no Odoo)."""

from datetime import datetime

import pytest
from addon_modules import load_module

phone = load_module("telephony/phone.py")
events = load_module("telephony/events.py")
NOW = datetime(2026, 3, 1, 10, 0, 0)


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("0905 123 456", "SK", "+421905123456"),
        ("+421 905 123 456", None, "+421905123456"),
        ("+421 905 123 456", "CZ", "+421905123456"),
        ("00421905123456", None, "+421905123456"),
        ("00421 905 123 456", "PL", "+421905123456"),
        ("602 123 456", "CZ", "+420602123456"),
        ("22 123 45 67", "PL", "+48221234567"),
        ("02/1234 5678", "sk", "+421212345678"),
        ("sip:+420602123456@pbx.example", None, "+420602123456"),
        ("tel:+421905123456", None, "+421905123456"),
    ],
)
def test_numbers_become_e164(number, region, expected):
    assert phone.normalize(number, region) == expected


@pytest.mark.parametrize(
    ("number", "region"),
    [("201", "SK"), ("", "SK"), (None, "SK"), ("abc", "SK"), ("0905123456", None)],
)
def test_extensions_and_garbage_are_no_numbers(number, region):
    assert phone.normalize(number, region) is None


def test_format_international():
    assert phone.format_international("+421905123456") == "+421 905 123 456"
    assert phone.format_international("not a number") == "not a number"


def test_event_with_all_fields():
    event = events.parse_event(
        {
            "event": "Ringing",
            "call_id": 1700000000,
            "caller": "+421905123456",
            "extension": 201,
            "direction": "inbound",
            "timestamp": "2026-03-01T11:00:00+01:00",
        },
        NOW,
    )
    assert event.event == "ringing"
    assert event.call_id == "1700000000"
    assert event.number == "+421905123456"
    assert event.extension == "201"
    assert event.timestamp == datetime(2026, 3, 1, 10, 0, 0)


def test_event_defaults_and_aliases():
    event = events.parse_event({"event": "hangup", "call_id": "a1"}, NOW)
    assert event.event == "hungup"
    assert event.direction == "inbound"
    assert event.timestamp == NOW
    unix = events.parse_event(
        {"event": "missed", "call_id": "a1", "timestamp": 1772359200}, NOW
    )
    assert unix.timestamp == datetime(2026, 3, 1, 10, 0, 0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "JSON object"),
        ({"call_id": "1"}, "'event' is required"),
        ({"event": "exploded", "call_id": "1"}, "'event' must be one of"),
        ({"event": "ringing"}, "'call_id' is required"),
        ({"event": "ringing", "call_id": "1"}, "'number' is required"),
        ({"event": "ringing", "call_id": {"x": 1}, "number": "1"}, "must be a string"),
        ({"event": "hungup", "call_id": "x" * 65}, "longer than"),
        ({"event": "hungup", "call_id": "1", "direction": "up"}, "'direction'"),
        ({"event": "hungup", "call_id": "1", "timestamp": "yesterday"}, "ISO 8601"),
        ({"event": "hungup", "call_id": "1", "timestamp": "2026-03-01T10:00"}, "zone"),
        ({"event": "hungup", "call_id": "1", "timestamp": True}, "ISO 8601"),
    ],
)
def test_bad_events_are_refused_with_a_reason(body, message):
    with pytest.raises(events.EventError, match=message):
        events.parse_event(body, NOW)
