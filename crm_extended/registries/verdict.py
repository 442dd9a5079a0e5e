"""Summary status of a partner from its registry answers, and what changed.

A *snapshot* is a plain dict describing one registry answer, built either from a
fresh :class:`RegistryResult` (``snapshot_of``) or from a stored check:
``{provider, outcome, legal_status, vat_payer, unreliable_vat_payer, vat_cancelled,
published_accounts (set)}``.
"""

from . import result as res

OK = "ok"
WARNING = "warning"
RISK = "risk"
UNKNOWN = "unknown"
RISK_STATUSES = {res.IN_LIQUIDATION, res.DISSOLVED, res.INSOLVENT}
# Registries that publish the bank accounts a payment should go to.
ACCOUNT_REGISTRIES = {"cz_adis", "pl_whitelist"}
# Registries whose "not found" means "not (or no longer) VAT-registered".
VAT_REGISTRIES = {"cz_adis", "pl_whitelist", "eu_vies"}


def snapshot_of(result):
    return {
        "provider": result.provider,
        "outcome": result.outcome,
        "legal_status": result.legal_status,
        "vat_payer": result.vat_payer,
        "unreliable_vat_payer": result.unreliable_vat_payer,
        "vat_cancelled": result.vat_cancelled,
        "published_accounts": result.published_accounts,
    }


def reasons(snapshots):
    """(status, [(level, code, provider)]) for the newest answer of each registry.

    risk: unreliable VAT payer, in liquidation, dissolved or insolvent;
    unknown: some registry could not answer and nothing says risk;
    warning: a registry does not know the subject or the VAT registration ended;
    ok otherwise. No answer at all is ``unknown``.
    """
    found = []
    for snap in snapshots:
        provider = snap["provider"]
        if snap["outcome"] == res.UNKNOWN:
            found.append((UNKNOWN, "no_answer", provider))
        elif snap["outcome"] == res.NOT_FOUND:
            found.append((WARNING, "not_found", provider))
        else:
            if snap.get("unreliable_vat_payer"):
                found.append((RISK, "unreliable", provider))
            if snap.get("legal_status") in RISK_STATUSES:
                found.append((RISK, snap["legal_status"], provider))
            if snap.get("vat_cancelled"):
                found.append((WARNING, "vat_cancelled", provider))
    levels = {level for level, _code, _provider in found}
    if not snapshots:
        status = UNKNOWN
    else:
        status = next(
            (level for level in (RISK, UNKNOWN, WARNING) if level in levels), OK
        )
    return status, found


def changes(old, new):
    """What got worse between two snapshots of the same registry.

    Returns codes with details: ``("unreliable", None)``, ``("in_liquidation",
    None)``, ``("insolvent", None)``, ``("dissolved", None)``,
    ``("vat_cancelled", None)``, ``("account_unpublished", account)``. Nothing is
    concluded from an ``unknown`` answer; a VAT register's ``not_found`` after a
    ``found`` VAT payer means the registration ended.
    """
    if not old or old["outcome"] != res.FOUND:
        return []
    if new["outcome"] == res.NOT_FOUND and new["provider"] in VAT_REGISTRIES:
        # A VAT register that knew the payer no longer does: registration ended.
        return [("vat_cancelled", None)] if old.get("vat_payer") else []
    if new["outcome"] != res.FOUND:
        return []
    found = []
    if new.get("unreliable_vat_payer") and not old.get("unreliable_vat_payer"):
        found.append(("unreliable", None))
    status = new.get("legal_status")
    if status in RISK_STATUSES and status != old.get("legal_status"):
        found.append((status, None))
    cancelled = new.get("vat_cancelled") or (
        old.get("vat_payer") is True and new.get("vat_payer") is False
    )
    if cancelled and not old.get("vat_cancelled"):
        found.append(("vat_cancelled", None))
    if new["provider"] in ACCOUNT_REGISTRIES:
        for account in sorted(
            set(old.get("published_accounts") or ()) - set(new["published_accounts"])
        ):
            found.append(("account_unpublished", account))
    return found
