# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .helpdesk_complaint_category import COMPLAINT_OBJECTS
from .helpdesk_complaint_tree_mixin import tree_name_unique, tree_object_field


class HelpdeskComplaintRootCause(models.Model):
    """Why complaints happen (投诉根因): a top cause per category (product, staff,
    service activity, other) and below it the sub-causes found by the analysis."""

    _name = "helpdesk.complaint.root.cause"
    _description = "Complaint Root Cause"
    _inherit = ["helpdesk.complaint.tree.mixin"]
    _tree_object_field = "cause_object"

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
    cause_object = tree_object_field(
        COMPLAINT_OBJECTS,
        string="Cause Category",
        help="Where the cause lies: the product, our staff, a service activity or "
        "elsewhere. Set on a top cause; the sub-causes below it follow.",
    )
    description = fields.Text(help="When to choose this cause, for the analysts.")
    company_id = fields.Many2one(
        help="Leave empty to share the cause between companies."
    )

    _sql_constraints = [
        tree_name_unique("A root cause with this name already exists at this place."),
    ]
