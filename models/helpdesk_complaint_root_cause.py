# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_complaint_category import COMPLAINT_OBJECTS


class HelpdeskComplaintRootCause(models.Model):
    """Why complaints happen (投诉根因): a top cause per category (product, staff,
    service activity, other) and below it the sub-causes found by the analysis."""

    _name = "helpdesk.complaint.root.cause"
    _description = "Complaint Root Cause"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one(
        "helpdesk.complaint.root.cause",
        string="Parent Cause",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    child_ids = fields.One2many(
        "helpdesk.complaint.root.cause", "parent_id", string="Sub-causes"
    )
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    cause_object = fields.Selection(
        COMPLAINT_OBJECTS,
        string="Cause Category",
        compute="_compute_cause_object",
        store=True,
        precompute=True,
        readonly=False,
        recursive=True,
        required=True,
        help="Where the cause lies: the product, our staff, a service activity or "
        "elsewhere. Set on a top cause; the sub-causes below it follow.",
    )
    description = fields.Text(
        translate=True, help="When to choose this cause, for the analysts."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the cause between companies."
    )

    _sql_constraints = [
        (
            "name_parent_uniq",
            "unique nulls not distinct (name, parent_id, company_id)",
            "A root cause with this name already exists at this place.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for cause in self:
            if cause.parent_id:
                cause.complete_name = f"{cause.parent_id.complete_name} / {cause.name}"
            else:
                cause.complete_name = cause.name

    @api.depends("parent_id.cause_object")
    def _compute_cause_object(self):
        for cause in self:
            # A top cause keeps the category it was given.
            cause.cause_object = cause.parent_id.cause_object or cause.cause_object
