# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStageHistory(models.Model):
    """Append-only stage history of helpdesk tickets (complaints included): the
    same mechanism as the opportunities', with the team and the assigned user at
    the moment of each transition. Visible exactly where the ticket is."""

    _name = "helpdesk.ticket.stage.history"
    _inherit = ["stage.history.entry.mixin"]
    _description = "Ticket Stage History"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    stage_from_id = fields.Many2one(
        "helpdesk.ticket.stage", string="From Stage", readonly=True, ondelete="set null"
    )
    stage_to_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="To Stage",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team", readonly=True, ondelete="set null"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned User",
        readonly=True,
        ondelete="set null",
        help="The ticket's assigned user at the moment of the transition.",
    )

    def init(self):
        res = super().init()
        self.env["helpdesk.ticket"]._stage_history_init()
        return res
