"""Every registry client against the loopback replay server (no real registry)."""

import datetime

import pytest
from registry_imports import accounts, http, registries, registry_replay, result
from stdnum import iban as stdnum_iban

FAST = ((10000, 1.0),)  # the replay server has no rate limit worth pacing for
TODAY = datetime.date(2026, 11, 2)
OUTAGES = ["http_500", "http_503", "http_429", "slow", "garbage", "error_200"]


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


QUERIES = {
    "cz_ares": "45274649",
    "cz_adis": "CZ45274649",
    "cz_isir": "25083325",
    "sk_rpo": "31333532",
    "sk_replik": "46200045",
    "sk_financna_sprava": "46200029",
    "pl_whitelist": "5260202393",
    "pl_krs": "0000121862",
    "pl_gus_regon": "5790004488",
    "eu_vies": "CZ45274649",
}
CREDENTIALS = {
    "sk_financna_sprava": {"api_key": registry_replay.server.FS_KEY},
    "pl_gus_regon": {"api_key": registry_replay.server.GUS_KEY},
}


def lookup(replay, code):
    return client(replay, code, credentials=CREDENTIALS.get(code)).lookup(
        QUERIES[code], today=TODAY
    )


def test_every_client_is_declared_and_answers_found(replay):
    # One interface: every client module declares itself; each finds its fixture.
    assert set(registries.CLIENTS) == set(QUERIES)
    for code in QUERIES:
        answer = lookup(replay, code)
        assert answer.outcome == result.FOUND, (code, answer.error_message)
        assert answer.raw, code


# -- ARES --------------------------------------------------------------------
def test_ares_found(replay):
    found = client(replay, "cz_ares").lookup("45274649", today=TODAY)
    assert found.outcome == result.FOUND
    assert found.name == "ČEZ, a. s."
    assert found.legal_status == result.ACTIVE
    assert found.legal_form == "Akciová společnost"
    assert (found.street, found.city, found.zip) == ("Duhová 1444/2", "Praha", "14000")
    assert found.identifiers == {"ico": "45274649", "vat": "CZ45274649"}
    assert found.content_type == "application/json"
    assert b'"obchodniJmeno"' in found.raw
    [request] = replay.requests_to("cz_ares")
    assert request["path"] == "/ekonomicke-subjekty/45274649"


def test_ares_not_found_and_bad_checksum_is_404_not_400(replay):
    missing = client(replay, "cz_ares").lookup("12345678")
    assert missing.outcome == result.NOT_FOUND
    assert missing.error_message == "Ekonomický subjekt nenalezen"


def test_ares_input_error_is_unknown(replay):
    answer = client(replay, "cz_ares").lookup("4527464A")
    assert answer.outcome == result.UNKNOWN
    assert "CHYBA_VSTUPU" in answer.error_message


def test_ares_liquidation_and_dissolution(replay):
    ares = client(replay, "cz_ares")
    assert ares.lookup("26000008", today=TODAY).legal_status == result.IN_LIQUIDATION
    dissolved = ares.lookup("26000016", today=TODAY)
    assert dissolved.legal_status == result.DISSOLVED
    assert dissolved.vat_cancelled is True
    # A future end of existence is not a dissolution yet.
    assert ares.lookup("26000024", today=TODAY).legal_status == result.ACTIVE


def test_ares_bulk_search_splits_by_hundred(replay):
    icos = ["45274649", "00121100", "12345678"] + [f"{n:08d}" for n in range(150)]
    answers = client(replay, "cz_ares").lookup_many(icos, today=TODAY)
    assert answers["45274649"].outcome == result.FOUND
    assert answers["00121100"].name == "LIDRU, a.s."
    assert answers["12345678"].outcome == result.NOT_FOUND
    assert b'"pocetCelkem"' in answers["45274649"].raw
    posts = replay.requests_to("cz_ares")
    assert [r["method"] for r in posts] == ["POST", "POST"]
    assert all(r["path"] == "/ekonomicke-subjekty/vyhledat" for r in posts)


