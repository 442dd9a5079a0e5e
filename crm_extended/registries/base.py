"""What every registry source declares, and the catalogue of sources.

A source is one registry (or one kind of published list). Its module declares a
class with ``@register``; the package imports every module, so adding a registry
is one client file, one fixture folder and one ``crm_extended.registry.provider``
record. The provider's ``code`` selection is read from this catalogue.
"""

from dataclasses import dataclass

from stdnum.eu.vat import MEMBER_STATES

from .identifiers import compact, split_vat

SOURCES = {}


def register(source):
    """Class decorator: make the source known under its ``code``."""
    if not source.code or source.code in SOURCES:
        raise ValueError(f"registry source code {source.code!r} missing or taken")
    SOURCES[source.code] = source
    return source


@dataclass(frozen=True)
class Subject:
    """What we know about a company when we ask registries about it."""

    country: str = ""
    vat_prefix: str = ""
    vat_number: str = ""
    registry: str = ""  # the company ID (IČO, KRS/REGON, ЕМБС), compacted
    name: str = ""
    zip: str = ""

    @property
    def vat(self):
        return self.vat_prefix + self.vat_number if self.vat_number else ""

    @property
    def ico(self):
        """The 8-digit IČO of a Czech or Slovak company, or ''."""
        registry = self.registry
        if self.country in ("CZ", "SK") and registry.isdigit() and len(registry) <= 8:
            return registry.zfill(8)
        return ""

    @property
    def nip(self):
        """The 10-digit Polish NIP (from the VAT number), or ''."""
        if self.country != "PL" or self.vat_prefix not in ("PL", ""):
            return ""
        number = self.vat_number
        return number if number.isdigit() and len(number) == 10 else ""


def subject_of(country_code, vat, company_registry, name=None, zip_code=None):
    """A :class:`Subject` from a partner's fields (no ORM).

    The country falls back to the VAT prefix; a Czech legal person's DIČ is
    ``CZ`` + its IČO, so the IČO is taken from it when the field is empty.
    """
    country = (country_code or "").upper()
    prefix, number = split_vat(vat)
    if not country and prefix:
        country = {"EL": "GR"}.get(prefix, prefix)
    registry = compact(company_registry)
    if country == "CZ" and not registry and prefix == "CZ" and len(number) == 8:
        registry = number
    return Subject(
        country=country,
        vat_prefix=prefix,
        vat_number=number,
        registry=registry,
        name=(name or "").strip(),
        zip=compact(zip_code),
    )


class RegistrySource:
    """Base of every source. Subclasses set:

    ``code`` (the provider code), ``label`` (shown in the provider's code list),
    ``absent_means_clean`` (True for registries of bad news: insolvency
    registers and debtor lists, where "not listed" is the good answer),
    ``vat_register`` (its "not found" means "not VAT-registered"),
    ``publishes_accounts`` (its answer lists the bank accounts for payments),
    ``manual`` (no machine access: evidence is entered by hand), and implement
    ``query_for`` (what to ask about a subject, None when it does not apply).
    """

    code = None
    label = None
    absent_means_clean = False
    vat_register = False
    publishes_accounts = False
    manual = False
    # The credential the provider's secret field holds for this source.
    credential_name = "api_key"

    @classmethod
    def query_for(cls, subject):
        return None


def eu_vat_query(subject):
    """The VIES query of a subject: its EU VAT number, or None."""
    prefix = {"EL": "gr"}.get(subject.vat_prefix, subject.vat_prefix.lower())
    if subject.vat_prefix and prefix in MEMBER_STATES and subject.vat_number:
        return subject.vat
    return None
