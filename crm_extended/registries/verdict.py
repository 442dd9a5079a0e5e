"""Summary status of a partner from its registry answers, and what changed.

A *snapshot* is a plain dict describing one registry answer, built either from a
fresh :class:`RegistryResult` (``snapshot_of``) or from a stored check:
``{provider, outcome, legal_status, vat_payer, unreliable_vat_payer,
vat_cancelled, activity_suspended, insolvency_hint, published_accounts (set),
findings (list of dicts), error_kind, checked_at, valid_until}``. What a source
is (``absent_means_clean``, ``vat_register``, ...) is read from its class.

Reasons are dicts ``{level, code, provider, risk, params}``: ``risk`` names the
kind of risk that acts on invoices, quotations and payments (``insolvency``,
``liquidation``, ``debtor``, ``unreliable_vat``), ``params`` what the sentence
needs (dates ISO, amounts as numbers). The ORM layer words them in the reader's
language.
"""

from dataclasses import asdict

from . import result as res
from .base import SOURCES

OK = "ok"
WARNING = "warning"
RISK = "risk"
UNKNOWN = "unknown"
RISK_STATUSES = {res.IN_LIQUIDATION, res.DISSOLVED, res.INSOLVENT}
MISSING = "missing"  # pseudo outcome: a manual registry without any evidence

# Kinds of risk a manager can make blocking, in display order.
RISK_INSOLVENCY = "insolvency"
RISK_LIQUIDATION = "liquidation"
RISK_DEBTOR = "debtor"
RISK_UNRELIABLE_VAT = "unreliable_vat"
RISK_KINDS = (RISK_INSOLVENCY, RISK_LIQUIDATION, RISK_DEBTOR, RISK_UNRELIABLE_VAT)
INSOLVENCY_REGISTRIES = {"cz_isir", "sk_replik"}


def _trait(provider, name):
    source = SOURCES.get(provider)
    return bool(getattr(source, name, False)) if source else False


def finding_dict(finding):
    return {
        key: value
        for key, value in asdict(finding).items()
        if value is not None and key != "extra"
    }


def snapshot_of(result, checked_at=None):
    return {
        "provider": result.provider,
        "outcome": result.outcome,
        "legal_status": result.legal_status,
        "vat_payer": result.vat_payer,
        "unreliable_vat_payer": result.unreliable_vat_payer,
        "vat_cancelled": result.vat_cancelled,
        "activity_suspended": result.activity_suspended,
        "insolvency_hint": result.insolvency_hint,
        "published_accounts": result.published_accounts,
        "findings": [finding_dict(finding) for finding in result.findings],
        "error_kind": result.error_kind,
        "checked_at": checked_at,
    }


def _reason(level, code, provider, risk=None, **params):
    return {
        "level": level,
        "code": code,
        "provider": provider,
        "risk": risk,
        "params": {k: v for k, v in params.items() if v is not None},
    }


def _proceeding_risk(kind):
    return RISK_LIQUIDATION if kind == res.LIQUIDATION else RISK_INSOLVENCY


