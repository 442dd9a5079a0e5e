"""Insolvency, tax-office and sole-trader registries against the replay server."""

import datetime
import re

import pytest
from registry_imports import registries, registry_replay, result, verdict

FAST = ((10000, 1.0),)
TODAY = datetime.date(2026, 11, 30)
FS_KEY = registry_replay.server.FS_KEY
GUS_KEY = registry_replay.server.GUS_KEY


@pytest.fixture(scope="module")
def replay():
    with registry_replay.ReplayServer(slow_seconds=1.5) as server:
        yield server


@pytest.fixture(autouse=True)
def _reset(replay):
    replay.reset()


def client(replay, code, **kwargs):
    kwargs.setdefault("timeout", 0.5)
    return registries.CLIENTS[code](
        base_url=replay.base_url(code), rate_limits=FAST, **kwargs
    )


# -- ISIR ---------------------------------------------------------------------
def test_isir_bankruptcy_is_current_and_insolvent(replay):
    answer = client(replay, "cz_isir").lookup("25083325", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.legal_status == result.INSOLVENT
    [proceeding] = answer.findings
    assert proceeding.kind == result.BANKRUPTCY and proceeding.active
    assert proceeding.state == "KONKURS"
    assert proceeding.file_number == "95 INS 12575/2022"
    assert proceeding.court == "Městský soud v Praze"
    assert proceeding.started == "2022-09-13"
    assert proceeding.url.startswith("https://isir.justice.cz/")
    [request] = replay.requests_to("cz_isir")
    # The operation's element order is enforced by ISIR.
    assert b"<ic>25083325</ic><maxPocetVysledku>" in request["body"]
    assert b"<filtrAktualniRizeni>F</filtrAktualniRizeni>" in request["body"]
    assert request["headers"]["SOAPAction"] == '""'


def test_isir_ended_proceeding_is_history_not_risk(replay):
    answer = client(replay, "cz_isir").lookup("26000041", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.legal_status == result.STATUS_UNKNOWN
    [old] = answer.findings
    assert not old.active and old.ended == "2019-11-20"
    status, reasons = verdict.reasons([verdict.snapshot_of(answer)])
    assert status == verdict.OK and not reasons


def test_isir_new_moratorium_next_to_history(replay):
    replay.variants[("cz_isir", "26000041")] = "moratorium"
    answer = client(replay, "cz_isir").lookup("26000041", today=TODAY)
    kinds = {(f.kind, f.active) for f in answer.findings}
    assert kinds == {(result.INSOLVENCY, False), (result.MORATORIUM, True)}
    assert answer.legal_status == result.INSOLVENT


def test_isir_no_record_is_clean_not_a_warning(replay):
    answer = client(replay, "cz_isir").lookup("45274649", today=TODAY)
    assert answer.outcome == result.NOT_FOUND
    status, reasons = verdict.reasons([verdict.snapshot_of(answer)])
    assert status == verdict.OK and not reasons


def test_isir_error_codes(replay):
    refused = client(replay, "cz_isir").lookup("4527464A", today=TODAY)
    assert refused.outcome == result.UNKNOWN
    assert "WS1" in refused.error_message and refused.error_kind == result.REFUSED
    replay.scenarios["cz_isir"] = "error_200"
    down = client(replay, "cz_isir").lookup("25083325", today=TODAY)
    assert down.outcome == result.UNKNOWN and "WS4" in down.error_message
    assert down.error_kind == result.UNREACHABLE


# -- IS REPLIK ------------------------------------------------------------------
def test_replik_current_bankruptcy_and_ended_restructuring(replay):
    answer = client(replay, "sk_replik").lookup("46200045", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.legal_status == result.INSOLVENT
    current, ended = answer.findings
    assert (current.kind, current.active, current.file_number) == (
        result.BANKRUPTCY,
        True,
        "31K/18/2026",
    )
    assert current.administrator == "Kováčová Eva, JUDr."
    assert (ended.kind, ended.active, ended.ended) == (
        result.REORGANISATION,
        False,
        "2022-05-30",
    )
    [request] = replay.requests_to("sk_replik")
    assert b"getKonaniePodlaICORequest" in request["body"]
    assert b"<dat:Ico>46200045</dat:Ico>" in request["body"]


def test_replik_stopped_liquidation_is_history(replay):
    answer = client(replay, "sk_replik").lookup("34140469", today=TODAY)
    [liquidation] = answer.findings
    assert liquidation.kind == result.LIQUIDATION and not liquidation.active
    assert answer.legal_status == result.STATUS_UNKNOWN


def test_replik_nothing_and_faults(replay):
    assert client(replay, "sk_replik").lookup("31333532").outcome == result.NOT_FOUND
    refused = client(replay, "sk_replik").lookup("3133353A")
    assert refused.outcome == result.UNKNOWN and refused.error_kind == result.REFUSED
    assert "SOAP fault" in refused.error_message


# -- Finančná správa -------------------------------------------------------------
def fs(replay, key=FS_KEY):
    return client(replay, "sk_financna_sprava", credentials={"api_key": key})


def test_fs_payer_with_grounds_for_deregistration(replay):
    answer = fs(replay).lookup("46200029", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.vat_payer is True
    assert answer.unreliable_vat_payer is True
    [grounds] = answer.findings
    assert grounds.kind == result.UNRELIABLE_VAT and grounds.as_of == "2026-09-01"
    assert answer.published_accounts == {"SK8975000000000012345671"}
    assert answer.identifiers == {"ico": "46200029", "vat": "SK2020000004"}
    searched = {(r["path"], r["query"].get("column")) for r in replay.requests}
    assert ("/data/ds_dphz/search", "ico") in searched
    assert all(r["headers"]["key"] == FS_KEY for r in replay.requests)
    status, reasons = verdict.reasons([verdict.snapshot_of(answer)])
    assert status == verdict.RISK
    assert [(r["code"], r["risk"]) for r in reasons] == [
        ("vat_grounds", verdict.RISK_UNRELIABLE_VAT)
    ]


def test_fs_tax_debtor_by_name_and_zip_only_in_the_same_town(replay):
    answer = fs(replay).lookup("46200037", today=TODAY)
    [debt] = answer.findings
    assert debt.kind == result.DEBTOR
    assert debt.amount == 8765.40 and debt.as_of == "2026-10-31"
    assert debt.match == result.MATCH_NAME_ZIP
    # The similar name in Poprad (058 01) is another company.
    assert debt.listed_zip == "080 01"
    [search] = [r for r in replay.requests if r["path"] == "/data/ds_dsdd/search"]
    assert search["query"] == {
        "page": "1",
        "column": "nazov_subjektu",
        "search": "Drevo Prešov",
    }


def test_fs_clean_payer_and_unknown_company(replay):
    eset = fs(replay).lookup("31333532", today=TODAY)
    assert eset.outcome == result.FOUND and eset.vat_payer is True
    assert eset.unreliable_vat_payer is False and not eset.findings
    nobody = fs(replay).lookup("36421928", today=TODAY)
    assert nobody.outcome == result.NOT_FOUND and nobody.vat_payer is False


def test_fs_without_key_is_not_configured_and_asks_nothing(replay):
    answer = client(replay, "sk_financna_sprava").lookup("46200029")
    assert answer.outcome == result.UNKNOWN
    assert answer.error_kind == result.NOT_CONFIGURED
    assert not replay.requests


def test_fs_wrong_key_is_refused(replay):
    answer = fs(replay, "wrong").lookup("46200029")
    assert answer.outcome == result.UNKNOWN and answer.error_kind == result.REFUSED
    assert answer.http_status == 401


# -- GUS BIR --------------------------------------------------------------------
def gus(replay, key=GUS_KEY):
    return client(replay, "pl_gus_regon", credentials={"api_key": key})


def test_gus_sole_trader(replay):
    answer = gus(replay).lookup("5790004488", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.name == 'Przedsiębiorstwo Handlowo Usługowe "ELRO" Elżbieta Pufal'
    assert (answer.city, answer.zip, answer.street) == ("Grobelno", "82-200", "8")
    assert answer.legal_status == result.ACTIVE
    assert answer.activity_suspended is False
    assert answer.identifiers["regon"] == "810528352"
    operations = [
        re.search(rb"<soap:Body><ns:(\w+)>", r["body"]).group(1)
        for r in replay.requests
    ]
    assert operations == [b"Zaloguj", b"DaneSzukajPodmioty", b"DanePobierzPelnyRaport"]
    # Every call after the login carries the session id.
    assert all(r["headers"].get("sid") for r in replay.requests[1:])
    assert replay.requests[0]["headers"]["Content-Type"].startswith(
        "application/soap+xml"
    )


def test_gus_suspended_business_is_a_warning(replay):
    replay.variants[("pl_gus_regon", "810528352")] = "suspended"
    answer = gus(replay).lookup("5790004488", today=TODAY)
    assert answer.activity_suspended is True
    status, reasons = verdict.reasons([verdict.snapshot_of(answer)])
    assert status == verdict.WARNING
    assert [r["code"] for r in reasons] == ["suspended"]


def test_gus_not_found_and_keys(replay):
    assert gus(replay).lookup("7740001454").outcome == result.NOT_FOUND
    refused = gus(replay, "wrong").lookup("5790004488")
    assert refused.outcome == result.UNKNOWN and refused.error_kind == result.REFUSED
    missing = client(replay, "pl_gus_regon").lookup("5790004488")
    assert missing.error_kind == result.NOT_CONFIGURED


def test_gus_logs_in_again_when_the_session_expired(replay):
    bir = gus(replay)
    bir._sid = "expired-session"
    answer = bir.lookup("5790004488", today=TODAY)
    assert answer.outcome == result.FOUND
    assert b"Zaloguj" in replay.requests[1]["body"]


# -- KRS section 6 ------------------------------------------------------------------
def test_krs_liquidation_is_a_structured_finding(replay):
    answer = client(replay, "pl_krs").lookup("0000500000")
    liquidation, dissolution = answer.findings
    assert liquidation.kind == dissolution.kind == result.LIQUIDATION
    assert dissolution.state == "ROZWIAZANIE"
    assert liquidation.active
    assert liquidation.state == "OSWIADCZENIE FUNDATORA, 15.01.2026"
    assert liquidation.started == "2026-01-15"
    status, reasons = verdict.reasons([verdict.snapshot_of(answer)])
    assert status == verdict.RISK
    assert {r["risk"] for r in reasons} == {verdict.RISK_LIQUIDATION}


def test_krs_section6_bankruptcy_entry():
    section6 = {
        "postepowanieUpadlosciowe": [
            {
                "sygnaturaAktSprawy": "WA1M/GU/123/26",
                "oznaczenieSadu": "SĄD REJONOWY DLA M.ST. WARSZAWY",
                "dataPostanowienia": "03.03.2026",
            }
        ],
        "likwidacja": [
            {
                "otwarcieLikwidacji": "UCHWAŁA, 01.02.2020",
                "zakonczenieLikwidacji": "02.02.2021",
            }
        ],
    }
    findings = registries.pl_krs.section6_findings(section6)
    bankruptcy = next(f for f in findings if f.kind == result.BANKRUPTCY)
    assert bankruptcy.active and bankruptcy.file_number == "WA1M/GU/123/26"
    assert bankruptcy.started == "2026-03-03"
    liquidation = next(f for f in findings if f.kind == result.LIQUIDATION)
    assert not liquidation.active and liquidation.ended == "2021-02-02"
    assert result.legal_status_of(findings) == result.INSOLVENT
