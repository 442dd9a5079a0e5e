from . import crm_extended_demo_history
from . import res_partner
from . import campaign_member
from . import campaign_response_status
from . import utm_campaign
from . import crm_lead
from . import mailing_trace
from . import campaign_attribution
