"""ADIS (CZ, MF ČR): SOAP register of VAT payers, unreliable payers and their
published bank accounts (operation StatusNespolehlivySubjektRozsirenyV2)."""

from xml.sax.saxutils import escape

from . import result as res
from . import soap
from .accounts import cz_account_to_iban
from .base import register
from .http import RegistryClient, RegistryUnavailable

NS = "http://adis.mfcr.cz/rozhraniCRPDPH/"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
OPERATION = "getStatusNespolehlivySubjektRozsirenyV2"
BATCH_SIZE = 100
STATUS_TEXT = {
    "1": "request error",
    "2": "scheduled maintenance",
    "3": "service unavailable",
}
STATUS_KIND = {"1": res.REFUSED, "2": res.MAINTENANCE, "3": res.UNREACHABLE}
VAT_PAYER_TYPES = {"PLATCE_DPH", "SKUPINA_DPH"}


def request_body(dics):
    items = "".join(f"<roz:dic>{escape(dic)}</roz:dic>" for dic in dics)
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" xmlns:roz="{NS}">'
        "<soapenv:Body><roz:StatusNespolehlivySubjektRozsirenyV2Request>"
        f"{items}</roz:StatusNespolehlivySubjektRozsirenyV2Request>"
        "</soapenv:Body></soapenv:Envelope>"
    ).encode()


def strip_cz(dic):
    dic = (dic or "").replace(" ", "").upper()
    return dic.removeprefix("CZ")


def _text(element, tag):
    found = element.find(f"{{{NS}}}{tag}")
    return found.text.strip() if found is not None and found.text else None


@register
class AdisClient(RegistryClient):
    code = "cz_adis"
    label = "ADIS: unreliable VAT payers and bank accounts (CZ)"
    vat_register = True
    publishes_accounts = True
    default_base_url = (
        "https://mojedane.gov.cz/dpr/axis2/services/rozhraniCRPDPH.rozhraniCRPDPHSOAP"
    )
    # Operator terms: 2 000 requests an hour, 10 000 a day, at most 4 in parallel.
    rate_limits = ((2000, 3600.0), (10000, 86400.0))
    max_parallel = 4

    @classmethod
    def query_for(cls, subject):
        czech = subject.country == "CZ" and subject.vat_prefix == "CZ"
        return subject.vat_number if czech and subject.vat_number.isdigit() else None

    def lookup(self, query, today=None):
        return self.lookup_many([query])[strip_cz(query)]

    def lookup_many(self, queries, today=None):
        """Status of any number of DIČ, 100 per SOAP call: {dic: result}."""
        dics = [strip_cz(dic) for dic in queries]
        results = {}
        for start in range(0, len(dics), BATCH_SIZE):
            results.update(self._call(dics[start : start + BATCH_SIZE]))
        return results

    def _call(self, dics):
        try:
            response = self._request(
                "POST",
                "",
                ok_statuses=(200, 500),
                data=request_body(dics),
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": NS + OPERATION,
                },
            )
            raw, ctype = self.raw_of(response)
            items = self._parse(response)
        except RegistryUnavailable as exc:
            return {dic: self._unknown(dic, exc) for dic in dics}
        meta = {"raw": raw, "content_type": ctype, "http_status": 200}
        results = {}
        for dic in dics:
            item = items.get(dic)
            if item is None:
                results[dic] = res.unknown(
                    self.code,
                    dic,
                    "ADIS answered without this DIČ",
                    kind=res.MALFORMED,
                    **meta,
                )
            else:
                results[dic] = self.parse_subject(item, dic, **meta)
        return results

    def _parse(self, response):
        root = soap.parse(response.content, response, "ADIS")
        fault = root.find(f".//{{{SOAP_NS}}}Fault")
        if fault is not None:
            raise RegistryUnavailable(
                "ADIS SOAP fault: " + (fault.findtext("faultstring") or "").strip(),
                response,
            )
        if response.status_code != 200:
            raise RegistryUnavailable(
                f"the registry is unavailable (HTTP {response.status_code})", response
            )
        body = root.find(f".//{{{NS}}}StatusNespolehlivySubjektRozsirenyResponse")
        status = body.find(f"{{{NS}}}status") if body is not None else None
        if status is None:
            raise RegistryUnavailable(
                "ADIS answered without a status", response, kind=res.MALFORMED
            )
        code = status.get("statusCode")
        if code != "0":
            raise RegistryUnavailable(
                f"ADIS statusCode {code} ({STATUS_TEXT.get(code, 'unknown code')}): "
                f"{status.get('statusText')}",
                response,
                kind=STATUS_KIND.get(code, res.UNREACHABLE),
            )
        return {
            item.get("dic"): item for item in body.findall(f"{{{NS}}}statusSubjektu")
        }

    def parse_subject(self, item, query, **meta):
        kind = item.get("typSubjektu")
        if kind == "NENALEZEN":
            return res.RegistryResult(
                self.code, query, outcome=res.NOT_FOUND, vat_payer=False, **meta
            )
        accounts = []
        for account in item.iterfind(f"{{{NS}}}zverejneneUcty/{{{NS}}}ucet"):
            standard = account.find(f"{{{NS}}}standardniUcet")
            other = account.find(f"{{{NS}}}nestandardniUcet")
            if standard is not None:
                number = cz_account_to_iban(
                    standard.get("cislo"),
                    standard.get("kodBanky"),
                    standard.get("predcisli"),
                )
            elif other is not None:
                number = other.get("cislo")
            else:
                continue
            accounts.append(
                res.BankAccount(
                    number=number,
                    published_from=account.get("datumZverejneni"),
                    published_to=account.get("datumZverejneniUkonceni"),
                )
            )
        address = item.find(f"{{{NS}}}adresa")
        street = city = zip_code = text = None
        if address is not None:
            street = _text(address, "uliceCislo")
            city = _text(address, "mesto")
            zip_code = _text(address, "psc")
            text = ", ".join(
                part
                for part in (street, _text(address, "castObce"), zip_code, city)
                if part
            )
        unreliable = (
            item.get("nespolehlivyPlatce") == "ANO" or kind == "NESPOLEHLIVA_OSOBA"
        )
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            vat_payer=kind in VAT_PAYER_TYPES,
            unreliable_vat_payer=unreliable,
            name=_text(item, "nazevSubjektu"),
            street=street,
            city=city,
            zip=zip_code,
            country_code="CZ" if address is not None else None,
            address=text,
            identifiers={"vat": "CZ" + (item.get("dic") or query)},
            bank_accounts=accounts,
            **meta,
        )
