"""ARES (CZ): REST JSON, one subject by IČO or up to 100 IČO per bulk search."""

import datetime

from . import result as res
from .base import register
from .http import RegistryClient, RegistryUnavailable

LEGAL_FORMS = {
    "100": "Podnikající osoba tuzemská",
    "101": "Fyzická osoba podnikající dle živnostenského zákona",
    "111": "Veřejná obchodní společnost",
    "112": "Společnost s ručením omezeným",
    "113": "Komanditní společnost",
    "121": "Akciová společnost",
    "141": "Obecně prospěšná společnost",
    "205": "Družstvo",
    "301": "Státní podnik",
    "706": "Spolek",
}
BULK_SIZE = 100


def _street(sidlo):
    street = sidlo.get("nazevUlice") or sidlo.get("nazevCastiObce") or ""
    number = sidlo.get("cisloDomovni")
    if number and sidlo.get("cisloOrientacni"):
        number = f"{number}/{sidlo['cisloOrientacni']}"
    return " ".join(str(part) for part in (street, number) if part) or None


@register
class AresClient(RegistryClient):
    code = "cz_ares"
    label = "ARES (CZ)"
    default_base_url = "https://ares.gov.cz/ekonomicke-subjekty-v-be/rest"
    # ARES terms: at most 500 requests a minute.
    rate_limits = ((500, 60.0),)

    @classmethod
    def query_for(cls, subject):
        return subject.ico if subject.country == "CZ" else None

    def lookup(self, query, today=None):
        """The consolidated record of one IČO."""
        ico = (query or "").strip().zfill(8)
        try:
            response = self._request(
                "GET",
                f"/ekonomicke-subjekty/{ico}",
                ok_statuses=(200, 400, 404),
                headers={"Accept": "application/json"},
            )
            data = self._json(response)
        except RegistryUnavailable as exc:
            return self._unknown(ico, exc)
        raw, ctype = self.raw_of(response)
        meta = {"raw": raw, "content_type": ctype, "http_status": response.status_code}
        if response.status_code == 200:
            if not isinstance(data, dict) or not data.get("ico"):
                return res.unknown(
                    self.code,
                    ico,
                    "ARES answered without a subject",
                    kind=res.MALFORMED,
                    **meta,
                )
            return self.parse_subject(data, ico, today=today, **meta)
        error = data if isinstance(data, dict) else {}
        if response.status_code == 404 and error.get("kod") == "NENALEZENO":
            return res.RegistryResult(
                self.code,
                ico,
                outcome=res.NOT_FOUND,
                error_message=error.get("popis"),
                **meta,
            )
        reason = (
            f"ARES error {error.get('kod')}: {error.get('popis')}"
            if error.get("kod")
            else f"ARES answered HTTP {response.status_code} without an error code "
            "(wrong endpoint?)"
        )
        return res.unknown(self.code, ico, reason, kind=res.REFUSED, **meta)

    def lookup_many(self, queries, today=None):
        """Bulk search by IČO, 100 per request; returns {ico: RegistryResult}."""
        icos = [(ico or "").strip().zfill(8) for ico in queries]
        results = {}
        for start in range(0, len(icos), BULK_SIZE):
            chunk = icos[start : start + BULK_SIZE]
            results.update(self._search_chunk(chunk, today))
        return results

    def _search_chunk(self, chunk, today):
        body = {"ico": chunk, "pocet": len(chunk), "start": 0}
        try:
            response = self._request(
                "POST",
                "/ekonomicke-subjekty/vyhledat",
                ok_statuses=(200,),
                json=body,
                headers={"Accept": "application/json"},
            )
            data = self._json(response)
            subjects = (
                data.get("ekonomickeSubjekty") if isinstance(data, dict) else None
            )
            if not isinstance(subjects, list):
                raise RegistryUnavailable(
                    "ARES search answered without a list",
                    response,
                    kind=res.MALFORMED,
                )
        except RegistryUnavailable as exc:
            return {ico: self._unknown(ico, exc) for ico in chunk}
        by_ico = {subject.get("ico"): subject for subject in subjects}
        # The evidence of each IČO is the verbatim answer of the whole search.
        meta = {
            "raw": response.content,
            "content_type": response.headers.get("Content-Type"),
            "http_status": 200,
        }
        results = {}
        for ico in chunk:
            subject = by_ico.get(ico)
            if subject is None:
                # The search answered: a missing IČO is definitively not there.
                results[ico] = res.RegistryResult(
                    self.code, ico, outcome=res.NOT_FOUND, **meta
                )
            else:
                results[ico] = self.parse_subject(subject, ico, today=today, **meta)
        return results

    def parse_subject(self, data, query, today=None, **meta):
        today = today or datetime.date.today()
        sidlo = data.get("sidlo") or {}
        name = data.get("obchodniJmeno")
        status = res.ACTIVE
        ended = data.get("datumZaniku")
        if ended and ended <= today.isoformat():
            status = res.DISSOLVED
        elif name and "v likvidaci" in name.lower():
            status = res.IN_LIQUIDATION
        registrations = data.get("seznamRegistraci") or {}
        vat_state = registrations.get("stavZdrojeDph")
        # stavZdrojeIr stays AKTIVNI after proceedings end: ISIR says whether a
        # proceeding is current; ARES only hints that there is a record.
        hint = registrations.get("stavZdrojeIr") == "AKTIVNI"
        identifiers = {"ico": data.get("ico")}
        if data.get("dic"):
            identifiers["vat"] = data["dic"]
        if data.get("dicSkDph"):
            identifiers["vat_group"] = data["dicSkDph"]
        form = data.get("pravniForma")
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            legal_status=status,
            # ARES is not authoritative for VAT (ADIS is); it only hints.
            vat_cancelled=True if vat_state == "ZANIKLY" else None,
            insolvency_hint=hint or None,
            name=name,
            legal_form=LEGAL_FORMS.get(form, form),
            street=_street(sidlo),
            city=sidlo.get("nazevObce"),
            zip=str(sidlo["psc"]) if sidlo.get("psc") else None,
            country_code=sidlo.get("kodStatu"),
            address=sidlo.get("textovaAdresa"),
            identifiers=identifiers,
            **meta,
        )
