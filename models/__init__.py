from . import crm_lead_influencer
from . import crm_lead
from . import crm_stage
from . import calendar_event
from . import res_partner
from . import res_config_settings
