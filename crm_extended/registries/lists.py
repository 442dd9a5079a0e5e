"""Published lists as files: CSV, XLSX, XML or any of them in a ZIP (no ORM).

``read_rows`` turns the downloaded bytes into normalised rows for the import
(IČO, VAT number, name and its matching form, address, postal code, amount,
date, IBAN, and the row as published). A file that is truncated or corrupt
raises :class:`ListFormatError`, so the caller keeps the previous version.
Slovak and Czech publications use cp1250 or UTF-8, "1 234,56" amounts and
"30.11.2026" dates; all are understood.
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
from .names import normalise_ico, normalise_name, normalise_zip, strip_accents

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
_AMOUNT_JUNK = re.compile(r"[^\d,.\-]")


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
    try:
        return float(value)
    except ValueError:
        return None


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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
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


def decode(data, encoding="auto"):
    """Text of a CSV/TXT file: UTF-8 (BOM or not), else cp1250."""
    if encoding and encoding != "auto":
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ListFormatError("encoding", encoding=encoding) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="strict")


def kind_of(data, filename):
    lower = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        return "xlsx"
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    if lower.endswith(".xml") or head.startswith(b"<"):
        return "xml"
    return "csv"


def table_csv(data, encoding="auto", delimiter="auto"):
    text = decode(data, encoding)
    if delimiter in (None, "", "auto"):
        sample = "\n".join(text.splitlines()[:20])
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
        except csv.Error:
            delimiter = ";"
    elif delimiter == "tab":
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ListFormatError("empty") from exc
    except csv.Error as exc:
        raise ListFormatError("csv", row=0, error=str(exc)) from exc

    def rows():
        number = 0
        try:
            for values in reader:
                if not any(value.strip() for value in values):
                    continue
                number += 1
                yield number, values
        except csv.Error as exc:
            raise ListFormatError("csv", row=number + 1, error=str(exc)) from exc

    return header, rows()


def table_xlsx(data):
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(values, ())]
        # Values stay as typed in the sheet (numbers, dates): parsed per field.
        rows = [list(row) for row in values]
        workbook.close()
    except ListFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ListFormatError("xlsx", error=str(exc)) from exc
    if not header:
        raise ListFormatError("empty")

    def numbered():
        number = 0
        for row in rows:
            if not any(_text(value) for value in row):
                continue
            number += 1
            yield number, row

    return header, numbered()


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

    def rows():
        for number, record in enumerate(records, start=1):
            yield number, [record.get(column, "") for column in columns]

    return columns, rows()


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
    """(header, iterator of :class:`Row`) of a list file.

    The iterator raises :class:`ListFormatError` on the first broken row (fewer
    fields than the header: a file cut short), so consume it completely before
    keeping anything.
    """
    content, inner_name = unpack(data, filename)
    kind = kind_of(content, inner_name)
    if kind == "xlsx":
        header, values = table_xlsx(content)
    elif kind == "xml":
        header, values = table_xml(content)
    else:
        header, values = table_csv(content, encoding, delimiter)
    header = [_text(column) or f"column {i + 1}" for i, column in enumerate(header)]
    columns = resolve_columns(header, mapping)
    width = len(header)

    def get(values, field_name):
        index = columns.get(field_name)
        if index is None or index >= len(values):
            return ""
        return values[index]

    def rows():
        for number, row in values:
            if len(row) < width and kind == "csv":
                raise ListFormatError(
                    "row_short", row=number, found=len(row), expected=width
                )
            name = _text(get(row, "name"))
            yield Row(
                number=number,
                ico=normalise_ico(get(row, "ico")),
                vat=re.sub(r"[^0-9A-Z]", "", _text(get(row, "vat")).upper()),
                name=name,
                name_key=normalise_name(name),
                address=_text(get(row, "address")),
                zip=normalise_zip(_text(get(row, "zip"))),
                city=_text(get(row, "city")),
                amount=parse_amount(get(row, "amount")),
                date=parse_date(get(row, "date")),
                iban=re.sub(r"[^0-9A-Z]", "", _text(get(row, "iban")).upper()),
                raw=json.dumps(
                    dict(zip(header, (_text(v) for v in row), strict=False)),
                    ensure_ascii=False,
                ),
            )

    return header, rows()


@register
class PublishedList(RegistrySource):
    """A list published as a file (social and health insurers' debtors, lists a
    customer adds): answered by the imported versions, never over HTTP."""

    code = "debtor_list"
    label = "Published list (file or URL)"
    absent_means_clean = True
