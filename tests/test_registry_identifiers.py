"""Offline identifier rules (no network)."""

import pytest
from registry_imports import accounts, applicable, identifiers, verdict


@pytest.mark.parametrize(
    ("validator", "value", "expected"),
    [
        (identifiers.validate_ico, "45274649", "45274649"),
        (identifiers.validate_ico, "27 082 440", "27082440"),
        (identifiers.validate_ico, "121100", "00121100"),
        (identifiers.validate_ico, "31333532", "31333532"),
        (identifiers.validate_cz_dic, "CZ45274649", "CZ45274649"),
        (identifiers.validate_cz_dic, "CZ699001182", "CZ699001182"),
        (identifiers.validate_sk_dic, "2020317068", "2020317068"),
        (identifiers.validate_sk_icdph, "SK2020317068", "SK2020317068"),
        (identifiers.validate_pl_nip, "774-000-14-54", "7740001454"),
        (identifiers.validate_pl_regon, "610188201", "610188201"),
        (identifiers.validate_pl_krs, "121862", "0000121862"),
        (identifiers.validate_mk_edb, "MK4030000375897", "4030000375897"),
        (identifiers.validate_mk_embs, "07012345", "7012345"),
        (identifiers.validate_eu_vat, "PL7740001454", "PL7740001454"),
    ],
)
def test_valid_identifiers(validator, value, expected):
    assert validator(value) == expected


@pytest.mark.parametrize(
    ("validator", "value", "kind"),
    [
        (identifiers.validate_ico, "12345678", "ico"),
        (identifiers.validate_ico, "1234567890", "ico"),
        (identifiers.validate_ico, "4527464A", "ico"),
        (identifiers.validate_cz_dic, "CZ45274640", "cz_dic"),
        (identifiers.validate_sk_dic, "2020317069", "sk_dic"),
        (identifiers.validate_sk_icdph, "SK2020317069", "sk_icdph"),
        (identifiers.validate_pl_nip, "7740001455", "pl_nip"),
        (identifiers.validate_pl_regon, "12070569600000", "pl_regon"),
        (identifiers.validate_pl_krs, "00001218621", "pl_krs"),
        (identifiers.validate_mk_edb, "4030000375898", "mk_edb"),
        (identifiers.validate_eu_vat, "MK4030000375897", "eu_vat"),
    ],
)
def test_invalid_identifiers_name_their_rule(validator, value, kind):
    with pytest.raises(identifiers.InvalidIdentifier) as info:
        validator(value)
    assert info.value.kind == kind
    assert info.value.rule == identifiers.RULES[kind]


def test_krs_regon_is_truncated_to_nine_digits():
    assert identifiers.regon9("12070569600000") == "120705696"
    assert identifiers.validate_pl_regon(identifiers.regon9("12070569600000"))


def test_company_registry_rules_per_country():
    assert identifiers.validate_company_registry("CZ", "45274649") == "45274649"
    assert identifiers.validate_company_registry("PL", "0000121862") == "0000121862"
    assert identifiers.validate_company_registry("PL", "610188201") == "610188201"
    assert identifiers.validate_company_registry("DE", "HRB 1234") is None
    with pytest.raises(identifiers.InvalidIdentifier):
        identifiers.validate_company_registry("SK", "12345678")
    with pytest.raises(identifiers.InvalidIdentifier):
        identifiers.validate_company_registry("PL", "610188202")


def test_czech_domestic_account_becomes_iban():
    # ČEZ publishes 19-2808601/0100 in ADIS.
    iban = accounts.normalise("19-2808601/0100")
    assert iban == "CZ3501000000190002808601"
    assert accounts.normalise("CZ35 0100 0000 1900 0280 8601") == iban
    assert accounts.normalise("82 2490 0005 0000 4600 3809 9095").startswith("PL")


def _snap(provider="cz_adis", outcome="found", **values):
    values.setdefault("published_accounts", set())
    return dict(provider=provider, outcome=outcome, **values)


def test_summary_status_order():
    assert verdict.reasons([])[0] == verdict.UNKNOWN
    assert verdict.reasons([_snap()])[0] == verdict.OK
    assert verdict.reasons([_snap(outcome="not_found")])[0] == verdict.WARNING
    # An outage wins over a warning, a risk wins over everything.
    mixed = [_snap(outcome="not_found"), _snap("eu_vies", "unknown")]
    assert verdict.reasons(mixed)[0] == verdict.UNKNOWN
    risky = mixed + [_snap("cz_ares", legal_status="in_liquidation")]
    status, found = verdict.reasons(risky)
    assert status == verdict.RISK
    assert {
        "level": "risk",
        "code": "in_liquidation",
        "provider": "cz_ares",
        "risk": verdict.RISK_LIQUIDATION,
        "params": {},
        "provider_id": None,
    } in found


def test_changes_only_from_found_answers():
    old = _snap(
        unreliable_vat_payer=False, vat_payer=True, published_accounts={"A", "B"}
    )
    new = _snap(unreliable_vat_payer=True, vat_payer=False, published_accounts={"B"})
    assert verdict.changes(old, new) == [
        ("unreliable", None),
        ("vat_cancelled", None),
        ("account_unpublished", "A"),
    ]
    assert verdict.changes(old, _snap(outcome="unknown")) == []
    assert verdict.changes(None, new) == []
    assert verdict.changes(new, new) == []


def test_applicable_registries_per_country():
    assert applicable.queries_for("CZ", "CZ45274649", "45274649") == {
        "cz_ares": "45274649",
        "cz_adis": "45274649",
        "cz_isir": "45274649",
        "eu_vies": "CZ45274649",
    }
    assert applicable.queries_for("SK", "SK2020317068", "31 333 532") == {
        "sk_rpo": "31333532",
        "sk_replik": "31333532",
        "sk_financna_sprava": "31333532",
        "eu_vies": "SK2020317068",
    }
    assert applicable.queries_for("PL", "PL5260202393", "0000121862") == {
        "pl_krs": "0000121862",
        "pl_whitelist": "5260202393",
        "pl_gus_regon": "5260202393",
        "eu_vies": "PL5260202393",
    }
    # A sole trader without KRS: GUS by NIP, or by REGON when there is no NIP.
    assert applicable.queries_for("PL", False, "810528352") == {
        "pl_gus_regon": "810528352"
    }
    assert applicable.queries_for("CZ", "CZ45274649", False)["cz_ares"] == "45274649"
    assert "cz_ares" not in applicable.queries_for("CZ", "CZ7103192745", False)
    # North Macedonia: a registry read by a person, never asked over the network.
    assert applicable.queries_for("MK", "MK4030000375897", "7012345") == {
        "mk_crm": "7012345"
    }
    assert applicable.queries_for(False, "EL094014201", False) == {
        "eu_vies": "EL094014201"
    }


def test_vat_register_losing_the_payer_is_a_cancellation():
    old = _snap(vat_payer=True)
    assert verdict.changes(old, _snap(outcome="not_found")) == [("vat_cancelled", None)]
    assert verdict.changes(old, _snap("cz_ares", outcome="not_found")) == []
    assert verdict.changes(_snap(vat_payer=False), _snap(outcome="not_found")) == []
