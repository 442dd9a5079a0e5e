from . import crm_extended_call_log
from . import crm_extended_call_log_line
