from . import crm_lead_brief
from . import crm_competitor_report
from . import helpdesk_complaint_report
from . import crm_funnel_report
from . import crm_stage_time_report
from . import crm_forecast_report
from . import xlsx_helper  # what every XLSX export shares
from . import crm_funnel_report_xlsx
from . import crm_forecast_report_xlsx
from . import crm_sales_activity_report
from . import crm_sales_activity_report_xlsx
from . import crm_team_mail_report_xlsx
from . import crm_funnel_summary
from . import crm_lead_reconciliation_report
from . import crm_lead_reconciliation_report_xlsx
from . import res_partner_pareto_report
from . import crm_care_campaign_report
from . import crm_care_campaign_xlsx
