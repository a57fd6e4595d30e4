from . import crm_lead_brief
from . import crm_competitor_report
from . import helpdesk_complaint_report
from . import crm_funnel_report
from . import crm_stage_time_report
from . import crm_forecast_report
from . import crm_forecast_report_xlsx
