"""A loopback HTTP server that answers like ARES, ADIS, RPO, the Polish white list,
KRS and VIES, from the fixture files next to it.

Every registry lives under its own prefix (``/cz_ares``, ``/cz_adis``, ...), followed
by the registry's real path, so ``server.base_url("cz_ares")`` is a drop-in base URL.
By default the answer depends on the identifier asked (fixture present: found;
absent: the registry's "not found"). ``server.scenarios[code]`` forces an outage or
error for one registry; ``server.variants[(code, identifier)]`` picks a fixture
variant (``<id>.<variant>.<ext>``). ``server.requests`` records what was asked.

Plain Python (no Odoo, no pytest), importable by path from any test.
"""

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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
CONTENT_TYPES = {
    "cz_ares": JSON,
    "cz_adis": XML,
    "sk_rpo": JSON,
    "pl_whitelist": JSON,
    "pl_krs": JSON,
    "eu_vies": JSON,
}
REAL_PREFIX = {
    "cz_ares": "/ekonomicke-subjekty-v-be/rest",
    "cz_adis": "/dpr/axis2/services/rozhraniCRPDPH.rozhraniCRPDPHSOAP",
    "sk_rpo": "/rpo/v1",
    "pl_whitelist": "",
    "pl_krs": "",
    "eu_vies": "/taxation_customs/vies/rest-api",
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
        if code == "cz_adis":
            return self._fixture(code, "soap-fault", "xml")
        if status == 429:
            return json.dumps({"status": 429, "error": "Too Many Requests"}).encode()
        return json.dumps({"status": status, "error": "Service Unavailable"}).encode()

    def _error_200(self, code):
        name = {
            "cz_ares": "error-200",
            "cz_adis": "status-code-2",
            "sk_rpo": "error-200",
            "pl_whitelist": "WL-196",
            "pl_krs": "not-found-404",
            "eu_vies": "MS_UNAVAILABLE",
        }[code]
        return self._fixture(code, name, "xml" if code == "cz_adis" else "json")

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

    def _invalid(self, number):
        template = self._fixture("eu_vies", "invalid", "json").decode()
        return template.replace("{number}", number)


def _nip_ok(nip):
    if len(nip) != 10:
        return False
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    return sum(int(d) * w for d, w in zip(nip, weights, strict=False)) % 11 == int(
        nip[9]
    )
