"""Biała lista podatników VAT (PL, MF): REST JSON, VAT status and bank accounts."""

import datetime

from . import result as res
from .accounts import normalise
from .base import register
from .http import RegistryClient, RegistryUnavailable

BULK_SIZE = 30  # search/nips takes at most 30 numbers (WL-130 above)
STATUS_VAT = {"Czynny": True, "Zwolniony": False, "Niezarejestrowany": False}


def _error(data):
    if not isinstance(data, dict):
        return None
    if data.get("code"):
        return data
    exception = data.get("exception")
    if isinstance(exception, dict) and exception.get("code"):
        return exception
    return None


@register
class WhiteListClient(RegistryClient):
    code = "pl_whitelist"
    label = "White list of VAT payers (PL)"
    vat_register = True
    publishes_accounts = True
    default_base_url = "https://wl-api.mf.gov.pl"
    # Since 2025: 100 "search" requests a day per IP (then blocked until midnight).
    rate_limits = ((100, 86400.0),)

    def _get(self, path, params):
        response = self._request(
            "GET",
            path,
            ok_statuses=(200, 400),
            params=params,
            headers={"Accept": "application/json"},
        )
        data = self._json(response)
        error = _error(data)
        if error:
            code = error.get("code")
            reason = f"White list error {code}: {error.get('message')}"
            kind = res.REFUSED
            if code == "WL-191":
                reason += " (daily request limit of this IP exhausted; retry tomorrow)"
                kind = res.RATE_LIMITED
            elif code in ("WL-100", "WL-195", "WL-196"):
                kind = res.UNREACHABLE  # server error or database being updated
            raise RegistryUnavailable(reason, response, kind=kind)
        if response.status_code != 200 or not isinstance(data.get("result"), dict):
            raise RegistryUnavailable(
                f"White list answered HTTP {response.status_code} without a result",
                response,
                kind=res.MALFORMED,
            )
        return response, data["result"]

    @classmethod
    def query_for(cls, subject):
        return subject.nip or None

    def lookup(self, query, today=None):
        nip = "".join(ch for ch in (query or "") if ch.isdigit())
        date = (today or datetime.date.today()).isoformat()
        try:
            response, result = self._get(f"/api/search/nip/{nip}", {"date": date})
        except RegistryUnavailable as exc:
            return self._unknown(nip, exc)
        raw, ctype = self.raw_of(response)
        meta = {
            "raw": raw,
            "content_type": ctype,
            "http_status": 200,
            "request_id": result.get("requestId"),
        }
        if "subject" not in result:
            return res.unknown(
                self.code,
                nip,
                "White list answered without subject",
                kind=res.MALFORMED,
                **meta,
            )
        subject = result["subject"]
        if subject is None:
            return res.RegistryResult(self.code, nip, outcome=res.NOT_FOUND, **meta)
        return self.parse_subject(subject, nip, **meta)

    def lookup_many(self, queries, today=None):
        """Up to 30 NIPs per request (``search/nips``), saving the daily quota:
        {nip: RegistryResult}, the evidence of each is the verbatim answer."""
        nips = ["".join(ch for ch in (nip or "") if ch.isdigit()) for nip in queries]
        date = (today or datetime.date.today()).isoformat()
        results = {}
        for start in range(0, len(nips), BULK_SIZE):
            chunk = nips[start : start + BULK_SIZE]
            results.update(self._search_chunk(chunk, date))
        return results

    def _search_chunk(self, chunk, date):
        try:
            response, result = self._get(
                f"/api/search/nips/{','.join(chunk)}", {"date": date}
            )
            entries = result.get("entries")
            if not isinstance(entries, list):
                raise RegistryUnavailable(
                    "White list answered without entries",
                    response,
                    kind=res.MALFORMED,
                )
        except RegistryUnavailable as exc:
            return {nip: self._unknown(nip, exc) for nip in chunk}
        raw, ctype = self.raw_of(response)
        meta = {
            "raw": raw,
            "content_type": ctype,
            "http_status": 200,
            "request_id": result.get("requestId"),
        }
        by_nip = {entry.get("identifier"): entry for entry in entries}
        results = {}
        for nip in chunk:
            entry = by_nip.get(nip)
            error = _error((entry or {}).get("error"))
            if entry is None:
                results[nip] = res.unknown(
                    self.code,
                    nip,
                    "White list answered without this NIP",
                    kind=res.MALFORMED,
                    **meta,
                )
            elif error:
                results[nip] = res.unknown(
                    self.code,
                    nip,
                    f"White list error {error.get('code')}: {error.get('message')}",
                    kind=res.REFUSED,
                    **meta,
                )
            elif not entry.get("subjects"):
                results[nip] = res.RegistryResult(
                    self.code, nip, outcome=res.NOT_FOUND, **meta
                )
            else:
                results[nip] = self.parse_subject(entry["subjects"][0], nip, **meta)
        return results

    def check_account(self, nip, account, today=None):
        """Whether the account is listed for the NIP: True, False or None (unknown)."""
        nip = "".join(ch for ch in (nip or "") if ch.isdigit())
        nrb = "".join(ch for ch in (account or "") if ch.isdigit())[-26:]
        date = (today or datetime.date.today()).isoformat()
        try:
            _response, result = self._get(
                f"/api/check/nip/{nip}/bank-account/{nrb}", {"date": date}
            )
        except RegistryUnavailable:
            return None
        return {"TAK": True, "NIE": False}.get(result.get("accountAssigned"))

    def parse_subject(self, subject, query, **meta):
        status_vat = subject.get("statusVat")
        address = subject.get("workingAddress") or subject.get("residenceAddress")
        street = city = zip_code = None
        if address and "," in address:
            street, _sep, rest = address.partition(",")
            zip_code, _sep, city = rest.strip().partition(" ")
        identifiers = {
            key: subject[key] for key in ("nip", "regon", "krs") if subject.get(key)
        }
        if subject.get("nip"):
            identifiers["vat"] = "PL" + subject["nip"]
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            legal_status=res.STATUS_UNKNOWN,
            vat_payer=STATUS_VAT.get(status_vat),
            vat_cancelled=bool(subject.get("removalDate"))
            or status_vat == "Niezarejestrowany",
            name=subject.get("name"),
            street=street,
            city=city or None,
            zip=zip_code or None,
            country_code="PL",
            address=address,
            identifiers=identifiers,
            bank_accounts=[
                res.BankAccount(number=normalise(number, "PL"))
                for number in subject.get("accountNumbers") or []
            ],
            **meta,
        )
