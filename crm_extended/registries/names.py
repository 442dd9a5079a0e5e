"""Comparable forms of company names, company IDs and postal codes (no ORM).

Lists without IČO (the Slovak tax-debtor list, some insurers' lists) are matched
by name and postal code. Both sides go through the same rules: accents folded
(as PostgreSQL's ``unaccent`` does), lower case, every space and punctuation
mark removed, the spellings of a legal form made one ("spol. s r.o.", "s. r. o."
and "s.r.o." are all ``sro``) and "in liquidation" dropped.
"ESET, spol. s r.o." and "ESET s.r.o." give ``esetsro``.

The rules are plain string operations so that the import applies exactly the
same ones in SQL to 100,000 rows at a time (``models/debtor_list_sql.py``, no
regular expression, no per-row function call of ours); a test compares both.
"""

import string
import unicodedata

# Letters NFKD does not decompose, folded as unaccent's default rules do.
FOLD_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)
# Central European accented letters: the SQL fallback when unaccent is missing.
ACCENTED = "áäàâãåąčćçďéěëèêęíìîïĺľňńñóôöòõőŕřšśťúůüùûűýÿžźż"
PLAIN = "aaaaaaacccdeeeeeeiiiillnnnoooooorrsstuuuuuuyyzzz"
TRANSLATE_FROM = ACCENTED + ACCENTED.upper() + "łŁđĐ"
TRANSLATE_TO = PLAIN + PLAIN.upper() + "lLdD"
# Removed from names: punctuation and spaces (word boundaries do not matter
# once the legal form has one spelling).
REMOVED = string.punctuation + " \t\u00a0"
_REMOVE = str.maketrans("", "", REMOVED)
# Legal forms and states, as they read without spaces, in the order applied.
CANONICAL = (
    ("spolocnostsrucenimobmedzenym", "sro"),
    ("spolecnostsrucenimomezenym", "sro"),
    ("spolsro", "sro"),
    ("akciovaspolocnost", "as"),
    ("akciovaspolecnost", "as"),
    ("spolkazograniczonaodpowiedzialnoscia", "spzoo"),
    ("spolkaakcyjna", "sa"),
    ("vlikvidacii", ""),
    ("vlikvidaci", ""),
    ("wlikwidacji", ""),
    ("vkonkurze", ""),
    ("vkonkursu", ""),
    ("wupadlosci", ""),
)
# Legal forms as they end a name key (for a search term without them).
LEGAL_FORM_KEYS = frozenset(
    {"sro", "as", "ks", "vos", "sp", "spzoo", "sa", "spj", "spk", "druzstvo"}
    | {"doo", "dooel", "ad", "sroo"}
)
# Separators removed from company IDs, VAT numbers, IBANs and postal codes.
SEPARATORS = " -./"
_SEPARATORS = str.maketrans("", "", SEPARATORS)


def strip_accents(text):
    """Accents folded the way PostgreSQL's unaccent does for Latin letters."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(FOLD_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name):
    """The comparable form of a company name ('' for an empty name)."""
    key = strip_accents(name).lower().translate(_REMOVE)
    for spelling, canonical in CANONICAL:
        key = key.replace(spelling, canonical)
    return key


def normalise_zip(value):
    """Postal code without separators, upper case ('851 01' -> '85101')."""
    return (value or "").translate(_SEPARATORS).upper()


normalise_vat = normalise_zip  # the same separators, the same case


def ico_key(value):
    """A company ID without separators and leading zeros ('00121100' and
    '121 100' -> '121100'): what list rows and companies are joined on.

    '' unless the value is digits and separators: what is not an IČO ("HRB 1234",
    "neuvedené" in a list's column) is no key, so that row or company is still
    compared by name and postal code.
    """
    digits = str(value or "").translate(_SEPARATORS)
    if digits.strip("0123456789"):  # ASCII digits only, as the SQL form
        return ""
    return digits.lstrip("0")


def normalise_ico(value):
    """An IČO as 8 digits (for display and queries), or ''."""
    key = ico_key(value)
    if not key.isdigit():
        return ""
    return key.zfill(8) if len(key) <= 8 else key
