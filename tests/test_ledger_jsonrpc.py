"""The balance ledger over JSON-RPC on a real odoo-bin: accountants get it,
salespeople get an access error and no amounts."""

import pytest

SALES_LOGIN = "ledger_rpc_salesperson"


def _execute(rpc, database, uid, password, model, method, *args, **kwargs):
    return rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        password,
        model,
        method,
        list(args),
        kwargs,
    )


def _demo_partner(rpc, database, uid):
    [partner_id] = _execute(
        rpc,
        database,
        uid,
        "admin",
        "res.partner",
        "search",
        [("name", "=", "Vltava Food s.r.o.")],
    )
    return partner_id


def test_ledger_closing_balance_is_the_card_open_balance(odoo_server, rpc):
    database = odoo_server["database"]
    uid = rpc.call("common", "login", database, "admin", "admin")
    partner_id = _demo_partner(rpc, database, uid)
    ledger = _execute(
        rpc, database, uid, "admin", "res.partner", "crm_ledger", [partner_id]
    )
    assert ledger["lines"], "the demo bad payer has a ledger"
    assert ledger["lines"][-1]["balance"] == pytest.approx(ledger["closing_balance"])
    [card] = _execute(
        rpc,
        database,
        uid,
        "admin",
        "res.partner",
        "read",
        [partner_id],
        ["card_open_balance"],
    )
    assert ledger["closing_balance"] == pytest.approx(card["card_open_balance"])
    page = _execute(
        rpc,
        database,
        uid,
        "admin",
        "res.partner",
        "crm_ledger",
        [partner_id],
        offset=1,
        limit=1,
    )
    assert page["lines"][0]["balance"] == pytest.approx(ledger["lines"][1]["balance"])


def test_salesperson_gets_access_error_over_jsonrpc(odoo_server, rpc):
    database = odoo_server["database"]
    admin = rpc.call("common", "login", database, "admin", "admin")
    if not _execute(
        rpc,
        database,
        admin,
        "admin",
        "res.users",
        "search",
        [("login", "=", SALES_LOGIN)],
    ):
        [group_id] = _execute(
            rpc,
            database,
            admin,
            "admin",
            "ir.model.data",
            "search_read",
            [("module", "=", "crm_extended"), ("name", "=", "group_card_user")],
            fields=["res_id"],
        )
        _execute(
            rpc,
            database,
            admin,
            "admin",
            "res.users",
            "create",
            {
                "name": "Ledger RPC Salesperson",
                "login": SALES_LOGIN,
                "password": SALES_LOGIN,
                "groups_id": [(6, 0, [group_id["res_id"]])],
            },
        )
    uid = rpc.call("common", "login", database, SALES_LOGIN, SALES_LOGIN)
    assert uid
    partner_id = _demo_partner(rpc, database, admin)
    with pytest.raises(RuntimeError, match="accountants"):
        _execute(
            rpc, database, uid, SALES_LOGIN, "res.partner", "crm_ledger", [partner_id]
        )
