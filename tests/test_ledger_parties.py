"""Plain-Python checks of who a ledger print names (identifiers, reference)."""

from datetime import date

from addon_modules import load_module

parties = load_module("services/ledger_parties.py")


def test_slovak_company_has_ico_dic_and_ic_dph():
    assert parties.identifiers("SK", "31 333 532", "SK2020317068") == [
        ("ico", "31 333 532"),
        ("dic", "2020317068"),
        ("icdph", "SK2020317068"),
    ]


def test_slovak_dic_stored_apart_wins_and_no_vat_payer_keeps_it():
    assert parties.identifiers("sk", "31333532", None, tax_id="2020317068") == [
        ("ico", "31333532"),
        ("dic", "2020317068"),
    ]


def test_czech_polish_macedonian_and_other_identifiers():
    assert parties.identifiers("CZ", "45274649", "CZ45274649") == [
        ("ico", "45274649"),
        ("dic", "CZ45274649"),
    ]
    assert parties.identifiers("PL", "0000121862", "PL5260202393") == [
        ("nip", "5260202393"),
        ("krs", "0000121862"),
    ]
    assert parties.identifiers("PL", "012345678", "PL5260202393")[1][0] == "regon"
    assert parties.identifiers("MK", "4030000", "MK4030000000000") == [
        ("embs", "4030000"),
        ("edb", "MK4030000000000"),
    ]
    assert parties.identifiers("DE", "HRB 1234", "DE123456789") == [
        ("company_id", "HRB 1234"),
        ("vat", "DE123456789"),
    ]
    assert parties.identifiers(None, None, None) == []


def test_reference_is_stable_and_tells_prints_apart():
    day = date(2026, 3, 15)
    confirmation = parties.reference("confirmation", 1, 42, None, day)
    assert confirmation == "BC-1-000042-20260315"
    assert parties.reference("confirmation", 1, 42, None, day) == confirmation
    assert parties.reference("confirmation", 1, 42, None, date(2026, 3, 16)) != (
        confirmation
    )
    assert parties.reference("confirmation", 2, 42, None, day) != confirmation
    assert (
        parties.reference("statement", 1, 42, date(2026, 1, 1), date(2026, 12, 31))
        == "ST-1-000042-20260101-20261231"
    )
