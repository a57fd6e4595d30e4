# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    """Complaints on the opportunity: the customer's open complaints."""

    _inherit = "crm.lead"

    complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_complaint_open_count",
        help="Open complaints of the customer that you can open.",
    )

    @api.depends("partner_id.commercial_partner_id")
    @api.depends_context("uid")
    def _compute_complaint_open_count(self):
        counts = self.env["helpdesk.ticket"]._complaint_open_counts(
            self.partner_id.commercial_partner_id
        )
        for lead in self:
            lead.complaint_open_count = counts.get(
                lead.partner_id.commercial_partner_id, 0
            )

    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action_for(
            self.partner_id.commercial_partner_id
        )
