# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints on res.partner: the open complaints of a customer's commercial
entity."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_complaint_open_count",
        help="Open complaints of this customer (its company and all its contacts) "
        "that you can open.",
    )

    @api.depends_context("uid")
    def _compute_complaint_open_count(self):
        counts = self.env["helpdesk.ticket"]._complaint_open_counts(
            self.commercial_partner_id
        )
        for partner in self:
            partner.complaint_open_count = counts.get(partner.commercial_partner_id, 0)

    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action_for(
            self.commercial_partner_id
        )
