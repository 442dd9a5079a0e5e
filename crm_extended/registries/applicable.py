"""Which registries can say something about a company, and what to ask them."""

from stdnum.eu.vat import MEMBER_STATES

from .identifiers import compact, split_vat


def queries_for(country_code, vat, company_registry):
    """{provider code: query} for a company's country and identifiers.

    CZ: ARES by IČO, ADIS by DIČ; SK: RPO by IČO; PL: KRS by KRS number, white
    list by NIP; any EU VAT number: VIES. North Macedonia has no free registry API
    (offline checks only).
    """
    country = (country_code or "").upper()
    prefix, number = split_vat(vat)
    if not country and prefix:
        country = {"EL": "GR"}.get(prefix, prefix)
    registry = compact(company_registry)
    queries = {}
    if country == "CZ" and not registry and prefix == "CZ" and len(number) == 8:
        registry = number  # a legal person's DIČ is CZ + its IČO
    if country in ("CZ", "SK") and registry.isdigit() and len(registry) <= 8:
        queries["cz_ares" if country == "CZ" else "sk_rpo"] = registry.zfill(8)
    if country == "CZ" and prefix == "CZ" and number.isdigit():
        queries["cz_adis"] = number
    if country == "PL":
        if registry.isdigit() and len(registry) == 10:
            queries["pl_krs"] = registry
        nip = number if prefix in ("PL", "") else ""
        if nip.isdigit() and len(nip) == 10:
            queries["pl_whitelist"] = nip
    vies_prefix = {"EL": "gr"}.get(prefix, prefix.lower())
    if prefix and vies_prefix in MEMBER_STATES and number:
        queries["eu_vies"] = prefix + number
    return queries
