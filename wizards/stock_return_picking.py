# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.helpdesk_ticket import COMPLAINT_TICKET_CONTEXT


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        values = super()._prepare_picking_default_values()
        # Opened from a complaint: the return of its delivery remedies it. The
        # context outlives the wizard (the return opens with it), hence the check
        # on the picking returned.
        ticket_id = self.env.context.get(COMPLAINT_TICKET_CONTEXT)
        if ticket_id:
            ticket = self.env["helpdesk.ticket"].browse(ticket_id).exists()
            if ticket and ticket.picking_id == self.picking_id:
                values["complaint_ticket_id"] = ticket.id
        return values
