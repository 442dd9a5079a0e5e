from . import crm_extended_demo_history
from . import res_partner
