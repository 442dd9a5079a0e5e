"""ISIR (CZ insolvency register, Ministerstvo spravedlnosti): SOAP 1.1 by IČO.

Operation ``getIsirWsCuzkData`` with ``filtrAktualniRizeni=F`` returns every
proceeding of the subject, ended ones included: an ended proceeding is history,
recorded but not a risk. ``stav/kodChyby`` comes with HTTP 200: WS2 means no
record; WS4, SQL1, SERVER1 an outage; WS1, WS3 a refused request.
"""

from xml.sax.saxutils import escape

from . import result as res
from . import soap
from .base import register
from .http import RegistryClient, RegistryUnavailable

NS = "http://isirws.cca.cz/types/"
MAX_RESULTS = 101
# druhStavKonkursu -> kind of an ongoing proceeding.
STATES = {
    "NEVYRIZENA": res.PETITION,
    "OBZIVLA": res.PETITION,
    "MORATORIUM": res.MORATORIUM,
    "ÚPADEK": res.INSOLVENCY,
    "UPADEK": res.INSOLVENCY,
    "KONKURS": res.BANKRUPTCY,
    "K-PO ZRUŠ.": res.BANKRUPTCY,
    "REORGANIZ": res.REORGANISATION,
    "ODDLUŽENÍ": res.DISCHARGE,
    "ODDLUZENI": res.DISCHARGE,
}
# States of a proceeding that is over (or was entered by mistake).
ENDED_STATES = {
    "VYRIZENA",
    "PRAVOMOCNA",
    "ODSKRTNUTA",
    "MYLNÝ ZÁP.",
    "ZRUŠENO VS",
}
NO_DATA = {"WS2"}
REFUSED = {"WS1", "WS3"}


def request_body(ico):
    return (
        f'<soapenv:Envelope xmlns:soapenv="{soap.SOAP11_NS}" xmlns:typ="{NS}">'
        "<soapenv:Body><typ:getIsirWsCuzkDataRequest>"
        f"<ic>{escape(ico)}</ic><maxPocetVysledku>{MAX_RESULTS}</maxPocetVysledku>"
        "<filtrAktualniRizeni>F</filtrAktualniRizeni>"
        "</typ:getIsirWsCuzkDataRequest></soapenv:Body></soapenv:Envelope>"
    ).encode()


def _date(value):
    """ISIR dates carry a zone suffix (``2022-09-13Z``, ``2022-09-13+02:00``)."""
    return (value or "")[:10] or None


def proceeding_of(data):
    """A Finding from one ``data`` element's values."""
    state = (data.get("druhStavKonkursu") or "").strip().upper()
    ended_on = _date(data.get("datumPmUkonceniUpadku"))
    ended = bool(ended_on) or state in ENDED_STATES
    number = " ".join(
        part for part in (data.get("cisloSenatu"), data.get("druhVec")) if part
    )
    if data.get("bcVec") and data.get("rocnik"):
        number = f"{number} {data['bcVec']}/{data['rocnik']}".strip()
    return res.Finding(
        # An ended proceeding keeps its kind only when its state still says it.
        kind=STATES.get(state, res.INSOLVENCY if ended else res.OTHER),
        active=not ended,
        state=data.get("druhStavKonkursu"),
        court=data.get("nazevOrganizace"),
        file_number=number or None,
        started=_date(data.get("datumPmZahajeniUpadku")),
        ended=ended_on,
        url=data.get("urlDetailRizeni"),
        listed_name=data.get("nazevOsoby"),
    )


@register
class IsirClient(RegistryClient):
    code = "cz_isir"
    label = "ISIR: insolvency register (CZ)"
    default_base_url = "https://isir.justice.cz:8443/isir_cuzk_ws/IsirWsCuzkService"
    absent_means_clean = True
    # No published limit: stay gentle, one request a second, two at a time.
    rate_limits = ((60, 60.0),)
    max_parallel = 2

    @classmethod
    def query_for(cls, subject):
        return subject.ico if subject.country == "CZ" else None

    def lookup(self, query, today=None):
        ico = (query or "").strip().zfill(8)
        try:
            response = self._request(
                "POST",
                "",
                ok_statuses=(200, 500),
                data=request_body(ico),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
            )
            root = soap.parse(response.content, response, "ISIR")
            soap.raise_fault(root, response, "ISIR")
            if response.status_code != 200:
                raise RegistryUnavailable(
                    f"the registry is unavailable (HTTP {response.status_code})",
                    response,
                )
            answer = soap.find(root, "getIsirWsCuzkDataResponse")
            status = soap.find(answer, "stav") if answer is not None else None
            if status is None:
                raise RegistryUnavailable(
                    "ISIR answered without a status", response, kind=res.MALFORMED
                )
            error = soap.child_text(status, "kodChyby")
            if error and error not in NO_DATA:
                raise RegistryUnavailable(
                    f"ISIR error code {error}: "
                    f"{soap.child_text(status, 'textChyby') or ''}".strip(),
                    response,
                    kind=res.REFUSED if error in REFUSED else res.UNREACHABLE,
                )
        except RegistryUnavailable as exc:
            return self._unknown(ico, exc)
        raw, ctype = self.raw_of(response)
        meta = {"raw": raw, "content_type": ctype, "http_status": 200}
        records = [
            soap.children(item) for item in answer if soap.local(item.tag) == "data"
        ]
        records = [record for record in records if record.get("ic", ico) == ico]
        if not records:
            return res.RegistryResult(self.code, ico, outcome=res.NOT_FOUND, **meta)
        findings = [proceeding_of(record) for record in records]
        first = records[0]
        return res.RegistryResult(
            provider=self.code,
            query=ico,
            outcome=res.FOUND,
            legal_status=res.legal_status_of(findings) or res.STATUS_UNKNOWN,
            name=first.get("nazevOsoby"),
            city=first.get("mesto"),
            zip=(first.get("psc") or "").replace(" ", "") or None,
            street=" ".join(
                p for p in (first.get("ulice"), first.get("cisloPopisne")) if p
            )
            or None,
            country_code="CZ",
            identifiers={"ico": ico},
            findings=findings,
            **meta,
        )
