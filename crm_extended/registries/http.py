"""HTTP base for registry clients: configurable base URL, timeout, rate limit.

Every transport problem (timeout, TLS, refused connection, 5xx, 429, unexpected
status, malformed body) becomes a :class:`RegistryUnavailable`, which the clients
turn into outcome ``unknown``; nothing here ever says "not found" on its own.
"""

import threading
import time
from collections import deque

import requests

from . import result as res
from .base import RegistrySource

USER_AGENT = "crm_extended registry check (Odoo 18)"


class RegistryUnavailable(Exception):
    """The registry gave no usable answer; the message says why."""

    def __init__(self, reason, response=None, kind=res.UNREACHABLE):
        super().__init__(reason)
        self.reason = reason
        self.response = response
        self.kind = kind


class RateLimiter:
    """Sliding-window limiter: at most ``calls`` per ``period`` seconds.

    ``acquire`` sleeps until a slot is free, unless the wait would exceed
    ``max_wait``; then it raises :class:`RegistryUnavailable` (a cron retries later
    rather than hanging a worker).
    """

    def __init__(self, calls, period, max_wait=30.0, clock=time.monotonic):
        self.calls = calls
        self.period = period
        self.max_wait = max_wait
        self._clock = clock
        self._sent = deque()
        self._lock = threading.Lock()

    def acquire(self, sleep=time.sleep):
        with self._lock:
            now = self._clock()
            while self._sent and now - self._sent[0] >= self.period:
                self._sent.popleft()
            if len(self._sent) >= self.calls:
                wait = self.period - (now - self._sent[0])
                if wait > self.max_wait:
                    raise RegistryUnavailable(
                        f"local rate limit of {self.calls} requests per "
                        f"{self.period:g} s reached; try again later",
                        kind=res.RATE_LIMITED,
                    )
                sleep(wait)
                now = self._clock()
                self._sent.popleft()
            self._sent.append(now)


_LIMITERS = {}
_LIMITERS_LOCK = threading.Lock()


def shared_limiter(key, calls, period):
    """One limiter per registry and process, shared by every client instance."""
    with _LIMITERS_LOCK:
        if key not in _LIMITERS:
            _LIMITERS[key] = RateLimiter(calls, period)
        return _LIMITERS[key]


_SEMAPHORES = {}


def shared_semaphore(key, size):
    with _LIMITERS_LOCK:
        if key not in _SEMAPHORES:
            _SEMAPHORES[key] = threading.BoundedSemaphore(size)
        return _SEMAPHORES[key]


class RegistryClient(RegistrySource):
    """Base of the HTTP clients. Subclasses set ``code``, ``default_base_url``,
    ``rate_limits`` (pairs of calls and period in seconds) and ``max_parallel``
    from the registry's published terms; ``rate_limits`` given to the constructor
    replace the defaults (a provider with a contract may allow more).

    One interface for every client: ``lookup(query, today=None)`` and
    ``lookup_many(queries, today=None)`` (``{query: RegistryResult}``); both
    never raise on a registry problem, which is outcome ``unknown``.
    """

    code = None
    default_base_url = None
    rate_limits = ((60, 60.0),)
    max_parallel = 4

    def __init__(self, base_url=None, timeout=10.0, credentials=None, rate_limits=None):
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.timeout = timeout
        self.credentials = credentials or {}
        self.limiters = [
            shared_limiter((self.code, self.base_url, calls, period), calls, period)
            for calls, period in (rate_limits or self.rate_limits)
        ]
        self.parallel = shared_semaphore((self.code, self.base_url), self.max_parallel)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def lookup(self, query, today=None):
        raise NotImplementedError

    def lookup_many(self, queries, today=None):
        """Every query answered; clients with a bulk call override this."""
        return {query: self.lookup(query, today=today) for query in queries}

    def _unknown(self, query, exc):
        """Outcome unknown from a :class:`RegistryUnavailable`, raw answer kept."""
        raw, ctype = self.raw_of(exc.response)
        status = exc.response.status_code if exc.response is not None else None
        return res.unknown(
            self.code,
            query,
            exc.reason,
            kind=exc.kind,
            raw=raw,
            content_type=ctype,
            http_status=status,
        )

    def _request(self, method, path, ok_statuses=(200,), **kwargs):
        """Send one request; return the response when its status is expected."""
        for limiter in self.limiters:
            limiter.acquire()
        url = self.base_url + path
        try:
            with self.parallel:
                response = self.session.request(
                    method, url, timeout=self.timeout, allow_redirects=False, **kwargs
                )
        except requests.exceptions.SSLError as exc:
            raise RegistryUnavailable(f"TLS error talking to {url}: {exc}") from exc
        except requests.exceptions.Timeout as exc:
            raise RegistryUnavailable(
                f"no answer from {url} within {self.timeout:g} s"
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise RegistryUnavailable(f"cannot reach {url}: {exc}") from exc
        if response.status_code in ok_statuses:
            return response
        if response.status_code == 429:
            retry = response.headers.get("Retry-After")
            raise RegistryUnavailable(
                "the registry refused the request: rate limit reached (HTTP 429)"
                + (f", retry after {retry} s" if retry else ""),
                response,
                kind=res.RATE_LIMITED,
            )
        if response.status_code >= 500:
            raise RegistryUnavailable(
                f"the registry is unavailable (HTTP {response.status_code})", response
            )
        raise RegistryUnavailable(
            f"unexpected answer HTTP {response.status_code} from {url}",
            response,
            kind=res.REFUSED,
        )

    @staticmethod
    def _json(response):
        try:
            return response.json()
        except ValueError as exc:
            raise RegistryUnavailable(
                "the registry answered with a body that is not valid JSON",
                response,
                kind=res.MALFORMED,
            ) from exc

    @staticmethod
    def raw_of(response):
        if response is None:
            return b"", None
        return response.content or b"", response.headers.get("Content-Type")
