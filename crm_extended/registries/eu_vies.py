"""VIES (EU): REST JSON VAT number validation.

Only ``VALID`` and ``INVALID`` are answers; every other ``userError`` (service or
member state unavailable, timeout, blocked, concurrency caps) means "not checked".
With a requester VAT number in the credentials the POST call is used, which
returns a consultation number (``requestIdentifier``).
"""

from . import result as res
from .base import eu_vat_query, register
from .http import RegistryClient, RegistryUnavailable
from .identifiers import split_vat

UNDISCLOSED = "---"
RATE_ERRORS = {
    "IP_BLOCKED",
    "GLOBAL_MAX_CONCURRENT_REQ",
    "GLOBAL_MAX_CONCURRENT_REQ_TIME",
    "MS_MAX_CONCURRENT_REQ",
    "MS_MAX_CONCURRENT_REQ_TIME",
}


def _clean(value):
    value = (value or "").strip()
    return None if not value or value == UNDISCLOSED else value


@register
class ViesClient(RegistryClient):
    code = "eu_vies"
    label = "VIES (EU)"
    vat_register = True
    credential_name = "requester_vat"
    default_base_url = "https://ec.europa.eu/taxation_customs/vies/rest-api"
    # Thresholds are unpublished (concurrency caps, IP blocking on abuse): stay gentle.
    rate_limits = ((30, 60.0),)
    max_parallel = 2

    @classmethod
    def query_for(cls, subject):
        return eu_vat_query(subject)

    def lookup(self, query, today=None):
        country, number = split_vat(query)
        country = {"GR": "EL"}.get(country, country)
        query = country + number
        requester = self.credentials.get("requester_vat")
        try:
            if requester:
                req_country, req_number = split_vat(requester)
                response = self._request(
                    "POST",
                    "/check-vat-number",
                    ok_statuses=(200, 400),
                    json={
                        "countryCode": country,
                        "vatNumber": number,
                        "requesterMemberStateCode": req_country,
                        "requesterNumber": req_number,
                    },
                    headers={"Accept": "application/json"},
                )
            else:
                response = self._request(
                    "GET",
                    f"/ms/{country}/vat/{number}",
                    ok_statuses=(200, 400),
                    headers={"Accept": "application/json"},
                )
            data = self._json(response)
            verdict = self._verdict(data, response)
        except RegistryUnavailable as exc:
            return self._unknown(query, exc)
        raw, ctype = self.raw_of(response)
        meta = {
            "raw": raw,
            "content_type": ctype,
            "http_status": response.status_code,
            "request_id": _clean(data.get("requestIdentifier")),
        }
        if not verdict:
            return res.RegistryResult(
                self.code, query, outcome=res.NOT_FOUND, vat_payer=False, **meta
            )
        address = _clean(data.get("address"))
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            vat_payer=True,
            name=_clean(data.get("name")),
            address=address.replace("\n", ", ") if address else None,
            country_code="GR" if country == "EL" else country,
            identifiers={"vat": query},
            **meta,
        )

    @staticmethod
    def _verdict(data, response):
        if not isinstance(data, dict):
            raise RegistryUnavailable(
                "VIES answered with an unexpected body", response, kind=res.MALFORMED
            )
        wrappers = data.get("errorWrappers")
        if data.get("actionSucceed") is False or wrappers:
            errors = ", ".join(
                f"{w.get('error')}: {w.get('message') or ''}".strip(": ")
                for w in wrappers or []
            )
            codes = {w.get("error") for w in wrappers or []}
            kind = res.REFUSED if response.status_code == 400 else res.UNREACHABLE
            if codes & RATE_ERRORS:
                kind = res.RATE_LIMITED
            raise RegistryUnavailable(
                f"VIES error {errors or 'unknown'}", response, kind=kind
            )
        if response.status_code != 200:
            raise RegistryUnavailable(
                f"VIES answered HTTP {response.status_code}",
                response,
                kind=res.REFUSED,
            )
        user_error = data.get("userError")
        if user_error is not None:
            if user_error == "VALID":
                return True
            if user_error == "INVALID":
                return False
            raise RegistryUnavailable(
                f"VIES could not check the number: {user_error}",
                response,
                kind=res.RATE_LIMITED if user_error in RATE_ERRORS else res.UNREACHABLE,
            )
        valid = data.get("valid", data.get("isValid"))
        if not isinstance(valid, bool):
            raise RegistryUnavailable(
                "VIES answered without a verdict", response, kind=res.MALFORMED
            )
        return valid
