"""Phone number normalisation for caller lookup.

Plain Python (no Odoo import): every number, on a partner or in a PBX event, is
brought to E.164 (``+421905123456``) so that one indexed equality finds the caller
whether the number was typed as ``0905 123 456``, ``+421 905 123 456`` or
``00421905123456``.
"""

import re

import phonenumbers

_URI_SCHEME = re.compile(r"^(sip|sips|tel):", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s().\-/]")


def _strip_uri(number):
    """Keep the user part of a ``sip:`` or ``tel:`` URI."""
    text = _URI_SCHEME.sub("", number.strip())
    return text.split("@", 1)[0].split(";", 1)[0]


def normalize(number, default_region=None):
    """Return ``number`` in E.164 form, or None when it is no phone number.

    ``default_region`` (ISO 3166 alpha-2, e.g. ``"SK"``) is the country that
    numbers in national format (``0905 123 456``) belong to. Numbers that are
    too short or too long for their country (internal extensions, typos) give
    None, so they never match a partner.
    """
    if not number or not isinstance(number, str):
        return None
    text = _strip_uri(number)
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return None
    region = (default_region or "").upper() or None
    if compact.startswith("00") and region is None:
        # International call prefix without a known country: read it as "+".
        text = "+" + compact[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_international(number):
    """``+421 905 123 456`` for display; the input unchanged if it cannot be read."""
    if not number:
        return number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
