"""Plain pytest for the campaign maths and the exhibition CSV reader (no Odoo)."""

from datetime import datetime

import pytest
from addon_modules import load_module

maths = load_module("services/campaign_maths.py")
csvreader = load_module("services/campaign_csv.py")

JAN, FEB, MAR, APR = (datetime(2026, month, 10) for month in (1, 2, 3, 4))
MAILING, FAIR, CALLS = 11, 22, 33


def test_rates_cost_and_roi():
    # 8 members, 2 responses: 25 %; cost 1000 -> 500 per response;
    # revenue 2500 -> ROI (2500 - 1000) / 1000 = 1.5.
    assert maths.response_rate(2, 8) == 0.25
    assert maths.response_rate(0, 0) == 0.0
    assert maths.cost_per_response(1000, 2) == 500
    assert maths.cost_per_response(1000, 0) == 0.0
    assert maths.roi(2500, 1000) == 1.5
    assert maths.roi(500, 1000) == -0.5
    assert maths.roi(500, 0) == 0.0


def test_rates_by_channel_add_up_to_the_overall_rate():
    rates = maths.rates_by(["email", "email", "stand"], 12)
    assert rates == {"email": 2 / 12, "stand": 1 / 12}
    assert sum(rates.values()) == pytest.approx(maths.response_rate(3, 12))


@pytest.fixture
def three_touches():
    # Responded to the mailing in January, the fair in February, calls in March.
    return [
        maths.Touch(FAIR, FEB),
        maths.Touch(CALLS, MAR),
        maths.Touch(MAILING, JAN),
    ]


def test_first_touch(three_touches):
    assert maths.attribute(9000, three_touches, maths.FIRST_TOUCH) == {MAILING: 9000}


def test_last_touch(three_touches):
    assert maths.attribute(9000, three_touches, maths.LAST_TOUCH) == {CALLS: 9000}


def test_linear(three_touches):
    shares = maths.attribute(1000, three_touches, maths.LINEAR)
    assert shares[MAILING] == pytest.approx(333.3333333)
    assert shares[FAIR] == pytest.approx(333.3333333)
    assert shares[CALLS] == pytest.approx(333.3333334)
    assert sum(shares.values()) == 1000


def test_touches_after_the_win_do_not_count(three_touches):
    won_on = datetime(2026, 2, 20)
    assert maths.attribute(900, three_touches, maths.LAST_TOUCH, until=won_on) == {
        FAIR: 900
    }
    assert maths.attribute(900, three_touches, maths.LINEAR, until=won_on) == {
        MAILING: 450,
        FAIR: 450,
    }
    assert maths.attribute(900, three_touches, maths.FIRST_TOUCH, until=JAN) == {
        MAILING: 900
    }
    assert (
        maths.attribute(900, three_touches, maths.LINEAR, until=datetime(2025, 1, 1))
        == {}
    )


def test_same_campaign_twice_counts_once():
    touches = [
        maths.Touch(MAILING, JAN),
        maths.Touch(MAILING, MAR),
        maths.Touch(FAIR, FEB),
    ]
    assert maths.attribute(100, touches, maths.LINEAR) == {MAILING: 50, FAIR: 50}
    assert maths.attribute(100, touches, maths.LAST_TOUCH) == {FAIR: 100}


def test_unknown_model_is_refused(three_touches):
    with pytest.raises(ValueError):
        maths.attribute(1, three_touches, "u_shaped")


def test_attribute_wins_over_partners(three_touches):
    rows = maths.attribute_wins(
        {"acme": [maths.Win(600, APR), maths.Win(300, datetime(2025, 12, 1))]},
        {"acme": three_touches},
        maths.FIRST_TOUCH,
    )
    # The December win came before any response: not attributed.
    assert [(p, w.revenue, c, a) for p, w, c, a in rows] == [
        ("acme", 600, MAILING, 600)
    ]


def test_csv_reads_semicolons_headers_with_accents_and_cp1250():
    data = (
        "IČO;E-mail;Telefon;Název\n"
        "27183955;;;Moravská\n"
        ";Jana@Example.COM;;\n"
        ";;+420 602 119 239;\n"
        "\n"
        "12ab;not-an-email;12;\n"
        ";;;Only a name\n"
        "CZ 271 83 955;;;VAT given\n"
    ).encode("cp1250")
    rows = csvreader.parse(data)
    assert [r.row_number for r in rows] == [2, 3, 4, 6, 7, 8]
    assert rows[0].ico == "27183955" and not rows[0].errors
    assert rows[1].email == "jana@example.com"
    assert rows[2].phone_key == "602119239"
    assert [code for code, _params in rows[3].errors] == [
        "bad_ico",
        "bad_email",
        "bad_phone",
    ]
    assert [code for code, _params in rows[4].errors] == ["no_identifier"]
    assert rows[5].ico == "27183955"


def test_csv_without_identifier_columns_is_refused():
    with pytest.raises(csvreader.CsvFormatError) as error:
        csvreader.parse(b"name,city\nA,B\n")
    assert error.value.code == "no_columns"
    with pytest.raises(csvreader.CsvFormatError):
        csvreader.parse(b"")
