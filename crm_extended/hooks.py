def post_init_hook(env):
    env["crm_extended.demo.setup"]._post_init()
