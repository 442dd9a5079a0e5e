"""Published lists as files: CSV, XLSX, XML or any of them in a ZIP (no ORM).

``tabular`` turns the downloaded bytes into a :class:`Table`: the header and a
CSV that PostgreSQL can ``COPY`` as it is (a CSV file is passed through and
decoded by PostgreSQL itself; XLSX and XML rows are written out as UTF-8 CSV).
The import then normalises every row in one ``INSERT ... SELECT`` with SQL
functions that mirror ``parse_amount``, ``parse_date`` and ``names`` here;
``read_rows`` applies the same rules in Python (the reference the SQL is tested
against, and what small callers use). A truncated or corrupt file raises
:class:`ListFormatError`, so the caller keeps the previous version. Slovak and
Czech publications use cp1250 or UTF-8, "1 234,56" amounts and "30.11.2026"
dates; all are understood.
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

import requests

from .base import RegistrySource, register
from .http import USER_AGENT
from .names import (
    normalise_ico,
    normalise_name,
    normalise_vat,
    normalise_zip,
    strip_accents,
)

FIELDS = ("ico", "vat", "name", "address", "zip", "city", "amount", "date", "iban")
DATA_EXTENSIONS = (".csv", ".txt", ".xml", ".xlsx")
MAX_UNPACKED = 512 * 1024 * 1024  # a zip bomb is refused, not unpacked


class ListFormatError(ValueError):
    """The file cannot be imported. ``code`` names the problem for a message,
    ``params`` gives its details (row number, column...)."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


@dataclass
class Row:
    number: int  # 1-based data row in the file (header not counted)
    ico: str
    vat: str
    name: str
    name_key: str
    address: str
    zip: str
    city: str
    amount: float | None
    date: str | None  # ISO
    iban: str
    raw: str  # the row as published, JSON {column: value}


MAX_DOWNLOAD = 256 * 1024 * 1024


def download(url, timeout=60.0, max_bytes=MAX_DOWNLOAD):
    """The bytes published at ``url``; ListFormatError('download') when the
    server cannot be reached, answers with an error or sends too much."""
    try:
        with requests.get(
            url,
            timeout=timeout,
            stream=True,
            headers={"User-Agent": USER_AGENT},
        ) as response:
            if response.status_code != 200:
                raise ListFormatError("http", status=response.status_code)
            chunks = []
            size = 0
            for chunk in response.iter_content(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise ListFormatError("too_large")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.exceptions.RequestException as exc:
        raise ListFormatError("download", error=str(exc)) from exc


# -- values -------------------------------------------------------------------
_AMOUNT_JUNK = re.compile(r"[^0-9,.\-]")


def parse_amount(text):
    """'1 234,56 €', '1.234,56', '1234.56', '-12,5' -> float; None if empty/bad."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    value = _AMOUNT_JUNK.sub("", str(text).replace("\u2212", "-"))
    if not value or value in "-.,":
        return None
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif "," in value:
        if value.count(",") > 1:
            value = value.replace(",", "")
        else:
            value = value.replace(",", ".")
    elif value.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        # "1.234" and "1.234.567": dots as thousands separators (Slovak usage).
        value = value.replace(".", "")
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", value):
        return None
    return float(value)


_DMY = re.compile(r"^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4})")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value):
    """'30.11.2026', '30. 11. 2026', '2026-11-30', '20261130', a date -> ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    for pattern, order in ((_DMY, (2, 1, 0)), (_YMD, (0, 1, 2)), (_COMPACT, (0, 1, 2))):
        match = pattern.match(text)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # A typed number: never written so that it reads as thousands ("1.234").
        return str(int(value)) if value.is_integer() else format(value, ".6f")
    if isinstance(value, datetime.datetime | datetime.date):
        return parse_date(value)
    return str(value).strip()


# -- containers ---------------------------------------------------------------
def unpack(data, filename=""):
    """(bytes, inner file name) of the data file, unzipping a ZIP container.

    An XLSX is itself a ZIP: it is returned as it is.
    """
    if not data:
        raise ListFormatError("empty")
    if data[:4] != b"PK\x03\x04":
        return data, filename
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return data, filename or "list.xlsx"
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(DATA_EXTENSIONS)
        ]
        if not members:
            raise ListFormatError("zip_empty")
        member = max(members, key=lambda info: info.file_size)
        if member.file_size > MAX_UNPACKED:
            raise ListFormatError("too_large")
        return archive.read(member), member.filename
    except ListFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ListFormatError("zip_corrupt", error=str(exc)) from exc
    except Exception as exc:  # zlib.error and friends of a damaged archive
        raise ListFormatError("zip_corrupt", error=str(exc)) from exc


