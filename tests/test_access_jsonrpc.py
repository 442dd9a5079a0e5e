"""Internal ratings over JSON-RPC on a real odoo-bin: a portal contact of a demo
customer and an employee without a card role get none of them, whatever method
they call; a salesperson does."""

import pytest

CUSTOMER = "Vltava Food s.r.o."
PORTAL_LOGIN = "access_rpc_portal"
INTERNAL_LOGIN = "access_rpc_internal"
SALES_LOGIN = "access_rpc_salesperson"


def _execute(rpc, database, login, model, method, *args, **kwargs):
    uid = rpc.call("common", "login", database, login, login)
    assert uid, f"{login} could not log in"
    return rpc.call(
        "object", "execute_kw", database, uid, login, model, method, list(args), kwargs
    )


def _admin(rpc, database, model, method, *args, **kwargs):
    uid = rpc.call("common", "login", database, "admin", "admin")
    return rpc.call(
        "object",
        "execute_kw",
        database,
        uid,
        "admin",
        model,
        method,
        list(args),
        kwargs,
    )


def _group(rpc, database, xmlid):
    module, name = xmlid.split(".")
    [data] = _admin(
        rpc,
        database,
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return data["res_id"]


@pytest.fixture(scope="module")
def users(odoo_server, rpc):
    database = odoo_server["database"]
    [customer_id] = _admin(
        rpc, database, "res.partner", "search", [("name", "=", CUSTOMER)]
    )
    wanted = {
        PORTAL_LOGIN: ["base.group_portal"],
        INTERNAL_LOGIN: ["base.group_user", "base.group_allow_export"],
        SALES_LOGIN: ["crm_extended.group_card_user", "base.group_allow_export"],
    }
    for login, groups in wanted.items():
        if _admin(rpc, database, "res.users", "search", [("login", "=", login)]):
            continue
        values = {
            "name": login.replace("_", " ").title(),
            "login": login,
            "password": login,
            "groups_id": [(6, 0, [_group(rpc, database, xmlid) for xmlid in groups])],
        }
        user_id = _admin(rpc, database, "res.users", "create", values)
        if login == PORTAL_LOGIN:
            [user] = _admin(
                rpc, database, "res.users", "read", [user_id], ["partner_id"]
            )
            _admin(
                rpc,
                database,
                "res.partner",
                "write",
                [user["partner_id"][0]],
                {"parent_id": customer_id},
            )
    return {"database": database, "customer": customer_id}


PROBES = {
    "read": lambda call, cid: call("res.partner", "read", [cid], ["payment_grade"]),
    "search_read": lambda call, cid: call(
        "res.partner",
        "search_read",
        [("payment_grade", "in", ["A", "B", "C", "D", "E"])],
        fields=["name"],
    ),
    "read_group": lambda call, cid: call(
        "res.partner", "read_group", [("id", "=", cid)], ["id"], ["registry_status"]
    ),
    "web_read": lambda call, cid: call(
        "res.partner", "web_read", [cid], {"payment_grade_reason": {}}
    ),
    "export": lambda call, cid: call(
        "res.partner", "export_data", [cid], ["registry_summary"]
    ),
    "probe_timeline": lambda call, cid: call(
        "res.partner", "search_count", [("card_timeline_ids", "!=", False)]
    ),
    "contact_role": lambda call, cid: call(
        "res.partner",
        "search_read",
        [("parent_id", "=", cid)],
        fields=["crm_contact_role"],
    ),
}


@pytest.mark.parametrize("login", [PORTAL_LOGIN, INTERNAL_LOGIN])
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_no_rating_for_portal_and_users_without_a_card_role(rpc, users, login, probe):
    def call(model, method, *args, **kwargs):
        return _execute(rpc, users["database"], login, model, method, *args, **kwargs)

    with pytest.raises(RuntimeError):
        PROBES[probe](call, users["customer"])


def test_portal_contact_reads_its_own_company(rpc, users):
    [company] = _execute(
        rpc,
        users["database"],
        PORTAL_LOGIN,
        "res.partner",
        "read",
        [users["customer"]],
        ["name"],
    )
    assert company["name"] == CUSTOMER


def test_salesperson_reads_the_ratings(rpc, users):
    def call(model, method, *args, **kwargs):
        return _execute(
            rpc, users["database"], SALES_LOGIN, model, method, *args, **kwargs
        )

    [card] = PROBES["read"](call, users["customer"])
    assert card["payment_grade"] in ("A", "B", "C", "D", "E")
    assert PROBES["probe_timeline"](call, users["customer"]) > 0
    assert PROBES["export"](call, users["customer"])["datas"]