def test_ares_bulk_outage_is_unknown_for_every_ico(replay):
    replay.scenarios["cz_ares"] = "http_503"
    answers = client(replay, "cz_ares").lookup_many(["45274649", "12345678"])
    assert {a.outcome for a in answers.values()} == {result.UNKNOWN}


# -- ADIS --------------------------------------------------------------------
def test_adis_mixed_batch(replay):
    adis = client(replay, "cz_adis")
    answers = adis.lookup_many(
        ["CZ45274649", "00121100", "699001182", "00101494", "45317054"]
    )
    cez = answers["45274649"]
    assert cez.outcome == result.FOUND
    assert cez.vat_payer is True and cez.unreliable_vat_payer is False
    assert cez.name == "ČEZ, A. S."
    assert "CZ3501000000190002808601" in cez.published_accounts
    assert "CZ6426000000002001268200" in cez.published_accounts
    assert len(cez.bank_accounts) == 6
    lidru = answers["00121100"]
    assert lidru.unreliable_vat_payer is True
    assert answers["699001182"].vat_payer is True  # VAT group
    assert answers["00101494"].vat_payer is False  # identified person only
    assert answers["45317054"].outcome == result.NOT_FOUND
    [request] = replay.requests_to("cz_adis")
    assert request["headers"]["SOAPAction"].endswith(
        "getStatusNespolehlivySubjektRozsirenyV2"
    )
    assert request["headers"]["Content-Type"].startswith("text/xml")
    assert b"<roz:dic>45274649</roz:dic>" in request["body"]  # no CZ prefix


def test_adis_ended_account_is_not_published(replay):
    replay.variants[("cz_adis", "45274649")] = "ended"
    cez = client(replay, "cz_adis").lookup("CZ45274649")
    ended = accounts.normalise("71504011/0100")
    assert stdnum_iban.is_valid(ended)
    assert cez.ended_accounts == {ended}
    assert ended not in cez.published_accounts
    assert accounts.normalise("2001260209/2600") in cez.published_accounts


def test_adis_batches_of_hundred(replay):
    dics = [f"{n:08d}" for n in range(230)]
    answers = client(replay, "cz_adis").lookup_many(dics)
    assert len(answers) == 230
    assert {a.outcome for a in answers.values()} == {result.NOT_FOUND}
    assert len(replay.requests_to("cz_adis")) == 3


def test_adis_status_code_2_is_unknown(replay):
    replay.scenarios["cz_adis"] = "error_200"
    answer = client(replay, "cz_adis").lookup("45274649")
    assert answer.outcome == result.UNKNOWN
    assert "statusCode 2" in answer.error_message
    assert answer.content_type.startswith("text/xml")


def test_adis_soap_fault_is_unknown(replay):
    replay.scenarios["cz_adis"] = "http_500"
    answer = client(replay, "cz_adis").lookup("45274649")
    assert answer.outcome == result.UNKNOWN
    assert "SOAP fault" in answer.error_message


# -- RPO ---------------------------------------------------------------------
def test_rpo_search_then_entity(replay):
    eset = client(replay, "sk_rpo").lookup("31333532", today=TODAY)
    assert eset.outcome == result.FOUND
    assert eset.name == "ESET, spol. s r.o."
    assert eset.legal_form == "Spoločnosť s ručením obmedzeným"
    assert (eset.street, eset.zip) == ("Einsteinova 24", "85101")
    assert eset.country_code == "SK"
    paths = [r["path"] for r in replay.requests_to("sk_rpo")]
    assert paths == ["/search", "/entity/937053"]
    assert replay.requests_to("sk_rpo")[0]["query"] == {"identifier": "31333532"}


def test_rpo_liquidation_from_current_name(replay):
    answer = client(replay, "sk_rpo").lookup("36421928", today=TODAY)
    assert answer.legal_status == result.IN_LIQUIDATION
    assert answer.name.endswith("v likvidácii")


def test_rpo_empty_results_is_not_found(replay):
    assert client(replay, "sk_rpo").lookup("36451207").outcome == result.NOT_FOUND