PG_ENCODINGS = {"utf-8": "UTF8", "cp1250": "WIN1250"}
PY_ENCODINGS = {"UTF8": "utf-8", "WIN1250": "cp1250"}
_BLANK_LINES = re.compile(rb"\n(?:[ \t]*\n)+")


@dataclass
class Table:
    """A list file as PostgreSQL can ``COPY`` it."""

    header: list
    data: bytes
    encoding: str  # PostgreSQL's name: UTF8 or WIN1250
    delimiter: str
    has_header: bool  # the data starts with the header line

    def rows(self):
        """(row number, values) read in Python, with the checks COPY makes: a
        row with fewer fields than the header means a file cut short."""
        text = self.data.decode(PY_ENCODINGS[self.encoding])
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True
        )
        width = len(self.header)
        number = 0
        try:
            if self.has_header:
                next(reader, None)
            for values in reader:
                number += 1
                if len(values) != width:
                    raise ListFormatError(
                        "row_short", row=number, found=len(values), expected=width
                    )
                yield number, values
        except csv.Error as exc:
            raise ListFormatError("csv", row=number + 1, error=str(exc)) from exc


def encoding_of(data, encoding="auto"):
    """PostgreSQL's name of the file's encoding: UTF-8 when it decodes as such,
    otherwise Windows-1250 (what Slovak and Czech offices publish)."""
    if encoding and encoding != "auto":
        return PG_ENCODINGS.get(encoding, encoding)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "WIN1250"
    return "UTF8"


def kind_of(data, filename):
    lower = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        return "xlsx"
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    if lower.endswith(".xml") or head.startswith(b"<"):
        return "xml"
    return "csv"


def table_csv(data, encoding="auto", delimiter="auto"):
    """A CSV passed through: BOM and blank lines removed, header read here."""
    # One line ending throughout (COPY refuses a mix), no blank lines, no BOM.
    data = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    data = _BLANK_LINES.sub(b"\n", data.replace(b"\r", b"\n")).strip(b"\n") + b"\n"
    pg_encoding = encoding_of(data, encoding)
    head = data[:65536].decode(PY_ENCODINGS.get(pg_encoding, "utf-8"), "replace")
    lines = head.splitlines()
    if delimiter in (None, "", "auto"):
        try:
            delimiter = (
                csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t|").delimiter
            )
        except csv.Error:
            delimiter = ";"
    elif delimiter == "tab":
        delimiter = "\t"
    try:
        header = next(csv.reader(lines[:1], delimiter=delimiter), None)
    except csv.Error as exc:
        raise ListFormatError("csv", row=0, error=str(exc)) from exc
    if not header or not data.strip():
        raise ListFormatError("empty")
    return Table(header, data, pg_encoding, delimiter, has_header=True)


def _as_csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows:
        writer.writerow([_text(value) for value in values])
    return Table(
        [_text(column) for column in header],
        buffer.getvalue().encode("utf-8"),
        "UTF8",
        ",",
        has_header=False,
    )


def table_xlsx(data):
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = list(next(values, ()))
        rows = [
            list(row) + [None] * (len(header) - len(row))
            for row in values
            if any(_text(value) for value in row)
        ]
        workbook.close()
    except ListFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ListFormatError("xlsx", error=str(exc)) from exc
    if not header:
        raise ListFormatError("empty")
    return _as_csv(header, [row[: len(header)] for row in rows])


