from . import account_move
from . import account_partial_reconcile
from . import crm_extended_demo_history
from . import crm_extended_payment_behaviour
from . import crm_extended_payment_snapshot
from . import res_company
from . import res_config_settings
from . import res_partner
