"""KRS Open API (PL, Ministerstwo Sprawiedliwości): current extract as JSON."""

from . import result as res
from .http import RegistryClient, RegistryUnavailable
from .identifiers import regon9


def _walk_keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _walk_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_keys(value)


class KrsClient(RegistryClient):
    code = "pl_krs"
    default_base_url = "https://api-krs.ms.gov.pl"
    # No published limit; public clients pace about 2 requests a second.
    rate_limits = ((2, 1.0),)

    def lookup(self, krs):
        """OdpisAktualny in register P (entrepreneurs), then S (associations)."""
        krs = "".join(ch for ch in (krs or "") if ch.isdigit()).zfill(10)
        response = None
        try:
            for register in ("P", "S"):
                response = self._request(
                    "GET",
                    f"/api/krs/OdpisAktualny/{krs}",
                    ok_statuses=(200, 404),
                    params={"rejestr": register, "format": "json"},
                    headers={"Accept": "application/json"},
                )
                if response.status_code == 200:
                    data = self._json(response)
                    if not isinstance(data, dict) or not isinstance(
                        data.get("odpis"), dict
                    ):
                        raise RegistryUnavailable(
                            "KRS answered without an extract", response
                        )
                    raw, ctype = self.raw_of(response)
                    return self.parse_extract(
                        data["odpis"], krs, raw=raw, content_type=ctype, http_status=200
                    )
        except RegistryUnavailable as exc:
            raw, ctype = self.raw_of(exc.response)
            return res.unknown(self.code, krs, exc.reason, raw=raw, content_type=ctype)
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
        section6 = data.get("dzial6") or {}
        upper = name.upper()
        status = res.ACTIVE
        if header.get("dataWykreslenia"):
            status = res.DISSOLVED
        elif "W UPADŁOŚCI" in upper or any(
            "upadlosc" in key.lower() for key in _walk_keys(section6)
        ):
            status = res.INSOLVENT
        elif section6.get("likwidacja") or "W LIKWIDACJI" in upper:
            status = res.IN_LIQUIDATION
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
            **meta,
        )
