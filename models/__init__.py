# Shared: the trust guard, the stage-history mixins, core models several
# capabilities extend (their per-capability parts follow in each family).
from . import base
from . import crm_customer_purchase
from . import stage_history_entry_mixin
from . import stage_history_mixin
from . import crm_lead
from . import ir_actions_report

# Buying influencers (CUTE)
from . import crm_lead_influencer
from . import crm_lead_cute
from . import crm_stage_cute
from . import calendar_event
from . import res_partner_cute
from . import res_config_settings_cute

# Competitors and SWOT
from . import crm_swot_factor
from . import crm_competitor
from . import crm_lead_competitor
from . import crm_swot_item
from . import crm_lead_swot
from . import crm_team_competitor

# Complaints
from . import helpdesk_ticket_stage_history
from . import helpdesk_complaint_tree_mixin
from . import ir_module_module
from . import helpdesk_complaint_category
from . import helpdesk_ticket
from . import helpdesk_ticket_classification
from . import helpdesk_ticket_intake
from . import helpdesk_ticket_deadline
from . import helpdesk_ticket_handling
from . import helpdesk_ticket_solution
from . import helpdesk_ticket_remedy
from . import helpdesk_ticket_root_cause
from . import helpdesk_ticket_team
from . import helpdesk_complaint_priority
from . import helpdesk_complaint_step
from . import helpdesk_complaint_solution
from . import helpdesk_complaint_keyword
from . import helpdesk_complaint_classifier
from . import helpdesk_complaint_remedy_mixin
from . import account_move_complaint
from . import stock_picking_complaint
from . import sale_order_complaint
from . import loyalty_card_complaint
from . import helpdesk_complaint_root_cause
from . import helpdesk_complaint_activity_mixin
from . import helpdesk_complaint_action
from . import helpdesk_complaint_investigation
from . import crm_lead_complaint
from . import res_partner_complaint
from . import res_company_complaint
from . import res_config_settings_complaint

# Sales funnel
from . import crm_lead_stage_history
from . import crm_lead_funnel
from . import crm_lead_aging
from . import crm_stage_aging
from . import crm_stage_aging_limit
from . import crm_sales_target
from . import crm_team_mail_report
from . import crm_team_funnel

# Customer value and ERP integration
from . import res_partner_analytics
from . import res_partner_master
from . import res_partner_value_history
from . import sale_order_erp
from . import crm_lead_erp
from . import res_company_customer_value
from . import res_config_settings_customer_value

# Customer care
from . import crm_care_campaign
from . import crm_care_campaign_occurrence
from . import crm_care_campaign_member
from . import crm_care_campaign_resource
from . import sale_order_care
from . import loyalty_card_care
from . import mail_activity
from . import crm_care_holiday
from . import crm_care_holiday_date
from . import res_company_care
from . import res_config_settings_care