def _found_reasons(snap):
    provider = snap["provider"]
    found = []
    active = [f for f in snap.get("findings") or [] if f.get("active", True)]
    grounds = [f for f in active if f["kind"] == res.UNRELIABLE_VAT]
    for finding in grounds:
        found.append(
            _reason(
                RISK,
                "vat_grounds",
                provider,
                RISK_UNRELIABLE_VAT,
                as_of=finding.get("as_of"),
            )
        )
    if snap.get("unreliable_vat_payer") and not grounds:
        found.append(_reason(RISK, "unreliable", provider, RISK_UNRELIABLE_VAT))
    proceedings = [
        f for f in active if f["kind"] in res.INSOLVENCY_KINDS | {res.LIQUIDATION}
    ]
    for finding in proceedings:
        found.append(
            _reason(
                RISK,
                "proceeding",
                provider,
                _proceeding_risk(finding["kind"]),
                kind=finding["kind"],
                state=finding.get("state"),
                file_number=finding.get("file_number"),
                started=finding.get("started"),
            )
        )
    status = snap.get("legal_status")
    if status in RISK_STATUSES:
        covered = {_proceeding_risk(f["kind"]) for f in proceedings}
        risk = RISK_INSOLVENCY if status == res.INSOLVENT else RISK_LIQUIDATION
        if status == res.DISSOLVED or risk not in covered:
            found.append(_reason(RISK, status, provider, risk))
    for finding in active:
        if finding["kind"] == res.DEBTOR:
            found.append(
                _reason(
                    RISK,
                    "debtor",
                    provider,
                    RISK_DEBTOR,
                    amount=finding.get("amount"),
                    currency=finding.get("currency"),
                    as_of=finding.get("as_of"),
                    match=finding.get("match"),
                    source=finding.get("source"),
                )
            )
    deregistered = [f for f in active if f["kind"] == res.VAT_DEREGISTERED]
    if snap.get("vat_cancelled") or deregistered:
        ended = deregistered[0].get("ended") if deregistered else None
        found.append(_reason(WARNING, "vat_cancelled", provider, ended=ended))
    if snap.get("activity_suspended"):
        found.append(_reason(WARNING, "suspended", provider))
    return found


def reasons(snapshots, answered=None, today=None):
    """(status, [reason]) for the newest answer of each registry.

    risk: unreliable VAT payer (or SK grounds for deregistration), in
    liquidation, dissolved, insolvent, on a debtor list; unknown: some registry
    could not answer (or a manual extract is missing or expired) and nothing
    says risk; warning: a registry does not know the subject, the VAT
    registration ended, the business is suspended, ARES hints at an insolvency
    record ISIR could not confirm; ok otherwise. No answer at all is unknown.

    ``answered``: {provider id (or code): newest snapshot that was an answer},
    to say when a registry that cannot be reached now last answered, and what;
    the risks of that answer still count.
    """
    answered = answered or {}
    found = []
    for snap in snapshots:
        start = len(found)
        _snapshot_reasons(snap, answered, today, found)
        for reason in found[start:]:
            reason["provider_id"] = snap.get("provider_id")
    if any(snap.get("insolvency_hint") for snap in snapshots) and not any(
        snap["provider"] in INSOLVENCY_REGISTRIES
        and snap["outcome"] in (res.FOUND, res.NOT_FOUND)
        for snap in snapshots
    ):
        hinted = next(s for s in snapshots if s.get("insolvency_hint"))
        reason = _reason(WARNING, "insolvency_hint", hinted["provider"])
        reason["provider_id"] = hinted.get("provider_id")
        found.append(reason)
    levels = {reason["level"] for reason in found}
    if not snapshots:
        status = UNKNOWN
    else:
        status = next(
            (level for level in (RISK, UNKNOWN, WARNING) if level in levels), OK
        )
    return status, found


def _snapshot_reasons(snap, answered, today, found):
    """Append the reasons of one registry's newest answer to ``found``."""
    provider = snap["provider"]
    outcome = snap["outcome"]
    if outcome == MISSING:
        found.append(_reason(UNKNOWN, "manual_needed", provider))
        return
    if outcome == res.UNKNOWN:
        last = answered.get(snap.get("provider_id", provider))
        found.append(
            _reason(
                UNKNOWN,
                "no_answer",
                provider,
                error_kind=snap.get("error_kind"),
                last_ok=(last or {}).get("checked_at"),
                last_status=_status_word(last) if last else None,
            )
        )
        if last and last["outcome"] == res.FOUND:
            # An outage never clears a risk: the last answer still stands.
            found.extend(_found_reasons(dict(last, provider=provider)))
        return
    valid_until = snap.get("valid_until")
    if valid_until and today and valid_until < today:
        found.append(
            _reason(
                UNKNOWN,
                "expired",
                provider,
                checked=snap.get("checked_at"),
                valid_until=valid_until,
            )
        )
        return
    if outcome == res.NOT_FOUND:
        if not _trait(provider, "absent_means_clean"):
            found.append(_reason(WARNING, "not_found", provider))
        return
    found.extend(_found_reasons(snap))


