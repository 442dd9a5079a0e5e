from .models.crm_extended_segment_membership import drop_membership_triggers


def uninstall_hook(env):
    drop_membership_triggers(env.cr)
