# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.helpdesk_ticket_remedy import COMPLAINT_TICKET_CONTEXT


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _create_return(self):
        new_picking = super()._create_return()
        # Opened from a complaint: the return of its delivery remedies it. The
        # context outlives the wizard (the return opens with it), hence the check
        # on the picking returned; the user must be allowed to change the
        # complaint (_complaint_link_remedy).
        ticket_id = self.env.context.get(COMPLAINT_TICKET_CONTEXT)
        if ticket_id:
            ticket = self.env["helpdesk.ticket"].browse(ticket_id).exists()
            if ticket and ticket.sudo().picking_id == self.picking_id:
                ticket._complaint_link_remedy(new_picking)
        return new_picking
