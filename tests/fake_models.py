# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Throwaway models to test the complaint mixins on their own. Loaded by
odoo-test-helper's FakeModelLoader only: never import this from tests/__init__.py.
"""

from odoo import fields, models

from ..models.helpdesk_complaint_tree_mixin import tree_name_unique, tree_object_field


class HelpdeskComplaintTreeFake(models.Model):
    _name = "helpdesk.complaint.tree.fake"
    _description = "Complaint Tree (test)"
    _inherit = ["helpdesk.complaint.tree.mixin"]
    _tree_object_field = "kind"

    parent_id = fields.Many2one(
        "helpdesk.complaint.tree.fake",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    child_ids = fields.One2many("helpdesk.complaint.tree.fake", "parent_id")
    kind = tree_object_field([("fruit", "Fruit"), ("tool", "Tool")])

    _sql_constraints = [tree_name_unique("This entry already exists here.")]


class HelpdeskComplaintActivityFake(models.Model):
    _name = "helpdesk.complaint.activity.fake"
    _description = "Complaint Owner To-Do (test)"
    _inherit = ["mail.thread", "helpdesk.complaint.activity.mixin"]

    name = fields.Char()
    user_id = fields.Many2one("res.users")
    state = fields.Selection([("open", "Open"), ("done", "Done")], default="open")
