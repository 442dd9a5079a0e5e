"""Who a ledger print is from and for: identifiers by country and a stable
reference number (no ORM, no network).

The identifiers are the ones a Central-European accountant looks for on a
statement: in Slovakia IČO (``company_registry``), DIČ and IČ DPH (``vat``), in
Czechia IČO and DIČ (``vat``), in Poland NIP (``vat``) and KRS or REGON
(``company_registry``), in North Macedonia ЕМБС (``company_registry``) and ЕДБ
(``vat``); anywhere else the company ID and the VAT number.
"""

import re

_SEPARATORS = re.compile(r"[\s.\-/]")

# Labels that are the identifiers' legal names in their country, never translated.
NATIONAL_LABELS = {
    "ico": "IČO",
    "dic": "DIČ",
    "icdph": "IČ DPH",
    "nip": "NIP",
    "krs": "KRS",
    "regon": "REGON",
    "embs": "ЕМБС",
    "edb": "ЕДБ",
}

REFERENCE_PREFIXES = {"statement": "ST", "confirmation": "BC", "open_items": "OI"}


def _compact(value):
    return _SEPARATORS.sub("", value or "").upper()


def _national(vat, prefix):
    """The VAT number without its country prefix, if it carries ``prefix``."""
    number = _compact(vat)
    return number[len(prefix) :] if number.startswith(prefix) else ""


def identifiers(country_code, company_registry=None, vat=None, tax_id=None):
    """[(key, value)] of the identifiers to print for one party, in print order.

    ``key`` is a key of :data:`NATIONAL_LABELS`, or ``company_id`` / ``vat`` for
    the generic labels the caller translates. ``tax_id`` is a separately stored
    tax number (the Slovak DIČ of a company that is no VAT payer); without it the
    Slovak DIČ is read from the IČ DPH. Empty values are left out.
    """
    country = (country_code or "").upper()
    registry = (company_registry or "").strip()
    vat = (vat or "").strip()
    tax_id = (tax_id or "").strip()
    if country == "SK":
        pairs = [
            ("ico", registry),
            ("dic", tax_id or _national(vat, "SK")),
            ("icdph", vat),
        ]
    elif country == "CZ":
        pairs = [("ico", registry), ("dic", vat or tax_id)]
    elif country == "PL":
        registry_key = "krs" if len(_compact(registry)) == 10 else "regon"
        pairs = [
            ("nip", _national(vat, "PL") or tax_id or vat),
            (registry_key, registry),
        ]
    elif country == "MK":
        pairs = [("embs", registry), ("edb", vat or tax_id)]
    else:
        pairs = [("company_id", registry), ("vat", vat or tax_id)]
    return [(key, value) for key, value in pairs if value]


def reference(kind, company_id, partner_id, date_from=None, date_to=None):
    """A stable reference of one print: the same customer, company and dates
    always give the same number, so a reply can quote it.

    ``kind`` is ``statement`` (a period), ``confirmation`` or ``open_items`` (as
    of ``date_to``),
    e.g. ``BC-1-000042-20260315`` or ``ST-1-000042-20260101-20261231``.
    """
    parts = [REFERENCE_PREFIXES[kind], str(company_id), f"{partner_id:06d}"]
    if kind == "statement" and date_from:
        parts.append(date_from.strftime("%Y%m%d"))
    if date_to:
        parts.append(date_to.strftime("%Y%m%d"))
    return "-".join(parts)
