"""Bank account numbers as registries publish them, normalised to IBAN."""

import re


def _iban_check(country, bban):
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def iban_from_bban(country, bban):
    return f"{country}{_iban_check(country, bban)}{bban}"


def cz_account_to_iban(number, bank_code, prefix=None):
    """Czech domestic account (prefix-number/bank) to IBAN."""
    bban = f"{bank_code:0>4}{(prefix or '0'):0>6}{number:0>10}"
    return iban_from_bban("CZ", bban)


_CZ_DOMESTIC = re.compile(r"^(?:(\d{1,6})-)?(\d{1,10})/(\d{4})$")


def normalise(number, country_code=None):
    """Compact an account number to IBAN when its national form is recognised.

    ``19-2808601/0100`` becomes ``CZ..`` and a 26-digit Polish NRB becomes
    ``PL..``; anything else is upper-cased without spaces.
    """
    raw = (number or "").replace(" ", "").strip()
    match = _CZ_DOMESTIC.match(raw)
    if match:
        prefix, account, bank = match.groups()
        return cz_account_to_iban(account, bank, prefix)
    compact = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    if len(compact) == 26 and compact.isdigit() and (country_code or "PL") == "PL":
        return "PL" + compact
    return compact
