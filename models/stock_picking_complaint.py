# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    """A return of delivered goods made for a complaint (see
    helpdesk_complaint_remedy_mixin.py); it costs nothing: the goods come back."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "helpdesk.complaint.remedy.mixin"]

    complaint_ticket_id = fields.Many2one(
        help="The complaint this return comes from.",
    )
