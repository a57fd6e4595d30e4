from . import helpdesk_ticket_portal
