"""Registry answers about the demo customers, in each registry's own format.

Plain Python, no ORM. The demo set-up feeds these bodies to the real registry
clients through :mod:`..registries.offline`, so the evidence and the badge of a
demo customer come out of the same parsing and verdict code as a live check.
The shapes are those of the replay fixtures (``tests/registry_replay``).

A company is described by a dict: ``name``, ``street``, ``zip``, ``city``,
``country`` (ISO code), ``ico``, ``vat``, ``krs``, ``regon``, ``accounts`` and
``situation``: a dict of provider code to what that registry says when it is not
the ordinary "found, active, VAT payer": ``unreliable`` (ADIS),
``vat_removed`` (white list), ``invalid`` or ``unavailable`` (VIES).
"""

import json
from datetime import date, timedelta

from ..registries.offline import JSON, XML

ADIS_NS = "http://adis.mfcr.cz/rozhraniCRPDPH/"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def _json(data):
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def _xml_escape(text):
    return (
        (text or "")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _split_street(street):
    """('Hybešova', '42') from 'Hybešova 42'; the number part may be '1041/12'."""
    name, _sep, number = (street or "").rpartition(" ")
    if not name or not number[:1].isdigit():
        return street or "", ""
    return name, number


def ares_subject(company, today):
    street, number = _split_street(company["street"])
    house, _slash, orientation = number.partition("/")
    sidlo = {
        "kodStatu": "CZ",
        "nazevStatu": "Česká republika",
        "nazevObce": company["city"],
        "nazevUlice": street,
        "cisloDomovni": int(house) if house.isdigit() else house,
        "psc": int(company["zip"].replace(" ", "")),
        "textovaAdresa": f"{company['street']}, {company['zip']} {company['city']}",
    }
    if orientation:
        sidlo["cisloOrientacni"] = int(orientation) if orientation.isdigit() else 0
    return {
        "ico": company["ico"],
        "obchodniJmeno": company["name"],
        "sidlo": sidlo,
        "pravniForma": "121" if "a.s." in company["name"] else "112",
        "datumVzniku": "2004-05-01",
        "datumAktualizace": (today - timedelta(days=30)).isoformat(),
        "icoId": company["ico"],
        "seznamRegistraci": {
            "stavZdrojeVr": "AKTIVNI",
            "stavZdrojeRes": "AKTIVNI",
            "stavZdrojeDph": "AKTIVNI",
        },
        "primarniZdroj": "vr",
        "dic": company["vat"],
    }


def adis_envelope(company, today):
    dic = company["vat"].removeprefix("CZ")
    unreliable = company.get("situation", {}).get("cz_adis") == "unreliable"
    accounts = "".join(
        f'<ucet datumZverejneni="2016-03-01"><standardniUcet cislo="{number}" '
        f'kodBanky="{bank}"/></ucet>'
        for number, bank in company.get("accounts", ())
    )
    subject = (
        f'<statusSubjektu typSubjektu="PLATCE_DPH" dic="{dic}" '
        f'nespolehlivyPlatce="{"ANO" if unreliable else "NE"}" cisloFu="451">'
        f"<zverejneneUcty>{accounts}</zverejneneUcty>"
        f"<nazevSubjektu>{_xml_escape(company['name'].upper())}</nazevSubjektu>"
        f"<adresa><uliceCislo>{_xml_escape(company['street'])}</uliceCislo>"
        f"<mesto>{_xml_escape(company['city'].upper())}</mesto>"
        f"<psc>{company['zip'].replace(' ', '')}</psc>"
        "<stat>Česká republika</stat></adresa></statusSubjektu>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}"><soapenv:Header/><soapenv:Body>'
        f'<StatusNespolehlivySubjektRozsirenyResponse xmlns="{ADIS_NS}">'
        f'<status odpovedGenerovana="{today.isoformat()}" statusCode="0" '
        f'statusText="OK"/>{subject}</StatusNespolehlivySubjektRozsirenyResponse>'
        "</soapenv:Body></soapenv:Envelope>"
    ).encode()


def rpo_entity(company, entity_id):
    street, number = _split_street(company["street"])
    return {
        "id": entity_id,
        "identifiers": [{"value": company["ico"], "validFrom": "2003-06-12"}],
        "fullNames": [{"value": company["name"], "validFrom": "2003-06-12"}],
        "addresses": [
            {
                "street": street,
                "buildingNumber": number,
                "postalCodes": [company["zip"].replace(" ", "")],
                "municipality": {"value": company["city"], "code": "528595"},
                "country": {"value": "Slovenská republika", "code": "703"},
                "validFrom": "2003-06-12",
            }
        ],
        "legalForms": [
            {
                "value": {
                    "value": "Akciová spoločnosť"
                    if "a.s." in company["name"]
                    else "Spoločnosť s ručením obmedzeným",
                    "code": "121" if "a.s." in company["name"] else "112",
                    "codelistCode": "CL000056",
                },
                "validFrom": "2003-06-12",
            }
        ],
        "establishment": "2003-06-12",
        "license": "Creative Commons Attribution License (CC-BY) 4.0",
    }


def vies_answer(company, today):
    country, number = company["vat"][:2], company["vat"][2:]
    situation = company.get("situation", {}).get("eu_vies")
    verdict = {"invalid": "INVALID", "unavailable": "MS_UNAVAILABLE"}.get(
        situation, "VALID"
    )
    valid = verdict == "VALID"
    return {
        "isValid": valid,
        "requestDate": f"{today.isoformat()}T08:00:00.000Z",
        "userError": verdict,
        "name": company["name"] if valid else "---",
        "address": f"{company['street']}\n{company['zip']} {company['city']}"
        if valid
        else "---",
        "requestIdentifier": "",
        "originalVatNumber": number,
        "vatNumber": number,
        "countryCode": country,
    }


def krs_extract(company):
    street, number = _split_street(company["street"])
    return {
        "odpis": {
            "rodzaj": "Aktualny",
            "naglowekA": {
                "rejestr": "RejP",
                "numerKRS": company["krs"],
                "dataRejestracjiWKRS": "14.03.2006",
                "stanPozycji": 1,
            },
            "dane": {
                "dzial1": {
                    "danePodmiotu": {
                        "formaPrawna": "SPÓŁKA AKCYJNA"
                        if "S.A." in company["name"]
                        else "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
                        "identyfikatory": {
                            "regon": company["regon"],
                            "nip": company["vat"].removeprefix("PL"),
                        },
                        "nazwa": company["name"].upper(),
                    },
                    "siedzibaIAdres": {
                        "adres": {
                            "ulica": street.upper(),
                            "nrDomu": number,
                            "miejscowosc": company["city"].upper(),
                            "kodPocztowy": company["zip"],
                            "kraj": "POLSKA",
                        }
                    },
                }
            },
        }
    }


def whitelist_answer(company, today, request_id):
    removed = company.get("situation", {}).get("pl_whitelist") == "vat_removed"
    subject = {
        "name": company["name"].upper(),
        "nip": company["vat"].removeprefix("PL"),
        "statusVat": "Niezarejestrowany" if removed else "Czynny",
        "regon": company["regon"],
        "krs": company["krs"],
        "workingAddress": f"{company['street'].upper()}, {company['zip']} "
        f"{company['city'].upper()}",
        "registrationLegalDate": "2006-03-14",
        "removalBasis": "Ustawa o podatku od towarów i usług Art. 96 ust. 9"
        if removed
        else None,
        "removalDate": (today - timedelta(days=40)).isoformat() if removed else None,
        "accountNumbers": [] if removed else list(company.get("accounts", ())),
        "hasVirtualAccounts": False,
    }
    return {
        "result": {
            "subject": subject,
            "requestId": request_id,
            "requestDateTime": today.strftime("%d-%m-%Y") + " 08:00:00",
        }
    }


def answers_for(code, company, today=None, serial=1):
    """``{(method, path): (status, content type, body)}`` for one registry client
    asked about ``company``; empty when the registry does not cover it."""
    today = today or date.today()
    ico, vat, krs = company.get("ico"), company.get("vat") or "", company.get("krs")
    if code == "cz_ares" and ico:
        body = _json(ares_subject(company, today))
        return {("GET", f"/ekonomicke-subjekty/{ico}"): (200, JSON, body)}
    if code == "cz_adis" and vat.startswith("CZ"):
        return {("POST", ""): (200, XML, adis_envelope(company, today))}
    if code == "sk_rpo" and ico:
        entity = rpo_entity(company, 1300000 + serial)
        search = {"results": [entity], "license": entity["license"]}
        return {
            ("GET", "/search"): (200, JSON, _json(search)),
            ("GET", f"/entity/{entity['id']}"): (200, JSON, _json(entity)),
        }
    if code == "pl_krs" and krs:
        return {
            ("GET", f"/api/krs/OdpisAktualny/{krs}"): (
                200,
                JSON,
                _json(krs_extract(company)),
            )
        }
    if code == "pl_whitelist" and vat.startswith("PL"):
        nip = vat.removeprefix("PL")
        body = _json(whitelist_answer(company, today, f"demo-{serial:05d}"))
        return {("GET", f"/api/search/nip/{nip}"): (200, JSON, body)}
    if code == "eu_vies" and vat[:2].isalpha():
        path = f"/ms/{vat[:2]}/vat/{vat[2:]}"
        return {("GET", path): (200, JSON, _json(vies_answer(company, today)))}
    return {}
