from . import crm_extended_demo_history
from . import res_partner
from . import report_crm_ledger_statement
from . import report_crm_ledger_confirmation
from . import account_move_line
