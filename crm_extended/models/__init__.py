from . import account_move
from . import account_move_line
from . import account_partial_reconcile
from . import account_payment
from . import account_payment_register
from . import campaign_attribution
from . import campaign_member
from . import campaign_response_status
from . import card_field_guard
from . import crm_extended_call
from . import crm_extended_card_figures
from . import crm_extended_complaint
from . import crm_extended_complaint_stage
from . import crm_extended_contract
from . import crm_extended_demo_history
from . import crm_extended_payment_behaviour
from . import crm_extended_payment_snapshot
from . import crm_extended_pbx
from . import crm_extended_segment_axis
from . import crm_extended_segment_value
from . import crm_lead
from . import mailing_trace
from . import registry_check
from . import registry_provider
from . import registry_runner

# The confirmation report extends the statement report: keep this order.
from . import report_crm_ledger_statement
from . import report_crm_ledger_confirmation
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_partner_access
from . import res_partner_bank
from . import res_partner_campaign
from . import res_partner_card
from . import res_partner_ledger
from . import res_partner_payment
from . import res_partner_registry
from . import res_partner_telephony
from . import res_users
from . import utm_campaign

# SQL views last: they read columns that the models above add.
from . import campaign_response_report
from . import crm_extended_sale_report
from . import crm_extended_timeline
from . import crm_extended_segment_membership
