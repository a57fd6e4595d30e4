# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.helpdesk_ticket import COMPLAINT_TICKET_CONTEXT


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        # Opened from a complaint: the credit note of its invoice remedies it.
        ticket_id = self.env.context.get(COMPLAINT_TICKET_CONTEXT)
        if ticket_id:
            ticket = self.env["helpdesk.ticket"].browse(ticket_id).exists()
            if ticket and ticket.invoice_id == move:
                values["complaint_ticket_id"] = ticket.id
        return values
