from .models.crm_extended_segment_membership import drop_membership_triggers


def post_init_hook(env):
    env["crm_extended.demo.setup"]._post_init()


def uninstall_hook(env):
    drop_membership_triggers(env.cr)