# -- white list --------------------------------------------------------------
def test_whitelist_found_with_request_id(replay):
    answer = client(replay, "pl_whitelist").lookup("9512381607", today=TODAY)
    assert answer.outcome == result.FOUND
    assert answer.vat_payer is True and answer.vat_cancelled is False
    assert answer.request_id.startswith("replay-")
    assert answer.published_accounts == {"PL82249000050000460038099095"}
    assert (answer.street, answer.zip, answer.city) == (
        "PROSTA 67",
        "00-838",
        "WARSZAWA",
    )
    assert replay.requests_to("pl_whitelist")[0]["query"] == {"date": "2026-11-02"}


def test_whitelist_subject_null_is_not_found(replay):
    answer = client(replay, "pl_whitelist").lookup("7740001454")
    assert answer.outcome == result.NOT_FOUND
    assert answer.request_id


def test_whitelist_removed_from_register(replay):
    replay.variants[("pl_whitelist", "5260202393")] = "removed"
    answer = client(replay, "pl_whitelist").lookup("5260202393")
    assert answer.vat_payer is False and answer.vat_cancelled is True
    assert not answer.published_accounts


def test_whitelist_bad_nip_error_code_is_unknown(replay):
    answer = client(replay, "pl_whitelist").lookup("1234567890")
    assert answer.outcome == result.UNKNOWN
    assert "WL-115" in answer.error_message


def test_whitelist_daily_limit(replay, monkeypatch):
    body = registry_replay.server.FIXTURES / "pl_whitelist" / "WL-191.json"
    monkeypatch.setattr(
        registry_replay.ReplayServer,
        "_pl_whitelist",
        lambda self, *a: registry_replay.server.Reply(400, body.read_bytes()),
    )
    answer = client(replay, "pl_whitelist").lookup("9512381607")
    assert answer.outcome == result.UNKNOWN
    assert "WL-191" in answer.error_message and "daily" in answer.error_message


def test_whitelist_check_account(replay):
    wl = client(replay, "pl_whitelist")
    assert wl.check_account("5260202393", "61109010140000071219812874") is True
    assert wl.check_account("5260202393", "PL10105000997603123456789123") is False
    replay.scenarios["pl_whitelist"] = "http_503"
    assert wl.check_account("5260202393", "61109010140000071219812874") is None


# -- KRS ---------------------------------------------------------------------
def test_krs_found_regon_truncated(replay):
    answer = client(replay, "pl_krs").lookup("121862")
    assert answer.outcome == result.FOUND
    assert answer.identifiers["regon"] == "002003764"
    assert answer.identifiers["nip"] == "5260202393"
    assert answer.legal_status == result.ACTIVE
    assert (answer.street, answer.zip) == ("UL. INFLANCKA 4A", "00-189")


def test_krs_liquidation_in_register_s(replay):
    answer = client(replay, "pl_krs").lookup("0000500000")
    assert answer.legal_status == result.IN_LIQUIDATION
    queries = [r["query"]["rejestr"] for r in replay.requests_to("pl_krs")]
    assert queries == ["P", "S"]


def test_krs_not_in_either_register(replay):
    assert client(replay, "pl_krs").lookup("0000000001").outcome == result.NOT_FOUND


# -- VIES --------------------------------------------------------------------
def test_vies_valid_and_invalid(replay):
    vies = client(replay, "eu_vies")
    valid = vies.lookup("CZ45274649")
    assert valid.outcome == result.FOUND
    assert valid.name == "ČEZ, a. s."
    assert valid.address == "Duhová 1444/2, PRAHA 4 - MICHLE, 140 00  PRAHA 4"
    undisclosed = vies.lookup("PL5260202393")
    assert undisclosed.outcome == result.FOUND and undisclosed.name is None
    invalid = vies.lookup("CZ11111111")
    assert invalid.outcome == result.NOT_FOUND


def test_vies_consultation_number_with_requester(replay):
    vies = client(replay, "eu_vies", credentials={"requester_vat": "SK2020317068"})
    answer = vies.lookup("CZ45274649")
    assert answer.outcome == result.FOUND
    assert answer.request_id == "WAPIAAAAaEDkvhHx"
    [request] = replay.requests_to("eu_vies")
    assert request["method"] == "POST"


