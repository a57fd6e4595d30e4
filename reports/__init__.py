from . import crm_lead_brief
from . import crm_competitor_report
from . import helpdesk_complaint_report
from . import crm_sales_activity_report
from . import crm_sales_activity_report_xlsx
