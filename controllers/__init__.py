from . import helpdesk_ticket_portal
from . import report_download
