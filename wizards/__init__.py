from . import crm_lead_influencer_memory
