"""A real odoo-bin takes PBX events over HTTP and logs the calls (committed data)."""

import json
import secrets
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def _post_event(url, body, token):
    request = urllib.request.Request(
        url + "/crm_extended/pbx/event",
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_exchange_posts_a_call_to_a_real_server(odoo_server, rpc):
    database, url = odoo_server["database"], odoo_server["url"]
    uid = rpc.call("common", "login", database, "admin", "admin")

    def execute(model, method, *args):
        return rpc.call(
            "object", "execute_kw", database, uid, "admin", model, method, args
        )

    execute("res.users", "write", [uid], {"crm_pbx_extension": "100"})
    token = secrets.token_urlsafe(24)
    [country_id] = execute("res.country", "search", [("code", "=", "SK")])
    execute(
        "crm_extended.pbx",
        "create",
        [{"name": "System test exchange", "token": token, "country_id": country_id}],
    )
    call_id = f"system-{secrets.token_hex(4)}"
    # Zuzana Kováčová of the demo company Tatra has +421 905 116 245.
    body = {"event": "ringing", "call_id": call_id, "number": "0905 116 245"}
    status, answer = _post_event(url, {**body, "extension": "100"}, token)
    assert status == 200, answer
    assert answer["duplicate"] is False
    assert _post_event(url, body, token)[1]["duplicate"] is True
    assert _post_event(url, body, "not-the-token")[0] == 401
    assert _post_event(url, {"event": "ringing"}, token)[0] == 400

    def count_call_backs(partner_id):
        return execute(
            "mail.activity",
            "search_count",
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner_id),
                ("summary", "=", "Call back +421 905 116 245"),
            ],
        )

    call_backs_before = count_call_backs(answer["partner"])
    status, answer = _post_event(url, {"event": "missed", "call_id": call_id}, token)
    assert (status, answer["state"]) == (200, "missed")

    [call] = execute(
        "crm_extended.call",
        "search_read",
        [("external_id", "=", call_id)],
        ["partner_id", "commercial_partner_id", "user_id", "state"],
    )
    assert call["partner_id"][1].endswith("Zuzana Kováčová")
    assert call["user_id"][0] == uid
    assert call["state"] == "missed"
    assert count_call_backs(call["partner_id"][0]) == call_backs_before + 1


def test_same_event_posted_at_once_is_answered_once_and_never_500(odoo_server, rpc):
    """Copies of one event (and the other events of the call) racing each other."""
    database, url = odoo_server["database"], odoo_server["url"]
    uid = rpc.call("common", "login", database, "admin", "admin")
    token = secrets.token_urlsafe(24)
    rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        "admin",
        "crm_extended.pbx",
        "create",
        [{"name": "Race exchange", "token": token}],
    )
    run = secrets.token_hex(4)
    bodies = []
    for n in range(12):
        call_id = f"race-{run}-{n}"
        ringing = {
            "event": "ringing",
            "call_id": call_id,
            "number": "+421 911 000 111",
            "timestamp": "2026-03-01T10:00:00Z",
        }
        hungup = {
            "event": "hungup",
            "call_id": call_id,
            "timestamp": "2026-03-01T10:00:30Z",
        }
        # Four copies of the first event and the hang-up, all at the same moment.
        bodies += [ringing] * 4 + [hungup] * 2
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda body: _post_event(url, body, token), bodies))
    assert [status for status, _answer in answers] == [200] * len(bodies), answers
    by_call = {}
    for (_status, answer), body in zip(answers, bodies, strict=True):
        by_call.setdefault(body["call_id"], set()).add(answer["call"])
    assert all(len(ids) == 1 for ids in by_call.values()), by_call
    # Per call, the ringing changed it once and the hang-up once: the rest repeated.
    fresh = sum(1 for _status, answer in answers if not answer["duplicate"])
    assert fresh == 2 * 12
    calls = rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        "admin",
        "crm_extended.call",
        "search_read",
        [[("external_id", "=like", f"race-{run}-%")]],
        {"fields": ["state"]},
    )
    assert sorted(call["state"] for call in calls) == ["missed"] * 12
