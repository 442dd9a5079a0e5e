"""A real odoo-bin runs registry checks against the replay server on 127.0.0.1."""

import pytest
from registry_imports import registry_replay


@pytest.fixture
def admin(odoo_server, rpc):
    database = odoo_server["database"]
    uid = rpc.call("common", "login", database, "admin", "admin")

    def call(model, method, *args, **kwargs):
        return rpc.call(
            "object", "execute_kw", database, uid, "admin", model, method, list(args),
            kwargs,
        )  # fmt: skip

    return call


@pytest.fixture
def providers_on_replay(admin):
    with registry_replay.ReplayServer() as replay:
        providers = admin(
            "crm_extended.registry.provider",
            "search_read",
            [("base_url", "!=", False)],
            fields=["code", "base_url"],
        )
        for provider in providers:
            if provider["code"] in registry_replay.server.REAL_PREFIX:
                url = replay.base_url(provider["code"])
            else:  # a source the replay does not know: never a real registry
                url = f"{replay.url}/{provider['code']}"
            admin(
                "crm_extended.registry.provider",
                "write",
                [provider["id"]],
                {"base_url": url},
            )
        yield replay
        for provider in providers:
            admin(
                "crm_extended.registry.provider",
                "write",
                [provider["id"]],
                {"base_url": provider["base_url"]},
            )


def test_registry_check_over_jsonrpc(admin, providers_on_replay):
    [partner_id] = admin(
        "res.partner", "search", [("name", "=", "Moravská strojírna s.r.o.")]
    )
    # The demo already holds the evidence of an earlier (recorded) check.
    earlier = admin(
        "crm_extended.registry.check", "search", [("partner_id", "=", partner_id)]
    )
    admin("res.partner", "action_registry_check", [partner_id])
    [card] = admin(
        "res.partner",
        "read",
        [partner_id],
        fields=["registry_status", "registry_summary"],
    )
    # The replay server does not know this demo company: a definitive answer.
    assert card["registry_status"] == "warning"
    assert "does not know" in card["registry_summary"]
    asked = {request["code"] for request in providers_on_replay.requests}
    assert asked == {"cz_ares", "cz_adis", "cz_isir", "eu_vies"}
    checks = admin(
        "crm_extended.registry.check",
        "search_read",
        [("partner_id", "=", partner_id), ("id", "not in", earlier)],
        fields=["outcome", "raw_sha256"],
    )
    assert len(checks) == 4
    assert all(check["raw_sha256"] for check in checks)
    # Not in the insolvency register: a clean answer, not a warning of its own.
    assert "ISIR" not in card["registry_summary"]
