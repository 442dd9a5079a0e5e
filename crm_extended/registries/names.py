"""Normalised company names and postal codes for matching list rows (no ORM).

Lists without IČO (the Slovak tax-debtor list, some insurers' lists) are matched
by name and postal code. Both sides go through the same function: lower case,
no diacritics, punctuation as spaces, the legal form at the end dropped
("ESET, spol. s r.o." and "ESET spol s.r.o." are the same name).
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Legal forms and states written after the name, as token sequences.
_SUFFIXES = sorted(
    (
        tuple(form.split())
        for form in (
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
    ),
    key=len,
    reverse=True,
)


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name):
    """The comparable form of a company name ('' for an empty name)."""
    text = strip_accents(name).lower().replace("ł", "l").replace("đ", "d")
    tokens = _NON_ALNUM.sub(" ", text).split()
    changed = True
    while changed and tokens:
        changed = False
        for suffix in _SUFFIXES:
            if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == suffix:
                del tokens[-len(suffix) :]
                changed = True
                break
    return " ".join(tokens)


def normalise_zip(value):
    """Postal code without spaces or dashes, upper case ('851 01' -> '85101')."""
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


def normalise_ico(value):
    """An IČO as 8 digits, or '' when the value holds no digits."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if not digits or not digits.strip("0"):
        return ""
    return digits.zfill(8) if len(digits) <= 8 else digits
