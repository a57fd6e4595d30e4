# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskComplaintRemedyMixin(models.AbstractModel):
    """A document made to remedy a complaint (a credit note, a return, a
    replacement order, a goodwill coupon): linked to the complaint it remedies,
    set by the remedy wizards and kept off copies. Each document says in the
    link's help what it is to the complaint."""

    _name = "helpdesk.complaint.remedy.mixin"
    _description = "Complaint Remedy"

    complaint_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )
