"""Finančná správa SR open-data lists ("informačné zoznamy"), by IČO / IČ DPH.

With an API key (header ``key``) the client searches each list:

- ``ds_dphs``: registered VAT payers (a hit: VAT payer, with IČ DPH, name, PSČ);
- ``ds_dphz``: payers with grounds for deregistration (the Slovak counterpart of
  an unreliable payer: a customer paying them can be liable for their VAT);
- ``ds_dphv``: deregistered payers;
- ``ds_dph_iban``: bank accounts published for VAT (payments to others warn);
- ``ds_dsdd``: tax debtors. It has no IČO: searched by the name the tax office
  holds (from ``ds_dphs``), a hit counts only with the same normalised name and
  postal code, and says so (``match = name_zip``).

Without a key the same lists come from the daily ZIP files
(``https://report.financnasprava.sk/<slug>.zip``), imported as list sources;
this client then answers ``unknown`` / not configured and is not asked.
"""

import re

from . import result as res
from .base import register
from .http import RegistryClient, RegistryUnavailable
from .lists import parse_amount, parse_date
from .names import LEGAL_FORM_KEYS, normalise_name, normalise_zip

LISTS = ("ds_dphs", "ds_dphz", "ds_dphv", "ds_dph_iban", "ds_dsdd")
DUMP_BASE_URL = "https://report.financnasprava.sk"
MIN_SEARCH = 5  # the API refuses shorter search values


def _first(item, *names):
    """The first non-empty value among several spellings of a column."""
    lowered = {key.lower(): value for key, value in (item or {}).items()}
    for name in names:
        value = lowered.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return None


