"""Which registries can say something about a company, and what to ask them."""

from .base import SOURCES, subject_of


def queries_for(country_code, vat, company_registry, name=None, zip_code=None):
    """{provider code: query} of every registry source that applies.

    Each source decides for itself (``query_for``): CZ ARES, ISIR by IČO, ADIS by
    DIČ; SK RPO, IS REPLIK and Finančná správa by IČO; PL KRS by KRS number, the
    white list and GUS by NIP; VIES for any EU VAT number; North Macedonia's
    Central Registry by hand. Published lists are matched separately.
    """
    subject = subject_of(country_code, vat, company_registry, name, zip_code)
    queries = {}
    for code, source in SOURCES.items():
        query = source.query_for(subject)
        if query:
            queries[code] = query
    return queries
