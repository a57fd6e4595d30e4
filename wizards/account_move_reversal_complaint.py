# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.helpdesk_ticket_remedy import COMPLAINT_TICKET_CONTEXT


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        # Opened from a complaint: the credit note of its invoice remedies it
        # (not the new invoice of a "modify"); the user must be allowed to change
        # the complaint (_complaint_link_remedy).
        ticket_id = self.env.context.get(COMPLAINT_TICKET_CONTEXT)
        ticket = self.env["helpdesk.ticket"]
        if ticket_id:
            ticket = ticket.browse(ticket_id).exists()
        invoice = ticket.sudo().invoice_id
        if ticket and invoice in self.move_ids:
            ticket.check_access("write")
            before = invoice.sudo().reversal_move_ids
        action = super().reverse_moves(is_modify=is_modify)
        if ticket and invoice in self.move_ids:
            invoice.invalidate_recordset(["reversal_move_ids"])
            credit_notes = invoice.sudo().reversal_move_ids - before
            ticket._complaint_link_remedy(credit_notes.with_env(self.env))
        return action
