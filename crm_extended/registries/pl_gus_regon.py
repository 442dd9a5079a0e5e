"""GUS REGON, BIR 1.1 (PL): SOAP 1.2 with WS-Addressing, MTOM answers, user key.

Covers sole traders (CEIDG entries without a KRS number): name, address and
whether the business is active, suspended or ended. Flow: ``Zaloguj(key)`` gives
a session id sent as HTTP header ``sid``; ``DaneSzukajPodmioty`` by NIP or REGON;
``DanePobierzPelnyRaport`` for the dates of suspension, end and bankruptcy.
Errors come inside the payload with HTTP 200 (``ErrorCode`` 4: nothing found);
an empty ``ZalogujResult`` means the key was refused.
"""

import datetime
from xml.sax.saxutils import escape

from . import result as res
from . import soap
from .base import register
from .http import RegistryClient, RegistryUnavailable

NS = "http://CIS/BIR/PUBL/2014/07"
DATA_NS = "http://CIS/BIR/PUBL/2014/07/DataContract"
ACTION = "http://CIS/BIR/PUBL/2014/07/IUslugaBIRzewnPubl/"
WSA = "http://www.w3.org/2005/08/addressing"
NOT_FOUND_CODE = "4"
LEGAL_PERSON_REPORT = "BIR11OsPrawna"
# SilosID of a natural person's business -> its full report
NATURAL_PERSON_REPORTS = {
    "1": "BIR11OsFizycznaDzialalnoscCeidg",
    "2": "BIR11OsFizycznaDzialalnoscRolnicza",
    "3": "BIR11OsFizycznaDzialalnoscPozostala",
}


def envelope(url, operation, body):
    return (
        f'<soap:Envelope xmlns:soap="{soap.SOAP12_NS}" xmlns:ns="{NS}" '
        f'xmlns:dat="{DATA_NS}"><soap:Header xmlns:wsa="{WSA}">'
        f"<wsa:To>{escape(url)}</wsa:To><wsa:Action>{ACTION}{operation}</wsa:Action>"
        f"</soap:Header><soap:Body><ns:{operation}>{body}</ns:{operation}>"
        "</soap:Body></soap:Envelope>"
    ).encode()


def _date(value):
    value = (value or "").strip()[:10]
    return value or None


