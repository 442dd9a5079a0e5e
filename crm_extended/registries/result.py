"""The normalised answer every registry client returns."""

from dataclasses import dataclass, field

FOUND = "found"
NOT_FOUND = "not_found"
UNKNOWN = "unknown"

ACTIVE = "active"
IN_LIQUIDATION = "in_liquidation"
DISSOLVED = "dissolved"
INSOLVENT = "insolvent"
STATUS_UNKNOWN = "unknown"


@dataclass
class BankAccount:
    """A bank account a registry publishes for the subject."""

    number: str
    published_from: str | None = None
    published_to: str | None = None

    @property
    def active(self):
        return not self.published_to


@dataclass
class RegistryResult:
    """One registry's answer about one subject.

    ``outcome`` is ``found``, ``not_found`` (the registry said so) or ``unknown``
    (no answer: outage, timeout, rate limit, malformed body...; ``error_message``
    says why). Flags are ``None`` when the registry does not tell.
    """

    provider: str
    query: str
    outcome: str = UNKNOWN
    legal_status: str = STATUS_UNKNOWN
    vat_payer: bool | None = None
    unreliable_vat_payer: bool | None = None
    vat_cancelled: bool | None = None
    name: str | None = None
    legal_form: str | None = None
    street: str | None = None
    city: str | None = None
    zip: str | None = None
    country_code: str | None = None
    address: str | None = None
    identifiers: dict = field(default_factory=dict)
    bank_accounts: list = field(default_factory=list)
    request_id: str | None = None
    error_message: str | None = None
    http_status: int | None = None
    raw: bytes = b""
    content_type: str | None = None

    @property
    def published_accounts(self):
        """Normalised numbers of the accounts still published."""
        return {normalise_account(a.number) for a in self.bank_accounts if a.active}

    @property
    def ended_accounts(self):
        return {normalise_account(a.number) for a in self.bank_accounts if not a.active}


def normalise_account(number):
    """Compact an account number for comparison (spaces, dashes, case)."""
    return "".join(ch for ch in (number or "") if ch.isalnum()).upper()


def unknown(provider, query, reason, **values):
    return RegistryResult(
        provider=provider, query=query, outcome=UNKNOWN, error_message=reason, **values
    )
