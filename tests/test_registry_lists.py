"""Published list files: formats, encodings, Slovak numbers and dates, broken files,
and the name normalisation that matching by name and postal code relies on."""

import importlib
import io
import zipfile

import pytest
from registry_imports import registries, registry_replay

lists = importlib.import_module("crm_registries.lists")
names = importlib.import_module("crm_registries.names")
FIXTURES = registry_replay.server.FIXTURES / "lists"
SOCPOIST = {
    "ico": "IČO",
    "name": "Názov/Meno",
    "address": "Ulica",
    "zip": "PSČ",
    "city": "Obec",
    "amount": "Dlžná suma v €",
    "date": "Dlh k dátumu",
}


def read(name, mapping=SOCPOIST, **kwargs):
    data = (FIXTURES / name).read_bytes()
    header, rows = lists.read_rows(data, name, mapping, **kwargs)
    return header, list(rows)


def test_cp1250_csv_with_slovak_numbers_and_dates():
    header, rows = read("socpoist.csv")
    assert header[0] == "Názov/Meno"
    first = rows[0]
    assert (first.number, first.ico, first.name) == (
        1,
        "46200011",
        "Stavmont Žilina s.r.o.",
    )
    assert (first.zip, first.city) == ("01001", "Žilina")
    assert first.amount == 1234.56
    assert first.date == "2026-11-30"
    assert first.name_key == "stavmontzilinasro"
    # The row as published is kept, in its own words.
    assert '"Dlžná suma v €": "1 234,56"' in first.raw
    # A row without IČO keeps an empty IČO (matched by name and PSČ only).
    assert rows[1].ico == "" and rows[1].zip == "04001"


def test_same_rows_from_utf8_and_a_zip():
    text = (FIXTURES / "socpoist.csv").read_bytes().decode("cp1250")
    utf8 = lists.read_rows(text.encode("utf-8-sig"), "x.csv", SOCPOIST)[1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/dlznici.csv", text.encode("utf-8"))
        archive.writestr("export/readme.pdf", b"%PDF-1.4")
    zipped = lists.read_rows(buffer.getvalue(), "list.zip", SOCPOIST)[1]
    original = read("socpoist.csv")[1]
    assert [r.raw for r in utf8] == [r.raw for r in zipped] == [r.raw for r in original]


def test_xlsx_with_typed_cells():
    mapping = {
        "ico": "IČO",
        "name": "Obchodné meno",
        "zip": "PSČ",
        "amount": "Výška dlhu",
        "date": "Stav ku dňu",
    }
    _header, rows = read("vszp.xlsx", mapping)
    assert [(r.ico, r.amount, r.date) for r in rows] == [
        ("46200029", 310.5, "2026-11-30"),
        ("46200053", 1500.0, "2026-11-30"),
    ]


def test_record_oriented_xml_in_cp1250():
    mapping = {
        "ico": "ico",
        "name": "nazov",
        "zip": "psc",
        "amount": "dlh",
        "date": "datum",
    }
    header, rows = read("dovera.xml", mapping)
    assert header == ["nazov", "ico", "psc", "obec", "dlh", "datum"]
    [row] = rows
    assert (row.ico, row.amount, row.date) == ("46200037", 77.7, "2026-11-30")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("socpoist.truncated.csv", "row_short"),
        ("union.corrupt.zip", "zip_corrupt"),
        ("vszp.corrupt.xlsx", "zip_corrupt"),
    ],
)
def test_broken_files_raise_before_any_row_is_kept(name, code):
    with pytest.raises(lists.ListFormatError) as caught:
        read(name, {"name": "1"})
    assert caught.value.code == code


def test_missing_column_and_nothing_to_match_by():
    with pytest.raises(lists.ListFormatError) as caught:
        read("socpoist.csv", {"ico": "ICO number"})
    assert caught.value.code == "column_missing"
    with pytest.raises(lists.ListFormatError) as caught:
        read("socpoist.csv", {"amount": "Dlžná suma v €"})
    assert caught.value.code == "no_identifier"


def test_truncated_xml_and_html_error_pages():
    data = (FIXTURES / "dovera.xml").read_bytes()[:-30]
    with pytest.raises(lists.ListFormatError) as caught:
        list(lists.read_rows(data, "dovera.xml", {"name": "nazov"})[1])
    assert caught.value.code == "xml"
    page = b"<html><body>Str\xe1nka sa nena\xb9la</body></html>"
    with pytest.raises(lists.ListFormatError):
        list(lists.read_rows(page, "x.xml", {"name": "nazov"})[1])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,56", 1234.56),
        ("1\u00a0234,56 €", 1234.56),
        ("1.234,56", 1234.56),
        ("1234.56", 1234.56),
        ("1,234.56", 1234.56),
        ("1.234", 1234.0),
        ("-12,5", -12.5),
        ("", None),
        ("n/a", None),
    ],
)
def test_amounts(text, value):
    assert lists.parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30.11.2026", "2026-11-30"),
        ("30. 11. 2026", "2026-11-30"),
        ("1.2.2026", "2026-02-01"),
        ("2026-11-30", "2026-11-30"),
        ("20261130", "2026-11-30"),
        ("31.02.2026", None),
        ("", None),
    ],
)
def test_dates(text, value):
    assert lists.parse_date(text) == value


def test_names_compare_without_spelling_case_or_accents():
    same = {
        names.normalise_name(name)
        for name in (
            "ESET, spol. s r.o.",
            "ESET spol. s r. o.",
            "Eset, s.r.o.",
            "ESET, spoločnosť s ručením obmedzeným",
        )
    }
    assert same == {"esetsro"}
    # "In liquidation" is dropped, the legal form kept in one spelling.
    assert names.normalise_name("Drevo Prešov, s.r.o. v likvidácii") == "drevopresovsro"
    assert names.normalise_name("ESET a.s.") != names.normalise_name("ESET s.r.o.")
    assert names.normalise_name("Stavmont Žilina") != names.normalise_name("Stavmont")
    assert names.normalise_name("JEDEN SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ") == (
        names.normalise_name("Jeden sp. z o.o.")
    )
    assert names.normalise_zip("851 01") == "85101"
    assert names.normalise_ico("121100") == "00121100"
    assert names.ico_key("00121100") == names.ico_key("121100") == "121100"
    assert names.normalise_ico("00000000") == ""
    assert names.ico_key("HRB 1234") == ""


def test_published_list_source_is_declared():
    # Lists are a provider kind of their own, answered by imported files.
    source = registries.SOURCES["debtor_list"]
    assert source.absent_means_clean and source.query_for(None) is None