@register
class FinancnaSpravaClient(RegistryClient):
    code = "sk_financna_sprava"
    label = "Finančná správa: VAT lists and tax debtors (SK)"
    default_base_url = "https://iz.opendata.financnasprava.sk/api"
    absent_means_clean = True
    vat_register = True
    publishes_accounts = True
    # Not in the spec; public clients report about 1 000 requests an hour.
    rate_limits = ((900, 3600.0),)
    max_parallel = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._searchable = None

    @classmethod
    def query_for(cls, subject):
        if subject.country != "SK":
            return None
        if subject.ico:
            return subject.ico
        if subject.vat_prefix == "SK" and subject.vat_number.isdigit():
            return subject.vat
        return None

    # -- API ------------------------------------------------------------------
    def _get(self, path, params=None, ok_statuses=(200,)):
        response = self._request(
            "GET",
            path,
            ok_statuses=(*ok_statuses, 400, 401, 403, 404),
            params=params,
            headers={"Accept": "application/json", "key": self.api_key},
        )
        if response.status_code in (401, 403):
            raise RegistryUnavailable(
                f"Finančná správa refused the API key (HTTP {response.status_code})",
                response,
                kind=res.REFUSED,
            )
        data = self._json(response)
        message = data.get("message") if isinstance(data, dict) else None
        if response.status_code == 404 and message and "search" in message.lower():
            return response, None  # "Search not found": not on this list
        if response.status_code not in ok_statuses:
            raise RegistryUnavailable(
                f"Finančná správa error HTTP {response.status_code}: {message}",
                response,
                kind=res.REFUSED,
            )
        return response, data

    @property
    def api_key(self):
        return self.credentials.get("api_key") or ""

    def searchable(self):
        """{slug: searchable columns}, read once per client (they change)."""
        if self._searchable is None:
            _response, data = self._get("/lists")
            if not isinstance(data, list):
                raise RegistryUnavailable(
                    "Finančná správa answered without its lists", kind=res.MALFORMED
                )
            self._searchable = {
                item.get("slug"): [c.lower() for c in item.get("searchable") or []]
                for item in data
                if isinstance(item, dict)
            }
        return self._searchable

    def search(self, slug, candidates):
        """(verbatim body or b'', items) of the first searchable column given.

        ``candidates``: (column, value) pairs in order of preference. None when
        no candidate column is searchable in this list (the list cannot tell).
        """
        columns = self.searchable().get(slug)
        if columns is None:
            return None
        for column, value in candidates:
            if column in columns and value and len(value) >= MIN_SEARCH:
                response, data = self._get(
                    f"/data/{slug}/search",
                    {"page": 1, "column": column, "search": value},
                )
                if data is None:
                    return response.content, []
                items = data.get("data") if isinstance(data, dict) else None
                if not isinstance(items, list):
                    raise RegistryUnavailable(
                        f"Finančná správa answered {slug} without data",
                        response,
                        kind=res.MALFORMED,
                    )
                return response.content, items
        return None

    def lookup(self, query, today=None):
        query = (query or "").strip().upper()
        if not self.api_key:
            return res.unknown(
                self.code,
                query,
                "no API key: the lists are read from the daily files instead",
                kind=res.NOT_CONFIGURED,
            )
        ico = query if query.isdigit() else ""
        vat = query if query.startswith("SK") else ""
        raws = []
        answers = {}
        try:
            for slug in LISTS:
                if slug == "ds_dsdd":
                    continue
                answer = self.search(slug, [("ico", ico), ("ic_dph", vat)])
                if answer is not None:
                    raws.append(f"--- {slug}\n".encode() + answer[0])
                    answers[slug] = answer[1]
                if slug == "ds_dphs" and answer and answer[1]:
                    payer = answer[1][0]
                    vat = vat or _first(payer, "ic_dph") or ""
                    ico = ico or _first(payer, "ico") or ""
            payer = (answers.get("ds_dphs") or [None])[0]
            name = _first(payer, "nazov_ds", "nazov") if payer else None
            debtors = self.search("ds_dsdd", [("nazov_subjektu", name_core(name))])
            if debtors is not None:
                raws.append(b"--- ds_dsdd\n" + debtors[0])
                answers["ds_dsdd"] = [
                    item
                    for item in debtors[1]
                    if normalise_name(_first(item, "nazov_subjektu", "nazov"))
                    == normalise_name(name)
                    and normalise_zip(_first(item, "psc"))
                    == normalise_zip(_first(payer, "psc"))
                ]
        except RegistryUnavailable as exc:
            return self._unknown(query, exc)
        return self.compose(query, answers, b"\n".join(raws))

    def compose(self, query, answers, raw):
        """One result from the lists' answers ({slug: matching items})."""
        meta = {"raw": raw, "content_type": "application/json", "http_status": 200}
        findings = []
        for item in answers.get("ds_dphz") or []:
            findings.append(
                res.Finding(
                    kind=res.UNRELIABLE_VAT,
                    state=_first(item, "rok_porusenia"),
                    as_of=_iso(_first(item, "dat_zverejnenia")),
                    source="ds_dphz",
                    match=res.MATCH_ICO,
                    listed_name=_first(item, "nazov"),
                    listed_zip=_first(item, "psc"),
                )
            )
        for item in answers.get("ds_dphv") or []:
            findings.append(
                res.Finding(
                    kind=res.VAT_DEREGISTERED,
                    ended=_iso(_first(item, "dat_vymazu")),
                    as_of=_iso(_first(item, "dat_zverejnenia")),
                    source="ds_dphv",
                    match=res.MATCH_ICO,
                    listed_name=_first(item, "nazov"),
                )
            )
        for item in answers.get("ds_dsdd") or []:
            findings.append(
                res.Finding(
                    kind=res.DEBTOR,
                    amount=_amount(_first(item, "ciastka", "suma", "nedoplatok")),
                    currency="EUR",
                    as_of=_iso(_first(item, "datum", "dat_zverejnenia", "k_datumu")),
                    source="ds_dsdd",
                    match=res.MATCH_NAME_ZIP,
                    listed_name=_first(item, "nazov_subjektu", "nazov"),
                    listed_zip=_first(item, "psc"),
                    listed_address=_first(item, "adresa", "ulica", "obec"),
                )
            )
        accounts = [
            res.BankAccount(
                number=_first(item, "iban", "cislo_uctu") or "",
                published_from=_iso(
                    _first(item, "datum_zverejnenia", "dat_zverejnenia")
                ),
            )
            for item in answers.get("ds_dph_iban") or []
            if _first(item, "iban", "cislo_uctu")
        ]
        payer = (answers.get("ds_dphs") or [None])[0]
        listed = payer or findings or accounts
        if not listed:
            return res.RegistryResult(
                self.code,
                query,
                outcome=res.NOT_FOUND,
                vat_payer=False if "ds_dphs" in answers else None,
                unreliable_vat_payer=False if "ds_dphz" in answers else None,
                **meta,
            )
        identifiers = {}
        if payer:
            identifiers = {
                key: value
                for key, value in (
                    ("ico", _first(payer, "ico")),
                    ("vat", _first(payer, "ic_dph")),
                )
                if value
            }
        return res.RegistryResult(
            provider=self.code,
            query=query,
            outcome=res.FOUND,
            vat_payer=bool(payer) if "ds_dphs" in answers else None,
            unreliable_vat_payer=any(f.kind == res.UNRELIABLE_VAT for f in findings)
            if "ds_dphz" in answers
            else None,
            vat_cancelled=any(f.kind == res.VAT_DEREGISTERED for f in findings) or None,
            name=_first(payer, "nazov_ds", "nazov") if payer else None,
            street=_first(payer, "ulica_cislo", "adresa") if payer else None,
            city=_first(payer, "obec") if payer else None,
            zip=_first(payer, "psc") if payer else None,
            country_code="SK",
            identifiers=identifiers,
            bank_accounts=accounts,
            findings=findings,
            **meta,
        )


def name_core(name):
    """The name without its trailing legal form, as written ('Drevo Prešov,
    s.r.o.' -> 'Drevo Prešov'): a search term that finds every spelling."""
    words = [word for word in re.split(r"[\s,]+", name or "") if word]
    key = normalise_name(name)
    for count in range(1, len(words)):
        head = normalise_name(" ".join(words[:count]))
        if key.startswith(head) and key[len(head) :] in LEGAL_FORM_KEYS:
            return " ".join(words[:count])
    return " ".join(words)


def _iso(text):
    return parse_date(text)


def _amount(text):
    return parse_amount(text)


def dump_url(slug, base=DUMP_BASE_URL):
    """Where the daily ZIP of a list is published (no key needed)."""
    return f"{base.rstrip('/')}/{slug}.zip"
