"""Normalised company names and postal codes for matching list rows (no ORM).

Lists without IČO (the Slovak tax-debtor list, some insurers' lists) are matched
by name and postal code. Both sides go through the same rules: letters of the
Central European alphabets without their accents, lower case, anything but
``[0-9a-z]`` as one space, the legal form and "in liquidation" at the end
dropped ("ESET, spol. s r.o." and "ESET spol s.r.o." are the same name).

The rules are plain data (a character table and one pattern) so that the import
applies exactly the same ones in SQL (``models/debtor_list_row.py``) to 100,000
rows at a time; a test compares both on the same names.
"""

import re

# Accented letters of Slovak, Czech, Polish, Hungarian, German and Croatian.
ACCENTED = "áäàâãåąčćçďđéěëèêęíìîïĺľłňńñóôöòõőŕřšśťúůüùûűýÿžźż"
PLAIN = "aaaaaaacccddeeeeeeiiiilllnnnoooooorrsstuuuuuuyyzzz"
TRANSLATE_FROM = ACCENTED + ACCENTED.upper()
TRANSLATE_TO = PLAIN + PLAIN.upper()
_TABLE = str.maketrans(TRANSLATE_FROM, TRANSLATE_TO)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
LEGAL_FORMS = (
    "spol s r o",
    "spol s ro",
    "s r o",
    "sro",
    "a s",
    "as",
    "k s",
    "v o s",
    "vos",
    "s p",
    "sp z o o",
    "spolka z ograniczona odpowiedzialnoscia",
    "spolka akcyjna",
    "s a",
    "sp j",
    "sp k",
    "spolocnost s rucenim obmedzenym",
    "spolecnost s rucenim omezenym",
    "akciova spolocnost",
    "akciova spolecnost",
    "druzstvo",
    "d o o",
    "doo",
    "dooel",
    "ad",
    "v likvidacii",
    "v likvidaci",
    "w likwidacji",
    "v konkurze",
    "v konkursu",
    "w upadlosci",
)
# One legal form (or state) at the end, after at least one other word. Applied
# SUFFIX_PASSES times: "s.r.o. v likvidácii" is two of them.
SUFFIX_PATTERN = (
    r" (?:"
    + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)).replace(" ", r" ")
    + r")$"
)
SUFFIX_PASSES = 3
_SUFFIX = re.compile(SUFFIX_PATTERN)


def strip_accents(text):
    """Central European letters without their accents (others unchanged)."""
    return (text or "").translate(_TABLE)


def normalise_name(name):
    """The comparable form of a company name ('' for an empty name)."""
    text = _NON_ALNUM.sub(" ", strip_accents(name).lower()).strip()
    for _pass in range(SUFFIX_PASSES):
        text = _SUFFIX.sub("", text)
    return text


def normalise_zip(value):
    """Postal code without spaces or dashes, upper case ('851 01' -> '85101')."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def normalise_ico(value):
    """An IČO as 8 digits, or '' when the value holds no digits."""
    digits = re.sub(r"\D", "", str(value or ""))
    if not digits.strip("0"):
        return ""
    return digits.zfill(8) if len(digits) <= 8 else digits


def normalise_vat(value):
    """A VAT number as letters and digits, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
