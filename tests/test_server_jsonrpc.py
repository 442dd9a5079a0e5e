"""A real odoo-bin with crm_extended answers JSON-RPC with the card fields."""


def test_admin_reads_demo_card_over_jsonrpc(odoo_server, rpc):
    database = odoo_server["database"]
    uid = rpc.call("common", "login", database, "admin", "admin")
    assert uid, "admin could not log in"
    partner_ids = rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        "admin",
        "res.partner",
        "search",
        [[("name", "=", "Vltava Food s.r.o.")]],
    )
    assert len(partner_ids) == 1
    [card] = rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        "admin",
        "res.partner",
        "read",
        [partner_ids, ["name", "company_registry", "card_open_balance"]],
    )
    assert card["company_registry"] == "05177201"
    # The demo bad payer leaves invoices open, so the card shows an open balance.
    assert card["card_open_balance"] > 0


def test_server_stops_cleanly_on_sigterm(odoo_server):
    process = odoo_server["process"]
    assert process.poll() is None, "the server must still be running during the tests"


def test_unknown_login_is_refused(odoo_server, rpc):
    uid = rpc.call("common", "login", odoo_server["database"], "admin", "wrong")
    assert uid is False
