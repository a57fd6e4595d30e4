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


class StageHistoryStageFake(models.Model):
    _name = "stage.history.stage.fake"
    _description = "Stage (test)"
    _order = "sequence, id"

    name = fields.Char()
    sequence = fields.Integer()
    kind = fields.Char()


class StageHistoryRecordFake(models.Model):
    """A record with a stage (computed from its kind, or set), archivable, with an
    amount its history snapshots and a flag cleared when it enters a stage."""

    _name = "stage.history.record.fake"
    _description = "Record with a Stage History (test)"
    _inherit = ["stage.history.mixin"]
    _stage_history_model = "stage.history.entry.fake"
    _stage_history_link = "record_id"

    name = fields.Char()
    active = fields.Boolean(default=True)
    kind = fields.Char()
    stage_id = fields.Many2one(
        "stage.history.stage.fake",
        compute="_compute_stage_id",
        depends=["kind"],
        store=True,
        readonly=False,
    )
    amount = fields.Float()
    flagged = fields.Boolean()

    def _compute_stage_id(self):
        for record in self:
            if record.kind:
                record.stage_id = self.env["stage.history.stage.fake"].search(
                    [("kind", "=", record.kind)], limit=1
                )
            else:
                record.stage_id = record.stage_id

    def _stage_history_entered_values(self):
        return {"flagged": False}

    def _stage_history_values(self, event):
        self.ensure_one()
        return {"amount": self.amount}


class StageHistoryEntryFake(models.Model):
    _name = "stage.history.entry.fake"
    _description = "Stage History Entry (test)"
    _inherit = ["stage.history.entry.mixin"]

    record_id = fields.Many2one(
        "stage.history.record.fake", required=True, ondelete="cascade"
    )
    stage_from_id = fields.Many2one("stage.history.stage.fake")
    stage_to_id = fields.Many2one("stage.history.stage.fake")
    amount = fields.Float()
