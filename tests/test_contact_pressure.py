"""Plain pytest for the contact-pressure maths (no Odoo)."""

from addon_modules import load_module

pressure = load_module("services/contact_pressure.py")
Cap = pressure.Cap

EMAIL_WEEK = Cap("email", "week", 5)


def test_five_mails_this_week_hold_back_the_sixth():
    counts = {("email", 7): 5}
    [breach] = pressure.breaches(counts, [EMAIL_WEEK], ("email",))
    assert breach.cap == EMAIL_WEEK
    assert breach.count == 5


def test_below_the_cap_or_another_channel_passes():
    assert pressure.breaches({("email", 7): 4}, [EMAIL_WEEK], ("email",)) == []
    # Five calls do not hold back a mail under an e-mail cap.
    assert pressure.breaches({("phone", 7): 5}, [EMAIL_WEEK], ("email",)) == []
    # Nor do five mails hold back a call.
    assert pressure.breaches({("email", 7): 5}, [EMAIL_WEEK], ("phone",)) == []


def test_no_caps_hold_nobody_back():
    assert pressure.breaches({("email", 7): 500}, [], ("email",)) == []
    assert pressure.windows([]) == []


def test_cap_on_all_channels_adds_them_up():
    cap = Cap("all", "month", 3)
    counts = {("email", 30): 1, ("phone", 30): 1, ("campaign", 30): 1}
    [breach] = pressure.breaches(counts, [cap], ("sms",))
    assert breach.count == 3
    assert pressure.breaches({("email", 30): 2}, [cap], ("email",)) == []


def test_windows_are_the_distinct_periods_in_days():
    caps = [EMAIL_WEEK, Cap("phone", "week", 2), Cap("all", "quarter", 20)]
    assert pressure.windows(caps) == [7, 90]
    assert pressure.period_days("day") == 1
    assert pressure.period_days("month") == 30


def test_every_breached_cap_is_named():
    caps = [EMAIL_WEEK, Cap("email", "month", 8), Cap("email", "day", 3)]
    counts = {("email", 1): 1, ("email", 7): 6, ("email", 30): 9}
    found = pressure.breaches(counts, caps, ("email",))
    assert [breach.cap.period for breach in found] == ["week", "month"]


def test_campaign_channels_by_type():
    assert pressure.campaign_channels("mailing") == ("campaign", "email")
    assert pressure.campaign_channels("call") == ("campaign", "phone")
    assert pressure.campaign_channels("exhibition") == ("campaign",)


def test_preferred_channel():
    assert pressure.prefers_other_channel("phone", ("email",))
    assert not pressure.prefers_other_channel("email", ("email",))
    assert not pressure.prefers_other_channel("phone", ("campaign", "phone"))
    # No preference, or a preference no sending uses, holds nobody back.
    assert not pressure.prefers_other_channel(False, ("email",))
    assert not pressure.prefers_other_channel("meeting", ("email",))
    # An exhibition reaches people as a campaign contact only: no preference
    # speaks against it.
    assert not pressure.prefers_other_channel("email", ("campaign",))
