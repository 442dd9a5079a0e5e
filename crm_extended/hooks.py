from .models.crm_extended_payment_behaviour import PARTNER_FILLFACTOR
from .models.crm_extended_segment_membership import drop_membership_triggers


def post_init_hook(env):
    env["crm_extended.demo.setup"]._post_init()


def uninstall_hook(env):
    drop_membership_triggers(env.cr)
    # The room the nightly payment rebuild left in res_partner's pages: back to
    # PostgreSQL's default, unless a DBA set another fill factor since.
    env.cr.execute(
        "SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass"
    )
    if f"fillfactor={PARTNER_FILLFACTOR}" in (env.cr.fetchone()[0] or []):
        env.cr.execute("ALTER TABLE res_partner RESET (fillfactor)")
