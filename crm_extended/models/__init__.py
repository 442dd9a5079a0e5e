from . import crm_extended_demo_history
from . import res_partner
from . import registry_provider
from . import registry_check
from . import registry_runner
from . import res_partner_bank
from . import account_payment
from . import account_payment_register
