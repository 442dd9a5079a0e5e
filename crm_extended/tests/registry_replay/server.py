"""A loopback HTTP server that answers like ARES, ADIS, ISIR, RPO, IS REPLIK,
Finančná správa, the Polish white list, KRS, GUS BIR and VIES, and serves
published list files, from the fixture files next to it.

Every registry lives under its own prefix (``/cz_ares``, ``/cz_adis``, ...), followed
by the registry's real path, so ``server.base_url("cz_ares")`` is a drop-in base URL.
By default the answer depends on the identifier asked (fixture present: found;
absent: the registry's "not found"). ``server.scenarios[code]`` forces an outage or
error for one registry; ``server.variants[(code, identifier)]`` picks a fixture
variant (``<id>.<variant>.<ext>``). ``server.requests`` records what was asked.

Plain Python (no Odoo, no pytest), importable by path from any test.
"""

import contextlib
import io
import json
import re
import threading
import time
import unicodedata
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent / "fixtures"
JSON = "application/json"
XML = "text/xml; charset=utf-8"

SCENARIOS = (
    "auto",  # found when a fixture exists, else the registry's "not found"
    "error_200",  # the registry's error answer with HTTP 200
    "http_500",
    "http_503",
    "http_429",
    "slow",  # answers after ``slow_seconds`` (past the client timeout)
    "garbage",  # HTTP 200 with a truncated, malformed body
)
MTOM_BOUNDARY = "uuid:bc087375-9102-48d6-ae2d-c133e8ed89eb+id=8624"
MTOM = (
    f'multipart/related; type="application/xop+xml"; start="<http://tempuri.org/0>";'
    f' boundary="{MTOM_BOUNDARY}"; start-info="application/soap+xml"'
)
CONTENT_TYPES = {
    "cz_ares": JSON,
    "cz_adis": XML,
    "cz_isir": XML,
    "sk_rpo": JSON,
    "sk_replik": XML,
    "sk_financna_sprava": JSON,
    "pl_whitelist": JSON,
    "pl_krs": JSON,
    "pl_gus_regon": MTOM,
    "eu_vies": JSON,
    "lists": "application/octet-stream",
}
REAL_PREFIX = {
    "cz_ares": "/ekonomicke-subjekty-v-be/rest",
    "cz_adis": "/dpr/axis2/services/rozhraniCRPDPH.rozhraniCRPDPHSOAP",
    "cz_isir": "/isir_cuzk_ws/IsirWsCuzkService",
    "sk_rpo": "/rpo/v1",
    "sk_replik": "/ru-verejnost-ws",
    "sk_financna_sprava": "/api",
    "pl_whitelist": "",
    "pl_krs": "",
    "pl_gus_regon": "/wsBIR/UslugaBIRzewnPubl.svc",
    "eu_vies": "/taxation_customs/vies/rest-api",
    "lists": "",
}
FS_KEY = "replay-fs-key"  # the API key the Finančná správa replay accepts
GUS_KEY = "abcde12345abcde12345"  # GUS's public test key
GUS_SID = "replaysid00000000001"
LIST_TYPES = {
    "csv": "text/csv",
    "xml": "application/xml",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Reply:
    def __init__(self, status, body, content_type=JSON, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.content_type = content_type
        self.headers = headers or {}


class ReplayServer:
    def __init__(self, slow_seconds=2.0):
        self.slow_seconds = slow_seconds
        self.scenarios = {}
        self.variants = {}
        self.requests = []
        self._httpd = None
        self._thread = None
        self._lock = threading.Lock()
        self._local = threading.local()

    # -- life cycle -----------------------------------------------------------
    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server._handle(self)

            def do_POST(self):
                server._handle(self)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self):
        with self._lock:
            self.scenarios.clear()
            self.variants.clear()
            self.requests.clear()

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, code):
        return f"{self.url}/{code}{REAL_PREFIX[code]}"

    def dump_url(self, slug):
        """Where the Finančná správa replay publishes its daily ZIP of ``slug``."""
        return f"{self.url}/sk_financna_sprava/report/{slug}.zip"

    def list_url(self, name):
        """Where a published list file of ``fixtures/lists`` is served."""
        return f"{self.url}/lists/{name}"

    def requests_to(self, code):
        return [r for r in self.requests if r["code"] == code]

    # -- dispatch -------------------------------------------------------------
    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        code, _sep, rest = parts.path.lstrip("/").partition("/")
        path = "/" + rest
        if code in REAL_PREFIX and path.startswith(REAL_PREFIX[code]):
            path = path[len(REAL_PREFIX[code]) :]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append(
                {
                    "code": code,
                    "method": handler.command,
                    "path": path,
                    "query": query,
                    "body": body,
                    "headers": dict(handler.headers),
                }
            )
        self._local.headers = dict(handler.headers)
        if code not in CONTENT_TYPES:
            reply = Reply(404, b"no such registry", "text/plain")
        else:
            reply = self._scenario_reply(code, handler.command, path, query, body)
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        # A client that gave up (timeout tests) may have closed the socket.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(reply.body)

    def _scenario_reply(self, code, method, path, query, body):
        scenario = self.scenarios.get(code, "auto")
        ctype = CONTENT_TYPES[code]
        if scenario == "slow":
            time.sleep(self.slow_seconds)
        elif scenario == "http_429":
            return Reply(429, self._error_body(code, 429), ctype, {"Retry-After": "60"})
        elif scenario in ("http_500", "http_503"):
            return Reply(int(scenario[-3:]), self._error_body(code, scenario), ctype)
        elif scenario == "garbage":
            return Reply(200, b'{"ico": "4527\x00<html><body>Bad Gat', ctype)
        elif scenario == "error_200":
            return Reply(200, self._error_200(code), ctype)
        return getattr(self, f"_{code}")(method, path, query, body)

    def _fixture(self, code, name, ext):
        variant = self.variants.get((code, name.split("_", 1)[-1]))
        if variant:
            candidate = FIXTURES / code / f"{name}.{variant}.{ext}"
            if candidate.exists():
                return candidate.read_bytes()
        path = FIXTURES / code / f"{name}.{ext}"
        return path.read_bytes() if path.exists() else None

    def _error_body(self, code, status):
        if code in ("cz_adis", "cz_isir", "sk_replik", "pl_gus_regon"):
            return self._fixture(code, "soap-fault", "xml")
        if status == 429:
            return json.dumps({"status": 429, "error": "Too Many Requests"}).encode()
        return json.dumps({"status": status, "error": "Service Unavailable"}).encode()

    def _error_200(self, code):
        if code == "pl_gus_regon":
            return self._gus_envelope("DaneSzukajPodmioty", "").encode()
        if code == "sk_financna_sprava":
            return json.dumps({"message": "Služba je dočasne nedostupná"}).encode()
        if code == "lists":
            return b"<html><body>Stranka sa docasne nenasla</body></html>"
        name = {
            "cz_ares": "error-200",
            "cz_adis": "status-code-2",
            "cz_isir": "error-WS4",
            "sk_rpo": "error-200",
            "sk_replik": "soap-fault",
            "pl_whitelist": "WL-196",
            "pl_krs": "not-found-404",
            "eu_vies": "MS_UNAVAILABLE",
        }[code]
        xml = code in ("cz_adis", "cz_isir", "sk_replik")
        return self._fixture(code, name, "xml" if xml else "json")

    # -- registries -----------------------------------------------------------
    def _cz_ares(self, method, path, query, body):
        if method == "POST" and path == "/ekonomicke-subjekty/vyhledat":
            request = json.loads(body or b"{}")
            icos = request.get("ico") or []
            if len(icos) > 100:
                return Reply(400, self._fixture("cz_ares", "error-400-generic", "json"))
            subjects = [
                json.loads(data)
                for data in (self._fixture("cz_ares", ico, "json") for ico in icos)
                if data
            ]
            return Reply(
                200,
                json.dumps(
                    {"pocetCelkem": len(subjects), "ekonomickeSubjekty": subjects},
                    ensure_ascii=False,
                ),
            )
        match = re.fullmatch(r"/ekonomicke-subjekty/([^/]+)", path)
        if method != "GET" or not match:
            return Reply(404, self._fixture("cz_ares", "wrong-endpoint-404", "json"))
        ico = match.group(1)
        if not re.fullmatch(r"\d{8}", ico):
            return Reply(400, self._fixture("cz_ares", "error-400-generic", "json"))
        data = self._fixture("cz_ares", ico, "json")
        if data is None:
            return Reply(404, self._fixture("cz_ares", "not-found-404", "json"))
        return Reply(200, data)

    def _cz_adis(self, method, path, query, body):
        dics = re.findall(rb"<(?:\w+:)?dic>([^<]*)</(?:\w+:)?dic>", body or b"")
        if method != "POST" or not dics:
            return Reply(500, self._fixture("cz_adis", "soap-fault", "xml"), XML)
        if len(dics) > 100:
            return Reply(200, self._fixture("cz_adis", "status-code-1", "xml"), XML)
        subjects = []
        for dic in dics:
            dic = dic.decode()
            fragment = self._fixture("cz_adis", f"subject_{dic}", "xml")
            subjects.append(
                fragment.decode().strip()
                if fragment
                else f'<statusSubjektu typSubjektu="NENALEZEN" dic="{dic}" '
                'nespolehlivyPlatce="NENALEZEN"/>'
            )
        envelope = self._fixture("cz_adis", "envelope", "xml").decode()
        return Reply(200, envelope.replace("{subjects}", "".join(subjects)), XML)

    def _sk_rpo(self, method, path, query, body):
        if path == "/search":
            if "identifier" not in query:
                return Reply(400, self._fixture("sk_rpo", "error-400", "json"))
            data = self._fixture("sk_rpo", f"search_{query['identifier']}", "json")
            return Reply(200, data or self._fixture("sk_rpo", "search-empty", "json"))
        match = re.fullmatch(r"/entity/(\d+)", path)
        data = match and self._fixture("sk_rpo", f"entity_{match.group(1)}", "json")
        if not data:
            return Reply(404, json.dumps({"code": 404, "message": "Not found"}))
        return Reply(200, data)

    def _pl_whitelist(self, method, path, query, body):
        request_id = f"replay-{len(self.requests):05d}"
        stamp = {"requestId": request_id, "requestDateTime": "03-10-2026 21:02:07"}
        if not query.get("date"):
            return Reply(400, self._fixture("pl_whitelist", "WL-101", "json"))
        many = re.fullmatch(r"/api/search/nips/([\d,]+)", path)
        if many:
            return self._pl_whitelist_many(many.group(1).split(","), stamp)
        match = re.fullmatch(r"/api/search/nip/(\d*)", path)
        check = re.fullmatch(r"/api/check/nip/(\d+)/bank-account/(\d+)", path)
        nip = (match or check) and (match or check).group(1)
        if not nip or not _nip_ok(nip):
            return Reply(400, self._fixture("pl_whitelist", "WL-115", "json"))
        data = self._fixture("pl_whitelist", f"nip_{nip}", "json")
        subject = json.loads(data) if data else None
        if check:
            accounts = (subject or {}).get("accountNumbers") or []
            assigned = "TAK" if check.group(2) in accounts else "NIE"
            result = dict(stamp, accountAssigned=assigned)
        else:
            result = dict(stamp, subject=subject)
        return Reply(200, json.dumps({"result": result}, ensure_ascii=False))

    def _pl_whitelist_many(self, nips, stamp):
        if len(nips) > 30:
            return Reply(400, self._fixture("pl_whitelist", "WL-130", "json"))
        entries = []
        for nip in nips:
            if not _nip_ok(nip):
                error = json.loads(self._fixture("pl_whitelist", "WL-115", "json"))
                entries.append({"identifier": nip, "subjects": [], "error": error})
                continue
            data = self._fixture("pl_whitelist", f"nip_{nip}", "json")
            subjects = [json.loads(data)] if data else []
            entries.append({"identifier": nip, "subjects": subjects})
        result = dict(stamp, entries=entries)
        return Reply(200, json.dumps({"result": result}, ensure_ascii=False))

    def _pl_krs(self, method, path, query, body):
        match = re.fullmatch(r"/api/krs/OdpisAktualny/(\d{10})", path)
        data = match and self._fixture("pl_krs", match.group(1), "json")
        if data:
            register = json.loads(data)["odpis"]["naglowekA"]["rejestr"]
            if register == "Rej" + query.get("rejestr", "P"):
                return Reply(200, data)
        return Reply(404, self._fixture("pl_krs", "not-found-404", "json"))

    def _eu_vies(self, method, path, query, body):
        if method == "POST" and path == "/check-vat-number":
            request = json.loads(body or b"{}")
            if not (
                request.get("requesterNumber")
                and request.get("requesterMemberStateCode")
            ):
                return Reply(400, self._fixture("eu_vies", "http-400", "json"))
            key = request.get("countryCode", "") + request.get("vatNumber", "")
            if key == "CZ45274649":
                return Reply(
                    200, self._fixture("eu_vies", "valid-with-requester", "json")
                )
            return Reply(200, self._invalid(request.get("vatNumber", "")))
        match = re.fullmatch(r"/ms/([A-Z]{2})/vat/([0-9A-Za-z]+)", path)
        if not match:
            return Reply(400, self._fixture("eu_vies", "http-400", "json"))
        data = self._fixture("eu_vies", match.group(1) + match.group(2), "json")
        return Reply(200, data or self._invalid(match.group(2)))

    def _cz_isir(self, method, path, query, body):
        match = re.search(rb"<ic>([^<]*)</ic>", body or b"")
        if method != "POST" or not match:
            return Reply(500, self._fixture("cz_isir", "soap-fault", "xml"), XML)
        ico = match.group(1).decode()
        if not re.fullmatch(r"\d{8}", ico):
            return Reply(200, self._fixture("cz_isir", "error-WS1", "xml"), XML)
        data = self._fixture("cz_isir", ico, "xml")
        return Reply(
            200, data or self._fixture("cz_isir", "no-data-zero-count", "xml"), XML
        )

    def _sk_replik(self, method, path, query, body):
        match = re.search(rb"<(?:\w+:)?Ico>([^<]*)</(?:\w+:)?Ico>", body or b"")
        page = re.search(rb"<(?:\w+:)?Stranka>(\d+)</", body or b"")
        if method != "POST" or not match or not re.fullmatch(rb"\d{8}", match.group(1)):
            return Reply(
                500, self._fixture("sk_replik", "soap-fault-client", "xml"), XML
            )
        ico = match.group(1).decode()
        data = None
        if not page or page.group(1) == b"0":
            data = self._fixture("sk_replik", ico, "xml")
        return Reply(200, data or self._fixture("sk_replik", "empty", "xml"), XML)

    def _sk_financna_sprava(self, method, path, query, body):
        dump = re.fullmatch(r"/report/(\w+)\.zip", path)
        if dump:
            return self._fs_dump(dump.group(1))
        if self._local.headers.get("key") != FS_KEY:
            return Reply(401, json.dumps({"message": "Unauthorized"}))
        lists = json.loads(self._fixture("sk_financna_sprava", "lists", "json"))
        if path == "/lists":
            return Reply(200, json.dumps(lists, ensure_ascii=False))
        match = re.fullmatch(r"/data/(\w+)/search", path)
        meta = {item["slug"]: item for item in lists}
        if not match or match.group(1) not in meta:
            return Reply(404, json.dumps({"message": "List not found"}))
        slug = match.group(1)
        column = query.get("column", "")
        value = query.get("search", "")
        if column not in meta[slug]["searchable"]:
            return Reply(400, json.dumps({"message": "Column is not searchable"}))
        if len(value) < 5:
            return Reply(400, json.dumps({"message": "Minimum search len is 5"}))
        items = json.loads(self._fixture("sk_financna_sprava", f"data/{slug}", "json"))
        hits = [item for item in items if _folded(value) in _folded(item.get(column))]
        if not hits:
            return Reply(404, json.dumps({"message": "Search not found"}))
        envelope = {
            "page": 1,
            "pages": 1,
            "itemsCount": len(hits),
            "itemsPerPage": 1000,
            "data": hits,
        }
        return Reply(200, json.dumps(envelope, ensure_ascii=False))

    def _fs_dump(self, slug):
        folder = FIXTURES / "sk_financna_sprava" / "dumps"
        variant = self.variants.get(("sk_financna_sprava", slug))
        files = sorted(folder.glob(f"{slug}.{variant}.*" if variant else f"{slug}.*"))
        files = [f for f in files if variant or f.name.count(".") == 1]
        if not files:
            return Reply(404, b"<html><body>404 Not Found</body></html>", "text/html")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            name = f"{slug}{files[0].suffix}"
            # A fixed timestamp: the same fixture gives the same bytes (sha256).
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 5, 0, 0))
            archive.writestr(info, files[0].read_bytes(), zipfile.ZIP_DEFLATED)
        return Reply(200, buffer.getvalue(), "application/zip")

    def _pl_gus_regon(self, method, path, query, body):
        operation = re.search(rb"<(?:\w+:)?Body><(?:\w+:)?(\w+)", body or b"")
        if method != "POST" or not operation:
            return Reply(400, self._fixture("pl_gus_regon", "soap-fault", "xml"), MTOM)
        operation = operation.group(1).decode()
        if operation == "Zaloguj":
            key = re.search(rb"pKluczUzytkownika>([^<]*)<", body)
            sid = GUS_SID if key and key.group(1).decode() == GUS_KEY else ""
            return self._gus_reply(operation, sid)
        if self._local.headers.get("sid") != GUS_SID:
            return self._gus_reply(operation, "")  # no or expired session
        if operation == "DaneSzukajPodmioty":
            number = re.search(rb"<(?:\w+:)?(?:Nip|Regon|Regon14zn)>(\d+)<", body)
            number = number.group(1).decode() if number else ""
            data = self._fixture("pl_gus_regon", f"search_{number}", "xml")
        elif operation == "DanePobierzPelnyRaport":
            number = re.search(rb"pRegon>(\d+)<", body)
            number = number.group(1).decode() if number else ""
            data = self._fixture("pl_gus_regon", f"report_{number}", "xml")
        else:
            return Reply(400, self._fixture("pl_gus_regon", "soap-fault", "xml"), MTOM)
        if data is None:
            data = self._fixture("pl_gus_regon", "not-found", "xml")
            data = data.replace(b"{number}", number.encode())
        return self._gus_reply(operation, data.decode())

    def _gus_envelope(self, operation, result):
        template = self._fixture("pl_gus_regon", "envelope", "xml").decode()
        inner = escape(result.strip()).replace("\n", "&#xD;\n")
        text = template.replace("{operation}", operation).replace("{result}", inner)
        return text.replace("\n", "\r\n")

    def _gus_reply(self, operation, result):
        return Reply(200, self._gus_envelope(operation, result), MTOM)

    def _lists(self, method, path, query, body):
        match = re.fullmatch(r"/([\w-]+)\.(\w+)", path)
        data = match and self._fixture("lists", match.group(1), match.group(2))
        if not data:
            return Reply(404, b"<html><body>404 Not Found</body></html>", "text/html")
        return Reply(
            200, data, LIST_TYPES.get(match.group(2), "application/octet-stream")
        )

    def _invalid(self, number):
        template = self._fixture("eu_vies", "invalid", "json").decode()
        return template.replace("{number}", number)


def _folded(value):
    text = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _nip_ok(nip):
    if len(nip) != 10:
        return False
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    return sum(int(d) * w for d, w in zip(nip, weights, strict=False)) % 11 == int(
        nip[9]
    )
