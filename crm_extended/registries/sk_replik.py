"""IS REPLIK (SK register of pre-insolvency, liquidation and insolvency
proceedings, since 1 Oct 2025): SOAP 1.1 ``getKonaniePodlaICO``.

No registration, no published limit. Every proceeding of the IČO is returned,
ended ones included: those are history, recorded but not a risk.
"""

from xml.sax.saxutils import escape

from . import result as res
from . import soap
from .base import register
from .http import RegistryClient, RegistryUnavailable

NS = "datatypes.konanie.verejnost.ru.sk.hp.com"
PAGE_SIZE = 100
MAX_PAGES = 10
# Words of ``StavKonania`` that say a proceeding is over.
ENDED_WORDS = ("UKONC", "ZASTAV", "ZRUS", "SKONC", "ZAMIET", "ODMIET")


def request_body(ico, page):
    return (
        f'<soapenv:Envelope xmlns:soapenv="{soap.SOAP11_NS}" xmlns:dat="{NS}">'
        "<soapenv:Header/><soapenv:Body><dat:getKonaniePodlaICORequest>"
        f"<dat:Ico>{escape(ico)}</dat:Ico><dat:Stranka>{page}</dat:Stranka>"
        f"<dat:VysledkovNaStranku>{PAGE_SIZE}</dat:VysledkovNaStranku>"
        "<dat:TypTriedenia>DatumPoslednejUdalosti</dat:TypTriedenia>"
        "</dat:getKonaniePodlaICORequest></soapenv:Body></soapenv:Envelope>"
    ).encode()


def kind_of(proceeding_type):
    kind = (proceeding_type or "").upper()
    if kind.startswith("ODDLZENIE"):
        return res.DISCHARGE
    if "PREVENT" in kind or "DOCASNA_OCHRANA" in kind:
        return res.MORATORIUM
    if "RESTRUKTURALIZ" in kind:
        return res.REORGANISATION
    if "KONKURZ" in kind:
        return res.BANKRUPTCY
    if "LIKVIDAC" in kind:
        return res.LIQUIDATION
    return res.OTHER


def proceeding_of(info):
    state = (info.get("StavKonania") or "").upper()
    ended_on = (info.get("DatumUkonceniaProcesu") or "")[:10] or None
    ended = bool(ended_on) or any(word in state for word in ENDED_WORDS)
    return res.Finding(
        kind=kind_of(info.get("Typ")),
        active=not ended,
        state=" / ".join(p for p in (info.get("Typ"), info.get("StavKonania")) if p),
        court=info.get("SudNazov"),
        file_number=info.get("SpisovaZnackaSudu"),
        started=(
            info.get("DatumZacatiaKonania") or info.get("DatumZacatiaProcesu") or ""
        )[:10]
        or None,
        ended=ended_on,
        administrator=info.get("Spravca"),
        listed_name=info.get("Dlznik"),
    )


@register
class ReplikClient(RegistryClient):
    code = "sk_replik"
    label = "IS REPLIK: insolvency and liquidation proceedings (SK)"
    default_base_url = "https://replik-ws.justice.sk/ru-verejnost-ws/"
    absent_means_clean = True
    rate_limits = ((60, 60.0),)
    max_parallel = 2

    @classmethod
    def query_for(cls, subject):
        return subject.ico if subject.country == "SK" else None

    def _page(self, ico, page):
        response = self._request(
            "POST",
            "",
            ok_statuses=(200, 500),
            data=request_body(ico, page),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        )
        root = soap.parse(response.content, response, "IS REPLIK")
        soap.raise_fault(root, response, "IS REPLIK")
        answer = soap.find(root, "getKonaniePodlaICOResponse")
        if response.status_code != 200 or answer is None:
            raise RegistryUnavailable(
                "IS REPLIK answered without a list of proceedings",
                response,
                kind=res.MALFORMED if response.status_code == 200 else res.UNREACHABLE,
            )
        total = soap.child_text(answer, "VysledkovCelkom")
        if total is None or not total.isdigit():
            raise RegistryUnavailable(
                "IS REPLIK answered without a result count",
                response,
                kind=res.MALFORMED,
            )
        infos = [soap.children(item) for item in soap.find_all(answer, "KonanieInfo")]
        return response, int(total), infos

    def lookup(self, query, today=None):
        ico = (query or "").strip().zfill(8)
        infos = []
        raws = []
        try:
            for page in range(MAX_PAGES):
                response, total, found = self._page(ico, page)
                raws.append(response.content)
                infos.extend(found)
                if not found or len(infos) >= total:
                    break
        except RegistryUnavailable as exc:
            return self._unknown(ico, exc)
        meta = {
            # Several pages are kept one after the other, as received.
            "raw": b"\n".join(raws),
            "content_type": response.headers.get("Content-Type"),
            "http_status": 200,
        }
        infos = [info for info in infos if info.get("DlznikIco", ico) in ("", ico)]
        if not infos:
            return res.RegistryResult(self.code, ico, outcome=res.NOT_FOUND, **meta)
        findings = [proceeding_of(info) for info in infos]
        return res.RegistryResult(
            provider=self.code,
            query=ico,
            outcome=res.FOUND,
            legal_status=res.legal_status_of(findings) or res.STATUS_UNKNOWN,
            name=infos[0].get("Dlznik"),
            country_code="SK",
            identifiers={"ico": ico},
            findings=findings,
            **meta,
        )