def test_vies_ms_unavailable_is_not_an_answer(replay):
    replay.scenarios["eu_vies"] = "error_200"
    answer = client(replay, "eu_vies").lookup("CZ45274649")
    assert answer.outcome == result.UNKNOWN
    assert "MS_UNAVAILABLE" in answer.error_message


def test_vies_error_wrappers(replay):
    answer = client(replay, "eu_vies", credentials={"requester_vat": "XX"}).lookup(
        "CZ45274649"
    )
    assert answer.outcome == result.UNKNOWN


# -- every registry, every outage --------------------------------------------
@pytest.mark.parametrize("code", sorted(registries.CLIENTS))
@pytest.mark.parametrize("scenario", OUTAGES)
def test_outage_is_unknown_never_not_found(replay, code, scenario):
    replay.scenarios[code] = scenario
    answer = lookup(replay, code)
    assert answer.outcome == result.UNKNOWN, answer
    assert answer.error_message
    assert answer.error_kind in {
        result.UNREACHABLE,
        result.RATE_LIMITED,
        result.REFUSED,
        result.MALFORMED,
        result.MAINTENANCE,
    }
    if scenario == "slow":
        assert "within 0.5 s" in answer.error_message
    if scenario == "http_429":
        assert "429" in answer.error_message
        assert answer.error_kind == result.RATE_LIMITED


@pytest.mark.parametrize("code", sorted(registries.CLIENTS))
def test_tls_failure_is_unknown(replay, code):
    base = replay.base_url(code).replace("http://", "https://")
    answer = registries.CLIENTS[code](
        base_url=base, timeout=2, rate_limits=FAST, credentials=CREDENTIALS.get(code)
    )
    answer = answer.lookup(QUERIES[code])
    assert answer.outcome == result.UNKNOWN
    assert "TLS" in answer.error_message
    assert answer.error_kind == result.UNREACHABLE


def test_rate_limiter_waits_then_refuses():
    now = [0.0]
    slept = []
    limiter = http.RateLimiter(2, 10.0, max_wait=5.0, clock=lambda: now[0])

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter.acquire(sleep)
    now[0] = 6.0
    limiter.acquire(sleep)
    limiter.acquire(sleep)  # waits 4 s for the first slot
    assert slept == [4.0]
    with pytest.raises(http.RegistryUnavailable):
        limiter.acquire(sleep)  # next slot 6 s away: more than max_wait


def test_whitelist_bulk_search_by_thirty(replay):
    nips = ["9512381607", "5260202393", "7740001454", "1234567890"]
    nips += [f"{n:010d}" for n in range(40)]
    answers = client(replay, "pl_whitelist").lookup_many(nips, today=TODAY)
    assert answers["9512381607"].outcome == result.FOUND
    assert answers["5260202393"].name.startswith("JEDEN")
    assert answers["7740001454"].outcome == result.NOT_FOUND
    bad = answers["1234567890"]
    assert bad.outcome == result.UNKNOWN and "WL-115" in bad.error_message
    requests = replay.requests_to("pl_whitelist")
    assert [r["path"].count(",") + 1 for r in requests] == [30, 14]
    assert answers["9512381607"].request_id == answers["1234567890"].request_id


def test_whitelist_bulk_outage(replay):
    replay.scenarios["pl_whitelist"] = "http_429"
    answers = client(replay, "pl_whitelist").lookup_many(["9512381607", "5260202393"])
    assert {a.outcome for a in answers.values()} == {result.UNKNOWN}


def test_ares_wrong_endpoint_is_unknown(replay):
    ares = registries.CLIENTS["cz_ares"](
        base_url=replay.url + "/cz_ares/wrong", timeout=0.5, rate_limits=FAST
    )
    answer = ares.lookup("45274649")
    assert answer.outcome == result.UNKNOWN
    assert "wrong endpoint" in answer.error_message
