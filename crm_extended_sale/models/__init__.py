from . import sale_order
from . import sale_order_registry
from . import sale_order_selling
from . import crm_extended_pipeline_figures
from . import res_partner_selling
from . import crm_extended_offer_report
from . import crm_extended_sales_forecast
from . import utm_campaign