def _status_word(snap):
    """What an answer said, in one code: a legal status, or the outcome."""
    if snap["outcome"] == res.FOUND:
        status = snap.get("legal_status")
        if status and status != res.STATUS_UNKNOWN:
            return status
        return res.FOUND
    return snap["outcome"]


def _finding_key(finding):
    """A proceeding by its court file; a list entry by its list and amount (a
    debt that changed is news)."""
    if finding["kind"] == res.DEBTOR:
        return (finding["kind"], finding.get("source"), finding.get("amount"))
    return (finding["kind"], finding.get("file_number") or finding.get("source"))


def changes(old, new):
    """What got worse between two answers of the same registry.

    ``old`` is the newest earlier *answer* (found or not found). Returns
    ``(code, detail)`` pairs: ``unreliable``, ``vat_grounds``, ``in_liquidation``,
    ``insolvent``, ``dissolved``, ``vat_cancelled`` (detail None),
    ``proceeding`` and ``debtor`` (detail: the finding), ``account_unpublished``
    (detail: the account). Nothing is concluded from an ``unknown`` answer; a
    VAT register's ``not_found`` after a ``found`` VAT payer means the
    registration ended; for a register of bad news (insolvency, debtor lists)
    an earlier ``not_found`` is a clean record, so a hit is news.
    """
    if not old or old["outcome"] not in (res.FOUND, res.NOT_FOUND):
        return []
    provider = new["provider"]
    if old["outcome"] == res.NOT_FOUND:
        if new["outcome"] != res.FOUND or not _trait(provider, "absent_means_clean"):
            return []
        old = {"provider": provider, "outcome": res.NOT_FOUND}
    if new["outcome"] == res.NOT_FOUND:
        if _trait(provider, "vat_register") and old.get("vat_payer"):
            # A VAT register that knew the payer no longer does: registration ended.
            return [("vat_cancelled", None)]
        return []
    if new["outcome"] != res.FOUND:
        return []
    found = []
    old_active = {
        _finding_key(f) for f in old.get("findings") or [] if f.get("active", True)
    }
    new_active = [f for f in new.get("findings") or [] if f.get("active", True)]
    if new.get("unreliable_vat_payer") and not old.get("unreliable_vat_payer"):
        grounds = [f for f in new_active if f["kind"] == res.UNRELIABLE_VAT]
        found.append(("vat_grounds", grounds[0]) if grounds else ("unreliable", None))
    for finding in new_active:
        if _finding_key(finding) in old_active:
            continue
        if finding["kind"] == res.DEBTOR:
            found.append(("debtor", finding))
        elif finding["kind"] in res.INSOLVENCY_KINDS | {res.LIQUIDATION}:
            found.append(("proceeding", finding))
    status = new.get("legal_status")
    reported = {code for code, _detail in found}
    if (
        status in RISK_STATUSES
        and status != old.get("legal_status")
        and "proceeding" not in reported
    ):
        found.append((status, None))
    cancelled = new.get("vat_cancelled") or (
        old.get("vat_payer") is True and new.get("vat_payer") is False
    )
    if cancelled and not old.get("vat_cancelled"):
        found.append(("vat_cancelled", None))
    if _trait(provider, "publishes_accounts") and "published_accounts" in old:
        for account in sorted(
            set(old.get("published_accounts") or ())
            - set(new.get("published_accounts") or ())
        ):
            found.append(("account_unpublished", account))
    return found


def risks(reason_list):
    """The reasons that are risks, as (risk kind, reason) pairs."""
    return [(r["risk"], r) for r in reason_list if r.get("level") == RISK and r["risk"]]
