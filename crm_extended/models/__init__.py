from . import crm_extended_demo_history
from . import crm_extended_export_guard
from . import mail_render_mixin
from . import res_partner
