from . import campaign_member_add
from . import campaign_member_import
from . import crm_extended_call_log
from . import crm_extended_call_log_line
from . import registry_fill
from . import registry_manual
from . import crm_lead_lost
from . import crm_extended_report_grouping
