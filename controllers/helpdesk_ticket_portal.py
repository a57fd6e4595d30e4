# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class HelpdeskTicketPortal(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes the ticket it is given with superuser rights:
        only a ticket the user may open can be closed (a complaint's stage
        drives its history, deadlines and figures)."""
        try:
            ticket_id = int(kw.get("ticket_id"))
        except (TypeError, ValueError) as error:
            raise BadRequest() from error
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        try:
            ticket.check_access("read")
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return super().support_ticket_close(**kw)
