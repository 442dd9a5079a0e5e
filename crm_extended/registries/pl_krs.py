"""KRS Open API (PL, Ministerstwo Sprawiedliwości): current extract as JSON.

Section 6 (``dzial6``) holds liquidation, dissolution, bankruptcy and
restructuring entries; they are kept as structured findings (kind, wording,
court file number, dates), not only as a status word.
"""

import re

from . import result as res
from .base import register
from .http import RegistryClient, RegistryUnavailable
from .identifiers import regon9

_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
# Section 6 keys by what they record (matched on the key's lower-cased name).
SECTION6_KINDS = (
    ("upadl", res.BANKRUPTCY),
    ("restruktur", res.REORGANISATION),
    ("naprawcz", res.REORGANISATION),
    ("likwidac", res.LIQUIDATION),
    ("rozwiazani", res.LIQUIDATION),
)
NAME_SUFFIXES = (
    ("W UPADŁOŚCI", res.BANKRUPTCY),
    ("W RESTRUKTURYZACJI", res.REORGANISATION),
    ("W LIKWIDACJI", res.LIQUIDATION),
)
ENDED_KEYS = ("zakonczen", "umorzen", "uchyleni", "ukonczen")


def _strings(node):
    """(key, text) of every string value under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield key, value
            else:
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _iso(text):
    match = _DATE.search(text or "")
    if not match:
        return None
    day, month, year = match.groups()
    return f"{year}-{month}-{day}"


def section6_findings(section6):
    """Findings of the KRS section 6 entries (one per list item)."""
    findings = []
    for key, value in (section6 or {}).items():
        kind = next((k for part, k in SECTION6_KINDS if part in key.lower()), None)
        if kind is None:
            continue
        for entry in value if isinstance(value, list) else [value]:
            texts = list(_strings(entry))
            if not texts:
                continue
            ended = next(
                (
                    text
                    for name, text in texts
                    if any(part in name.lower() for part in ENDED_KEYS)
                ),
                None,
            )
            findings.append(
                res.Finding(
                    kind=kind,
                    active=not ended,
                    state=texts[0][1],
                    court=next(
                        (t for n, t in texts if "sad" in n.lower() and "syg" not in n),
                        None,
                    ),
                    file_number=next(
                        (t for n, t in texts if "sygnatur" in n.lower()), None
                    ),
                    started=next((_iso(t) for _n, t in texts if _iso(t)), None),
                    ended=_iso(ended) if ended else None,
                )
            )
    return findings


@register
class KrsClient(RegistryClient):
    code = "pl_krs"
    label = "KRS (PL)"
    default_base_url = "https://api-krs.ms.gov.pl"
    # No published limit; public clients pace about 2 requests a second.
    rate_limits = ((2, 1.0),)

    @classmethod
    def query_for(cls, subject):
        registry = subject.registry
        if subject.country == "PL" and registry.isdigit() and len(registry) == 10:
            return registry
        return None

    def lookup(self, query, today=None):
        """OdpisAktualny in register P (entrepreneurs), then S (associations)."""
        krs = "".join(ch for ch in (query or "") if ch.isdigit()).zfill(10)
        response = None
        try:
            for register_code in ("P", "S"):
                response = self._request(
                    "GET",
                    f"/api/krs/OdpisAktualny/{krs}",
                    ok_statuses=(200, 404),
                    params={"rejestr": register_code, "format": "json"},
                    headers={"Accept": "application/json"},
                )
                if response.status_code == 200:
                    data = self._json(response)
                    if not isinstance(data, dict) or not isinstance(
                        data.get("odpis"), dict
                    ):
                        raise RegistryUnavailable(
                            "KRS answered without an extract",
                            response,
                            kind=res.MALFORMED,
                        )
                    raw, ctype = self.raw_of(response)
                    return self.parse_extract(
                        data["odpis"], krs, raw=raw, content_type=ctype, http_status=200
                    )
        except RegistryUnavailable as exc:
            return self._unknown(krs, exc)
        raw, ctype = self.raw_of(response)
        return res.RegistryResult(
            self.code,
            krs,
            outcome=res.NOT_FOUND,
            raw=raw,
            content_type=ctype,
            http_status=404,
        )

    def parse_extract(self, odpis, query, **meta):
        header = odpis.get("naglowekA") or {}
        data = odpis.get("dane") or {}
        section1 = data.get("dzial1") or {}
        subject = section1.get("danePodmiotu") or {}
        ids = subject.get("identyfikatory") or {}
        address = (section1.get("siedzibaIAdres") or {}).get("adres") or {}
        name = subject.get("nazwa") or ""
        findings = section6_findings(data.get("dzial6"))
        upper = name.upper()
        for suffix, kind in NAME_SUFFIXES:
            if suffix in upper and not any(f.kind == kind for f in findings):
                findings.append(res.Finding(kind=kind, state=suffix))
        status = res.ACTIVE
        if header.get("dataWykreslenia"):
            status = res.DISSOLVED
        else:
            status = res.legal_status_of(findings) or res.ACTIVE
        street = " ".join(
            part
            for part in (
                address.get("ulica"),
                "/".join(
                    p for p in (address.get("nrDomu"), address.get("nrLokalu")) if p
                ),
            )
            if part
        )
        identifiers = {"krs": header.get("numerKRS") or query}
        if ids.get("nip"):
            identifiers["nip"] = ids["nip"]
            identifiers["vat"] = "PL" + ids["nip"]
        if ids.get("regon"):
            identifiers["regon"] = regon9(ids["regon"])
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            legal_status=status,
            name=name or None,
            legal_form=subject.get("formaPrawna"),
            street=street or None,
            city=address.get("miejscowosc"),
            zip=address.get("kodPocztowy"),
            country_code="PL" if address.get("kraj") == "POLSKA" else None,
            address=", ".join(
                p
                for p in (
                    street,
                    address.get("kodPocztowy"),
                    address.get("miejscowosc"),
                )
                if p
            )
            or None,
            identifiers=identifiers,
            findings=findings,
            **meta,
        )