def table_xml(data):
    """Records of a record-oriented XML: the repeated element whose children are
    plain values (``<ITEM><ICO>..</ICO><NAZOV>..</NAZOV></ITEM>``); attributes
    of such an element count as columns too."""
    if b"<!DOCTYPE" in data[:2048].upper():
        raise ListFormatError("xml", error="document type declarations are refused")
    records = []
    header = {}
    record_tag = None
    try:
        for _event, element in ET.iterparse(io.BytesIO(data), events=("end",)):
            if (
                record_tag is None
                and len(element)
                and all(len(child) == 0 for child in element)
            ):
                record_tag = element.tag
            if element.tag == record_tag:
                record = dict(element.attrib)
                for child in element:
                    record[child.tag.rsplit("}", 1)[-1]] = (child.text or "").strip()
                for key in record:
                    header.setdefault(key, None)
                records.append(record)
                element.clear()
    except ET.ParseError as exc:
        raise ListFormatError("xml", error=str(exc)) from exc
    if not records:
        raise ListFormatError("empty")
    columns = list(header)
    return _as_csv(
        columns, ([record.get(column, "") for column in columns] for record in records)
    )


def tabular(data, filename="", encoding="auto", delimiter="auto"):
    """The :class:`Table` of a list file of any supported format."""
    content, inner_name = unpack(data, filename)
    kind = kind_of(content, inner_name)
    if kind == "xlsx":
        table = table_xlsx(content)
    elif kind == "xml":
        table = table_xml(content)
    else:
        table = table_csv(content, encoding, delimiter)
    table.header = [
        column or f"column {i + 1}" for i, column in enumerate(table.header)
    ]
    return table


# -- mapping ------------------------------------------------------------------
def _key(label):
    return re.sub(r"[^0-9a-z]", "", strip_accents(str(label or "")).lower())


def resolve_columns(header, mapping):
    """{field: column index} from a mapping of field -> header name or number.

    Header names compare without case, diacritics, spaces and punctuation.
    """
    keys = [_key(column) for column in header]
    columns = {}
    for field_name, spec in (mapping or {}).items():
        if not spec:
            continue
        spec = str(spec).strip()
        if spec.isdigit():
            index = int(spec) - 1
            if not 0 <= index < len(header):
                raise ListFormatError("column_missing", column=spec, field=field_name)
            columns[field_name] = index
            continue
        wanted = _key(spec)
        if wanted not in keys:
            raise ListFormatError("column_missing", column=spec, field=field_name)
        columns[field_name] = keys.index(wanted)
    if "ico" not in columns and "vat" not in columns and "name" not in columns:
        raise ListFormatError("no_identifier")
    return columns


def read_rows(data, filename="", mapping=None, encoding="auto", delimiter="auto"):
    """(header, iterator of :class:`Row`): the import's rules applied in Python.

    The iterator raises :class:`ListFormatError` on the first broken row (fewer
    fields than the header: a file cut short), so consume it completely before
    keeping anything.
    """
    table = tabular(data, filename, encoding, delimiter)
    header = table.header
    columns = resolve_columns(header, mapping)

    def get(values, field_name):
        index = columns.get(field_name)
        return values[index] if index is not None else ""

    def rows():
        for number, row in table.rows():
            if not any(value.strip() for value in row):
                continue
            name = get(row, "name").strip()
            yield Row(
                number=number,
                ico=normalise_ico(get(row, "ico")),
                vat=normalise_vat(get(row, "vat")),
                name=name,
                name_key=normalise_name(name),
                address=get(row, "address").strip(),
                zip=normalise_zip(get(row, "zip")),
                city=get(row, "city").strip(),
                amount=parse_amount(get(row, "amount")),
                date=parse_date(get(row, "date")),
                iban=normalise_vat(get(row, "iban")),
                raw=json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False),
            )

    return header, rows()


@register
class PublishedList(RegistrySource):
    """A list published as a file (social and health insurers' debtors, lists a
    customer adds): answered by the imported versions, never over HTTP."""

    code = "debtor_list"
    label = "Published list (file or URL)"
    absent_means_clean = True
