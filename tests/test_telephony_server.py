"""A real odoo-bin takes PBX events over HTTP and logs the calls (committed data)."""

import json
import secrets
import urllib.error
import urllib.request


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
