from . import crm_lead_influencer_memory
from . import crm_lead_lost
from . import helpdesk_complaint_escalate
