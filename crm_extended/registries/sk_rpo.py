"""RPO (SK, Štatistický úrad): REST JSON, search by IČO then the entity."""

import datetime

from . import result as res
from .base import register
from .http import RegistryClient, RegistryUnavailable


def current(items):
    """The current entry of an RPO history list (the one without validTo)."""
    items = [item for item in items or [] if not item.get("validTo")]
    return items[-1] if items else None


def _value(item):
    value = (item or {}).get("value")
    return value.get("value") if isinstance(value, dict) else value


@register
class RpoClient(RegistryClient):
    code = "sk_rpo"
    label = "RPO (SK)"
    default_base_url = "https://api.statistics.sk/rpo/v1"
    # No published limit; public clients pace themselves at about 1 request a second.
    rate_limits = ((1, 1.0),)

    def _get(self, path, params):
        response = self._request(
            "GET",
            path,
            ok_statuses=(200, 400, 404),
            params=params,
            headers={"Accept": "application/json"},
        )
        data = self._json(response)
        if response.status_code != 200 or not isinstance(data, dict):
            error = data if isinstance(data, dict) else {}
            raise RegistryUnavailable(
                f"RPO error HTTP {response.status_code}: "
                f"{error.get('code')} {error.get('message')}",
                response,
                kind=res.REFUSED,
            )
        return response, data

    @classmethod
    def query_for(cls, subject):
        return subject.ico if subject.country == "SK" else None

    def lookup(self, query, today=None):
        ico = (query or "").strip().zfill(8)
        try:
            response, data = self._get("/search", {"identifier": ico})
            results = data.get("results")
            if not isinstance(results, list):
                raise RegistryUnavailable(
                    "RPO search answered without results",
                    response,
                    kind=res.MALFORMED,
                )
            if not results:
                raw, ctype = self.raw_of(response)
                return res.RegistryResult(
                    self.code,
                    ico,
                    outcome=res.NOT_FOUND,
                    raw=raw,
                    content_type=ctype,
                    http_status=200,
                )
            entity_id = results[0].get("id")
            response, entity = self._get(
                f"/entity/{entity_id}",
                {"showHistoricalData": "true", "showOrganizationUnits": "true"},
            )
        except RegistryUnavailable as exc:
            return self._unknown(ico, exc)
        raw, ctype = self.raw_of(response)
        return self.parse_entity(
            entity, ico, today=today, raw=raw, content_type=ctype, http_status=200
        )

    def parse_entity(self, entity, query, today=None, **meta):
        today = today or datetime.date.today()
        name = _value(current(entity.get("fullNames")))
        address = current(entity.get("addresses")) or {}
        street = " ".join(
            part
            for part in (
                address.get("street") or _value(address.get("municipality")),
                "/".join(
                    str(n)
                    for n in (address.get("regNumber"), address.get("buildingNumber"))
                    if n
                ),
            )
            if part
        )
        zip_code = (address.get("postalCodes") or [None])[0]
        city = _value(address.get("municipality"))
        country = (address.get("country") or {}).get("code")
        facts = " ".join(
            str(_value(fact) or fact.get("value") or "")
            for fact in entity.get("otherLegalFacts") or []
        ).lower()
        status = res.ACTIVE
        termination = entity.get("termination")
        if termination and termination <= today.isoformat():
            status = res.DISSOLVED
        elif "konkurz" in facts or "konkurz" in (name or "").lower():
            status = res.INSOLVENT
        elif "likvid" in facts or "v likvidácii" in (name or "").lower():
            status = res.IN_LIQUIDATION
        legal_form = current(entity.get("legalForms"))
        identifier = current(entity.get("identifiers"))
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            legal_status=status,
            name=name,
            legal_form=_value((legal_form or {}).get("value")) if legal_form else None,
            street=street or None,
            city=city,
            zip=zip_code,
            country_code="SK" if country == "703" else None,
            address=", ".join(p for p in (street, zip_code, city) if p) or None,
            identifiers={"ico": identifier.get("value") if identifier else query},
            request_id=str(entity.get("id")) if entity.get("id") else None,
            **meta,
        )
