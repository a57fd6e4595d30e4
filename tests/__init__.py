from . import test_crm_lead_influencer
from . import test_crm_lead_influencer_access
from . import test_crm_stage_gate
from . import test_crm_lead_brief
from . import test_crm_lead_influencer_tour
from . import test_crm_360_bench
