# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_complaint_tree_mixin import tree_name_unique, tree_object_field

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
    _inherit = ["helpdesk.complaint.tree.mixin"]
    _tree_object_field = "complaint_object"

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
    complaint_object = tree_object_field(
        COMPLAINT_OBJECTS,
        string="Object",
        help="What complaints of this category are about. Set on a top category; "
        "the categories below it follow.",
    )
    description = fields.Text(help="When to use this category, for the service agents.")
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
    company_id = fields.Many2one(
        help="Leave empty to share the category between companies."
    )

    _sql_constraints = [
        tree_name_unique(
            "A complaint category with this name already exists at this place."
        ),
    ]

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
