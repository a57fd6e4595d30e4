# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints on helpdesk.ticket: the core of the extension.

Each capability keeps its fields and methods in its own file, in the order of
the complaint's life: helpdesk_ticket_classification.py, _intake.py,
_deadline.py, _handling.py, _solution.py, _remedy.py and _root_cause.py. This
file holds what they share: the stage history of tickets and the create/write
overrides that run the capabilities' steps in one place, in their order.
"""

from odoo import api, models
from odoo.tools import SQL

from .base import system_write

# Complaint handling is internal: these fields are read by helpdesk users only,
# never by a portal customer reading his own ticket (see README Security).
HELPDESK_USER_GROUP = "helpdesk_mgmt.group_helpdesk_user_own"


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "stage.history.mixin"]
    _stage_history_model = "helpdesk.ticket.stage.history"
    _stage_history_link = "ticket_id"
    # An archived ticket is not "lost": only its stages are recorded.
    _stage_history_track_active = False

    @api.model_create_multi
    def create(self, vals_list):
        # Dispatch and suggestions set fields users may not type: check what the
        # user gave, then set ours.
        self._crm360_check_typed(vals_list)
        with system_write():
            Category = self.env["helpdesk.complaint.category"]
            for vals in vals_list:
                if vals.get("complaint_aspect_id"):
                    # Handling: the team and handler of the aspect.
                    vals.update(
                        self._complaint_dispatch_vals(
                            Category.browse(vals["complaint_aspect_id"]), vals
                        )
                    )
                    # Classification: an aspect given at creation is manual.
                    vals.setdefault("complaint_classification_state", "manual")
            tickets = super().create(vals_list)
            # Root cause: recurring complaints about the same product or lot.
            tickets._complaint_investigate_recurrence()
            # Classification: suggest an aspect to the tickets without one.
            tickets.filtered(
                lambda ticket: not ticket.complaint_aspect_id
            )._complaint_suggest()
            return tickets

    def write(self, vals):
        self._crm360_check_typed([vals], creating=False)
        with system_write():
            if vals.get("complaint_aspect_id") and not (
                {"team_id", "user_id"} & vals.keys()
            ):
                aspect = self.env["helpdesk.complaint.category"].browse(
                    vals["complaint_aspect_id"]
                )
                moved = self.filtered(
                    lambda ticket: ticket.complaint_aspect_id != aspect
                )
                if moved and moved != self:
                    # Only the tickets changing aspect are dispatched again.
                    (self - moved).write(vals)
                    return moved.write(vals)
                if moved:
                    # Handling: the team and handler of the new aspect.
                    vals = dict(vals, **self._complaint_dispatch_vals(aspect, vals))
            res = super().write(vals)
            # Root cause: a new product, lot or aspect may make complaints recur.
            if self._complaint_recurrence_fields.intersection(vals):
                self._complaint_investigate_recurrence()
            # Classification: how the complaint got its (new) aspect.
            if "complaint_aspect_id" in vals and not vals.keys() & {
                "complaint_classification_state"
            }:
                self._complaint_update_classification_state()
            return res

    # ------------------------------------------------------------------
    # Stage history (stage.history.mixin)
    # ------------------------------------------------------------------

    def _stage_history_values(self, event):
        self.ensure_one()
        return {"team_id": self.team_id.id, "user_id": self.user_id.id}

    def _stage_history_init_columns(self):
        return {"team_id": SQL("rec.team_id"), "user_id": SQL("rec.user_id")}

    def _stage_history_init_stage_date_sql(self):
        return SQL("rec.last_stage_update")
