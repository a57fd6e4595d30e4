# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# What a complaint is about (投诉对象); shared with the tickets.
COMPLAINT_OBJECTS = [
    ("product", "Product"),
    ("staff", "Staff"),
    ("service", "Service Activity"),
    ("other", "Other"),
]


class HelpdeskComplaintCategory(models.Model):
    """The complaint classification tree (投诉分类): a root per object (product,
    staff, service activity...) and below it the aspects complained about."""

    _name = "helpdesk.complaint.category"
    _description = "Complaint Category"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one(
        "helpdesk.complaint.category",
        string="Parent Category",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    child_ids = fields.One2many(
        "helpdesk.complaint.category", "parent_id", string="Aspects"
    )
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    complaint_object = fields.Selection(
        COMPLAINT_OBJECTS,
        string="Object",
        compute="_compute_complaint_object",
        store=True,
        precompute=True,
        readonly=False,
        recursive=True,
        required=True,
        help="What complaints of this category are about. Set on a top category; "
        "the categories below it follow.",
    )
    description = fields.Text(
        translate=True, help="When to use this category, for the service agents."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the category between companies."
    )

    _sql_constraints = [
        (
            "name_parent_uniq",
            "unique nulls not distinct (name, parent_id, company_id)",
            "A complaint category with this name already exists at this place.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

    @api.depends("parent_id.complaint_object")
    def _compute_complaint_object(self):
        for category in self:
            # A top category keeps the object it was given.
            category.complaint_object = (
                category.parent_id.complaint_object or category.complaint_object
            )