@register
class GusRegonClient(RegistryClient):
    code = "pl_gus_regon"
    label = "GUS REGON (BIR): businesses incl. sole traders (PL)"
    default_base_url = (
        "https://wyszukiwarkaregon.stat.gov.pl/wsBIR/UslugaBIRzewnPubl.svc"
    )
    # Quotas are not published; stay well below what public clients use.
    rate_limits = ((120, 60.0),)
    max_parallel = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sid = None

    @classmethod
    def query_for(cls, subject):
        if subject.country != "PL":
            return None
        if subject.nip:
            return subject.nip
        if subject.registry.isdigit() and len(subject.registry) in (9, 14):
            return subject.registry
        return None

    def _call(self, operation, body):
        headers = {
            "Content-Type": f'application/soap+xml; charset=utf-8; action="{ACTION}'
            f'{operation}"'
        }
        if self._sid:
            headers["sid"] = self._sid
        response = self._request(
            "POST",
            "",
            ok_statuses=(200, 400, 500),
            data=envelope(self.base_url, operation, body),
            headers=headers,
        )
        root = soap.parse(soap.envelope_of(response.content), response, "GUS BIR")
        soap.raise_fault(root, response, "GUS BIR")
        if response.status_code != 200:
            raise RegistryUnavailable(
                f"GUS BIR answered HTTP {response.status_code}", response
            )
        result = soap.find(root, f"{operation}Result")
        if result is None:
            raise RegistryUnavailable(
                f"GUS BIR answered {operation} without a result",
                response,
                kind=res.MALFORMED,
            )
        return response, (result.text or "").strip()

    def _login(self):
        key = self.credentials.get("api_key")
        if not key:
            raise RegistryUnavailable(
                "GUS BIR needs the user key of the company", kind=res.NOT_CONFIGURED
            )
        response, sid = self._call(
            "Zaloguj", f"<ns:pKluczUzytkownika>{escape(key)}</ns:pKluczUzytkownika>"
        )
        if not sid:
            raise RegistryUnavailable(
                "GUS BIR refused the user key (empty session)",
                response,
                kind=res.REFUSED,
            )
        self._sid = sid

    def _data(self, operation, body):
        """(response, [dane dict]) of a data call; logs in again once when the
        session expired (an empty result)."""
        for attempt in (1, 2):
            if not self._sid:
                self._login()
            response, text = self._call(operation, body)
            if text or attempt == 2:
                break
            self._sid = None
        if not text:
            raise RegistryUnavailable(
                "GUS BIR answered with an empty result (session not accepted)",
                response,
            )
        inner = soap.parse(text.encode(), response, "GUS BIR")
        return response, [soap.children(item) for item in soap.find_all(inner, "dane")]

    def lookup(self, query, today=None):
        number = "".join(ch for ch in (query or "") if ch.isdigit())
        today = today or datetime.date.today()
        field = (
            "Nip"
            if len(number) == 10
            else "Regon"
            if len(number) == 9
            else ("Regon14zn" if len(number) == 14 else None)
        )
        if field is None:
            return res.unknown(
                self.code, number, "not a NIP or a REGON", kind=res.REFUSED
            )
        raws = []
        try:
            response, found = self._data(
                "DaneSzukajPodmioty",
                f"<ns:pParametryWyszukiwania><dat:{field}>{number}</dat:{field}>"
                "</ns:pParametryWyszukiwania>",
            )
            raws.append(response.content)
            subject = found[0] if found else {}
            error = subject.get("ErrorCode")
            if error == NOT_FOUND_CODE:
                return res.RegistryResult(
                    self.code,
                    number,
                    outcome=res.NOT_FOUND,
                    raw=response.content,
                    content_type=response.headers.get("Content-Type"),
                    http_status=200,
                )
            if error or not subject.get("Regon"):
                raise RegistryUnavailable(
                    f"GUS BIR error {error}: {subject.get('ErrorMessageEn') or ''}",
                    response,
                    kind=res.REFUSED if error else res.MALFORMED,
                )
            report = self._report(subject)
            if report is not None:
                raws.append(report[0].content)
        except RegistryUnavailable as exc:
            if raws and exc.response is None:
                exc.response = response
            return self._unknown(number, exc)
        details = report[1] if report else {}
        return self.parse(subject, details, number, today, b"\n".join(raws), response)

    def _report(self, subject):
        kind = subject.get("Typ")
        if kind == "P":
            name = LEGAL_PERSON_REPORT
        elif kind == "F":
            name = NATURAL_PERSON_REPORTS.get(subject.get("SilosID"))
        else:
            name = None  # local units: the search answer says enough
        if not name:
            return None
        response, rows = self._data(
            "DanePobierzPelnyRaport",
            f"<ns:pRegon>{escape(subject['Regon'])}</ns:pRegon>"
            f"<ns:pNazwaRaportu>{name}</ns:pNazwaRaportu>",
        )
        row = rows[0] if rows else {}
        if row.get("ErrorCode"):
            return None  # the search answer is enough to say who it is
        return response, row

    def parse(self, subject, details, query, today, raw, response):
        def detail(name):
            return _date(details.get(f"praw_{name}") or details.get(f"fiz_{name}"))

        ended = _date(subject.get("DataZakonczeniaDzialalnosci")) or detail(
            "dataZakonczeniaDzialalnosci"
        )
        struck = detail("dataSkresleniaZRegon") or detail(
            "dataSkresleniaDzialalnosciZRegon"
        )
        bankrupt = detail("dataOrzeczeniaOUpadlosci")
        suspended = detail("dataZawieszeniaDzialalnosci")
        resumed = detail("dataWznowieniaDzialalnosci")
        findings = []
        if bankrupt:
            findings.append(
                res.Finding(kind=res.BANKRUPTCY, state="upadłość", started=bankrupt)
            )
        status = res.ACTIVE
        if (ended and ended <= today.isoformat()) or struck:
            status = res.DISSOLVED
        elif findings:
            status = res.INSOLVENT
        is_suspended = bool(suspended) and (not resumed or resumed < suspended)
        street = " ".join(
            p
            for p in (
                subject.get("Ulica"),
                "/".join(
                    p
                    for p in (subject.get("NrNieruchomosci"), subject.get("NrLokalu"))
                    if p
                ),
            )
            if p
        )
        identifiers = {"regon": subject.get("Regon")}
        if subject.get("Nip"):
            identifiers["nip"] = subject["Nip"]
            identifiers["vat"] = "PL" + subject["Nip"]
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            legal_status=status,
            activity_suspended=is_suspended and status == res.ACTIVE,
            name=subject.get("Nazwa"),
            street=street or None,
            city=subject.get("Miejscowosc"),
            zip=subject.get("KodPocztowy"),
            country_code="PL",
            address=", ".join(
                p
                for p in (
                    street,
                    subject.get("KodPocztowy"),
                    subject.get("Miejscowosc"),
                )
                if p
            )
            or None,
            identifiers=identifiers,
            findings=findings,
            raw=raw,
            content_type=response.headers.get("Content-Type"),
            http_status=200,
        )
