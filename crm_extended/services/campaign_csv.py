"""Read an exhibition's contact list (CSV of IČO, e-mail, phone) in plain Python.

No ORM here: the wizard matches the parsed rows against partners. Messages are
returned as (code, params) so that the caller translates them. Besides the
identifiers a row may name the company, the contact person and a note taken at
the stand; every other column is ignored (and reported as such).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

HEADER_ALIASES = {
    "ico": "ico",
    "ic": "ico",
    "icodic": "ico",
    "companyregistry": "ico",
    "registry": "ico",
    "companyid": "ico",
    "regon": "ico",
    "nip": "ico",
    "edb": "ico",
    "embs": "ico",
    "email": "email",
    "mail": "email",
    "emailaddress": "email",
    "phone": "phone",
    "telefon": "phone",
    "tel": "phone",
    "telephone": "phone",
    "mobile": "phone",
    "mobil": "phone",
    "name": "name",
    "company": "name",
    "companyname": "name",
    "firma": "name",
    "nazev": "name",
    "nazevfirmy": "name",
    "nazov": "name",
    "nazovfirmy": "name",
    "nazwa": "name",
    "nazwafirmy": "name",
    "contact": "contact",
    "contactname": "contact",
    "person": "contact",
    "fullname": "contact",
    "kontakt": "contact",
    "osoba": "contact",
    "kontaktnaosoba": "contact",
    "kontaktniosoba": "contact",
    "meno": "contact",
    "jmeno": "contact",
    "imieinazwisko": "contact",
    "note": "note",
    "notes": "note",
    "comment": "note",
    "poznamka": "note",
    "komentar": "note",
    "uwagi": "note",
    "notatka": "note",
}
#: The columns read, in the order the upload form lists them.
COLUMNS = ("ico", "email", "phone", "name", "contact", "note")
LEGAL_FORMS = re.compile(
    r"(?<![a-z0-9\u0400-\u04ff])(s\s?r\s?o|spol|a\s?s|k\s?s|v\s?o\s?s|sp\s?z\s?o\s?o|s\s?a|sp\s?k|"
    r"dooel|doo|ad|gmbh|ltd|inc|дооел|доо|ад)(?![a-z0-9\u0400-\u04ff])"
)
#: Letters NFKD does not decompose.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"})

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PHONE_DIGITS = 6
PHONE_MATCH_DIGITS = 9


class CsvFormatError(ValueError):
    """The file as a whole cannot be read; ``code`` names the reason."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ContactRow:
    """One data row of the file, normalised, with the problems found in it."""

    row_number: int
    ico: str = ""
    email: str = ""
    phone: str = ""
    name: str = ""
    contact: str = ""
    note: str = ""
    errors: list = field(default_factory=list)

    @property
    def phone_key(self):
        """The last digits of the phone, enough to match national and +prefix forms."""
        return phone_key(self.phone)


def _header_key(header):
    text = unicodedata.normalize("NFKD", header or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def headers_of(key):
    """The header spellings read as column ``key`` (for the upload form)."""
    return [alias for alias, column in HEADER_ALIASES.items() if column == key]


def comparable_name(name):
    """A company name without case, accents, punctuation and legal form."""
    text = unicodedata.normalize("NFKD", (name or "").lower().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9\u0400-\u04ff]+", " ", text)
    text = LEGAL_FORMS.sub(" ", text)
    return " ".join(text.split())


def names_match(written, known):
    """Whether the company name written in the file can be the known partner's.

    Lenient on purpose (a stand list says "Moravska strojirna" for "Moravská
    strojírna s.r.o."): one name contained in the other, once compared.
    """
    written, known = comparable_name(written), comparable_name(known)
    if not written or not known:
        return True
    return written in known or known in written


def phone_key(phone):
    digits = re.sub(r"\D", "", phone or "")
    return digits[-PHONE_MATCH_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else ""


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1250 as Czech Excel saves."""
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvFormatError("encoding")


def _normalise_ico(value):
    compact = re.sub(r"[\s./-]", "", value or "")
    # A VAT number given instead (CZ27183955) still names the company.
    compact = re.sub(r"^[A-Za-z]{2}(?=\d)", "", compact)
    return compact


def _check_row(row):
    if row.ico and not (row.ico.isdigit() and 6 <= len(row.ico) <= 13):
        row.errors.append(("bad_ico", {"value": row.ico}))
    if row.email and not EMAIL_RE.match(row.email):
        row.errors.append(("bad_email", {"value": row.email}))
    if row.phone and not phone_key(row.phone):
        row.errors.append(("bad_phone", {"value": row.phone}))
    if not (row.ico or row.email or row.phone):
        row.errors.append(("no_identifier", {}))


def parse(data):
    """Parse the file's bytes (or text) into ContactRow objects.

    Raises CsvFormatError when the file has no usable header; problems of single
    rows are collected on the rows so that all of them can be shown at once.
    """
    return parse_file(data)[0]


def parse_file(data):
    """``(rows, columns, ignored)``: the rows as :func:`parse` returns them, the
    column read for each key (``{"ico": "IČO", ...}``, as headed in the file) and
    the headers of the columns not read."""
    text = decode(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise CsvFormatError("empty")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    columns = {}
    ignored = []
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(_header_key(title))
        if key and key not in columns:
            columns[key] = index
        elif title.strip():
            ignored.append(title.strip())
    if not {"ico", "email", "phone"} & set(columns):
        raise CsvFormatError("no_columns", header=", ".join(header))
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(key, values=values):
            index = columns.get(key)
            if index is None or index >= len(values):
                return ""
            return values[index].strip()

        row = ContactRow(
            row_number=number,
            ico=_normalise_ico(cell("ico")),
            email=cell("email").lower(),
            phone=cell("phone"),
            name=cell("name"),
            contact=cell("contact"),
            note=cell("note"),
        )
        _check_row(row)
        rows.append(row)
    if not rows:
        raise CsvFormatError("empty")
    read = {key: header[index].strip() for key, index in columns.items()}
    return rows, read, ignored
