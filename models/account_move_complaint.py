# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    """A credit note issued to remedy a complaint (see
    helpdesk_complaint_remedy_mixin.py): its untaxed amount counts in the
    complaint's cost."""

    _name = "account.move"
    _inherit = ["account.move", "helpdesk.complaint.remedy.mixin"]

    complaint_ticket_id = fields.Many2one(
        help="The complaint this credit note remedies; its untaxed amount counts "
        "in the complaint's cost.",
    )
