# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Dispatch to Team",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Complaints of this category go to this team. Empty: the parent "
        "category's team, if any.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Dispatch to Handler",
        domain="[('share', '=', False)]",
        help="Complaints of this category are assigned to this handler, who must "
        "belong to the dispatch team. Empty: the parent category's handler, if any.",
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

    @api.constrains("team_id", "user_id", "parent_id")
    def _check_dispatch(self):
        for category in self:
            team, user = category._get_dispatch()
            if team and user and user not in team.user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not belong to team %(team)s: complaints of "
                        "%(category)s could not be dispatched to them.",
                        user=user.name,
                        team=team.display_name,
                        category=category.complete_name,
                    )
                )

    def _get_dispatch(self):
        """The team and handler complaints of this category go to: the nearest
        ones set on the category or its ancestors."""
        self.ensure_one()
        team = self.env["helpdesk.ticket.team"]
        user = self.env["res.users"]
        # Walk up by the stored parent path: robust even to a parent cache a
        # refused move left behind.
        ancestor_ids = [
            int(part) for part in (self.parent_path or "").split("/") if part
        ]
        for category in self.browse(reversed(ancestor_ids or self.ids)):
            team = team or category.team_id
            user = user or category.user_id
        return team, user
