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

# Why a registry gave no answer (``RegistryResult.error_kind``): the card turns
# these into one translated sentence, the evidence keeps the technical message.
UNREACHABLE = "unreachable"  # network, TLS, timeout, HTTP 5xx, SOAP server fault
RATE_LIMITED = "rate_limited"  # HTTP 429, daily quota, local limiter
REFUSED = "refused"  # the registry rejected the request (4xx, input error codes)
MALFORMED = "malformed"  # an answer we cannot read
MAINTENANCE = "maintenance"  # announced maintenance window
NOT_CONFIGURED = "not_configured"  # an API key or a list file is missing
STALE = "stale"  # a published list that has not been refreshed for too long
INTERNAL = "internal"  # a bug of ours; the log has the details

# Kinds of proceedings and list rows (``Finding.kind``).
PETITION = "petition"  # insolvency petition filed, not decided yet
MORATORIUM = "moratorium"
INSOLVENCY = "insolvency"  # declared insolvent, way of resolving it not decided
BANKRUPTCY = "bankruptcy"
REORGANISATION = "reorganisation"  # CZ reorganizace, SK reštrukturalizácia
DISCHARGE = "discharge"  # oddlužení / oddlženie
LIQUIDATION = "liquidation"
DEBTOR = "debtor"  # on a list of debtors (tax office, social or health insurer)
UNRELIABLE_VAT = "unreliable_vat"  # SK ds_dphz: grounds for VAT deregistration
VAT_DEREGISTERED = "vat_deregistered"
OTHER = "other"
INSOLVENCY_KINDS = {
    PETITION,
    MORATORIUM,
    INSOLVENCY,
    BANKRUPTCY,
    REORGANISATION,
    DISCHARGE,
    OTHER,
}

# How a list row was matched to the subject (``Finding.match``).
MATCH_ICO = "ico"
MATCH_VAT = "vat"
MATCH_NAME_ZIP = "name_zip"


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
class Finding:
    """A proceeding (insolvency, liquidation) or a list row naming the subject.

    ``active`` is False for history: an ended proceeding is recorded but is not a
    risk. Dates are ISO strings. ``match`` says how a list row was tied to the
    subject; a name match never claims more than it is.
    """

    kind: str
    active: bool = True
    state: str | None = None  # the registry's own wording, e.g. "KONKURS"
    court: str | None = None
    file_number: str | None = None
    started: str | None = None
    ended: str | None = None
    url: str | None = None
    administrator: str | None = None
    amount: float | None = None
    currency: str | None = None
    as_of: str | None = None
    source: str | None = None  # the list's name
    match: str | None = None
    row: int | None = None
    listed_name: str | None = None
    listed_zip: str | None = None
    listed_address: str | None = None
    # Where the caller keeps it (a list's version and row ids): not part of
    # what the registry said, stored with the evidence as is.
    extra: dict = field(default_factory=dict)


@dataclass
class RegistryResult:
    """One registry's answer about one subject.

    ``outcome`` is ``found``, ``not_found`` (the registry said so) or ``unknown``
    (no answer: outage, timeout, rate limit, malformed body...; ``error_message``
    says why, ``error_kind`` classifies it). Flags are ``None`` when the registry
    does not tell.
    """

    provider: str
    query: str
    outcome: str = UNKNOWN
    legal_status: str = STATUS_UNKNOWN
    vat_payer: bool | None = None
    unreliable_vat_payer: bool | None = None
    vat_cancelled: bool | None = None
    activity_suspended: bool | None = None
    insolvency_hint: bool | None = None
    name: str | None = None
    legal_form: str | None = None
    street: str | None = None
    city: str | None = None
    zip: str | None = None
    country_code: str | None = None
    address: str | None = None
    identifiers: dict = field(default_factory=dict)
    bank_accounts: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    request_id: str | None = None
    error_message: str | None = None
    error_kind: str | None = None
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

    @property
    def active_findings(self):
        return [finding for finding in self.findings if finding.active]


def normalise_account(number):
    """Compact an account number for comparison (spaces, dashes, case)."""
    return "".join(ch for ch in (number or "") if ch.isalnum()).upper()


def unknown(provider, query, reason, kind=UNREACHABLE, **values):
    return RegistryResult(
        provider=provider,
        query=query,
        outcome=UNKNOWN,
        error_message=reason,
        error_kind=kind,
        **values,
    )


def legal_status_of(findings):
    """The legal status the active findings imply, or None.

    Insolvency proceedings of any kind make the subject insolvent; a
    liquidation in progress makes it ``in_liquidation``.
    """
    kinds = {finding.kind for finding in findings if finding.active}
    if kinds & INSOLVENCY_KINDS:
        return INSOLVENT
    if LIQUIDATION in kinds:
        return IN_LIQUIDATION
    return None
