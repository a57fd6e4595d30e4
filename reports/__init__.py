from . import crm_lead_brief
