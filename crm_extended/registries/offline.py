"""Answer a registry client from recorded payloads instead of the network.

Mounted on a client's ``requests`` session, :class:`RecordedAnswers` returns, for
each request path, a payload in the registry's own format (as the replay fixtures
of the tests hold them). The client then parses it exactly as a live answer, so
demo evidence goes through the same code as a real check. A path without a
recording is answered 503: never a silent "not found", never the network.
"""

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

JSON = "application/json"
XML = "text/xml; charset=utf-8"


class RecordedAnswers(BaseAdapter):
    """A transport adapter answering ``{(method, path): (status, content type, body)}``.

    ``path`` is the request path after the client's base URL (``/search``,
    ``/ms/SK/vat/2020317068``); a key with method ``"*"`` answers any method.
    """

    def __init__(self, base_url, answers):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.answers = answers
        self.requests = []

    def send(self, request, **_kwargs):
        url = request.url.split("?", 1)[0]
        path = url.removeprefix(self.base_url)
        self.requests.append((request.method, path))
        answer = self.answers.get((request.method, path)) or self.answers.get(
            ("*", path)
        )
        status, content_type, body = answer or (503, JSON, b'{"error": "offline"}')
        response = requests.Response()
        response.status_code = status
        response._content = body if isinstance(body, bytes) else body.encode()
        response.headers = CaseInsensitiveDict({"Content-Type": content_type})
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        return None


def offline_client(client_class, answers, base_url=None):
    """A registry client whose every request is answered from ``answers``.

    The client gets generous rate limits of its own (recordings cost nothing) and
    its session sends nothing over the network, whatever URL it asks for.
    """
    client = client_class(
        base_url=base_url or client_class.default_base_url,
        timeout=1.0,
        rate_limits=((10000, 1.0),),
    )
    adapter = RecordedAnswers(client.base_url, answers)
    client.session.mount("https://", adapter)
    client.session.mount("http://", adapter)
    client.recorded = adapter
    return client
