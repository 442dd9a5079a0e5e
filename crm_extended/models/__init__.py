from . import crm_extended_demo_history
from . import res_partner
from . import crm_extended_call
from . import crm_extended_pbx
from . import res_users
