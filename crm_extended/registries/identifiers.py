"""Offline checks of company identifiers (no ORM, no network).

python-stdnum is used where it has a module (``cz.dic``, ``sk.dph``, ``pl.nip``,
``pl.regon``, ``mk.edb``, ``eu.vat``); IČO, SK DIČ and KRS have none, so their rules
live here. Every ``validate_*`` function returns the compact value or raises
:class:`InvalidIdentifier` whose ``rule`` names the rule that failed (for messages).
"""

import re

from stdnum.cz import dic as cz_dic
from stdnum.eu import vat as eu_vat
from stdnum.mk import edb as mk_edb
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon
from stdnum.sk import dph as sk_dph

_SEPARATORS = re.compile(r"[\s.\-/]")

RULES = {
    "ico": "8 digits; weights 8..2 over the first 7, check = (11 - sum mod 11) mod 10",
    "cz_dic": "CZ + 8 digits (IČO rule), 9-10 digits (birth number) or 9 digits "
    "starting with 6",
    "sk_dic": "10 digits, divisible by 11",
    "sk_icdph": "SK + 10 digits, divisible by 11, first digit not 0, third digit "
    "2, 3, 4, 7, 8 or 9",
    "pl_nip": "10 digits; weights 6,5,7,2,3,4,5,6,7, sum mod 11 equals the last digit",
    "pl_regon": "9 or 14 digits with the REGON check digit",
    "pl_krs": "up to 10 digits (zero-padded to 10)",
    "mk_edb": "13 digits with the ЕДБ check digit",
    "mk_embs": "7 digits (or 8 with a leading zero)",
    "eu_vat": "EU country prefix followed by that country's VAT number format",
}


class InvalidIdentifier(ValueError):
    """An identifier failed its format or checksum rule."""

    def __init__(self, kind, value):
        self.kind = kind
        self.value = value
        self.rule = RULES[kind]
        super().__init__(f"{kind}: {value!r} does not satisfy: {self.rule}")


def compact(value):
    """Strip spaces, dots, dashes and slashes and upper-case the value."""
    return _SEPARATORS.sub("", value or "").upper()


def ico_checksum_ok(digits):
    """True when an 8-digit IČO satisfies the mod-11 rule (CZ and SK share it)."""
    if not re.fullmatch(r"\d{8}", digits or ""):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    return (11 - total % 11) % 10 == int(digits[7])


def validate_ico(value):
    """CZ/SK IČO: left-pad to 8 digits, then the mod-11 check."""
    number = compact(value)
    if not number.isdigit() or len(number) > 8:
        raise InvalidIdentifier("ico", value)
    number = number.zfill(8)
    if not ico_checksum_ok(number):
        raise InvalidIdentifier("ico", value)
    return number


def validate_cz_dic(value):
    number = compact(value)
    if not cz_dic.is_valid(number):
        raise InvalidIdentifier("cz_dic", value)
    return "CZ" + cz_dic.compact(number)


def validate_sk_dic(value):
    number = compact(value)
    number = number.removeprefix("SK")
    if not re.fullmatch(r"\d{10}", number) or int(number) % 11:
        raise InvalidIdentifier("sk_dic", value)
    return number


def validate_sk_icdph(value):
    number = compact(value)
    if not number.startswith("SK") or not sk_dph.is_valid(number):
        raise InvalidIdentifier("sk_icdph", value)
    return "SK" + sk_dph.compact(number)


def validate_pl_nip(value):
    number = compact(value)
    if not pl_nip.is_valid(number):
        raise InvalidIdentifier("pl_nip", value)
    return pl_nip.compact(number)


def validate_pl_regon(value):
    number = compact(value)
    if not pl_regon.is_valid(number):
        raise InvalidIdentifier("pl_regon", value)
    return number


def validate_pl_krs(value):
    number = compact(value)
    if not re.fullmatch(r"\d{1,10}", number):
        raise InvalidIdentifier("pl_krs", value)
    return number.zfill(10)


def validate_mk_edb(value):
    number = compact(value)
    for prefix in ("MK", "МК"):
        number = number.removeprefix(prefix)
    if not mk_edb.is_valid(number):
        raise InvalidIdentifier("mk_edb", value)
    return number


def validate_mk_embs(value):
    number = compact(value)
    if not re.fullmatch(r"\d{7}|0\d{7}", number):
        raise InvalidIdentifier("mk_embs", value)
    return number[-7:]


def validate_eu_vat(value):
    number = compact(value)
    if not eu_vat.is_valid(number):
        raise InvalidIdentifier("eu_vat", value)
    return eu_vat.compact(number)


def split_vat(value):
    """Return (country prefix, national number) of a VAT id, e.g. ('CZ', '45274649').

    Greece uses 'EL'; the prefix is returned as written.
    """
    number = compact(value)
    if len(number) > 2 and number[:2].isalpha():
        return number[:2], number[2:]
    return "", number


def regon9(value):
    """The 9-digit REGON of a 9- or 14-digit value (KRS pads with zeros)."""
    number = compact(value)
    return number[:9] if len(number) in (9, 14) else number


def kind_of_company_registry(country_code):
    """Which identifier the partner's company registry field holds per country."""
    return {"CZ": "ico", "SK": "ico", "PL": "pl_krs_or_regon", "MK": "mk_embs"}.get(
        (country_code or "").upper()
    )


def validate_company_registry(country_code, value):
    """Validate the company registry field for a country; None when no rule applies.

    PL accepts a KRS number (10 digits, no checksum) or a REGON (9 or 14 digits);
    a 10-digit value is taken as KRS.
    """
    kind = kind_of_company_registry(country_code)
    if not kind or not value:
        return None
    if kind == "ico":
        return validate_ico(value)
    if kind == "mk_embs":
        return validate_mk_embs(value)
    number = compact(value)
    if len(number) in (9, 14):
        return validate_pl_regon(number)
    return validate_pl_krs(number)
