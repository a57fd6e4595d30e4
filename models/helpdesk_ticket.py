# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_complaint = fields.Boolean(
        string="Complaint",
        compute="_compute_is_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The customer complains (投诉), as opposed to asking for help.",
    )
    complaint_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="What exactly is complained about: a category of the complaint "
        "classification.",
    )
    complaint_object = fields.Selection(
        string="Complaint Object",
        related="complaint_aspect_id.complaint_object",
        store=True,
        index="btree_not_null",
    )

    @api.depends("complaint_aspect_id")
    def _compute_is_complaint(self):
        # Classifying a ticket as a complaint makes it one; clearing the
        # classification does not turn a complaint back into a question.
        for ticket in self:
            ticket.is_complaint = (
                bool(ticket.complaint_aspect_id) or ticket.is_complaint
            )
