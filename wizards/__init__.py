from . import crm_lead_influencer_memory
from . import crm_lead_lost
from . import helpdesk_complaint_wizard_mixin
from . import helpdesk_complaint_escalate
from . import account_move_reversal_complaint
from . import stock_return_picking_complaint
from . import helpdesk_complaint_coupon
from . import base_partner_merge_automatic_wizard
