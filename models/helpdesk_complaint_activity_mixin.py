# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .base import system_write

# The activity that reminds the owner of a record of the complaint handling.
OWNER_ACTIVITY_TYPE = "mail.mail_activity_data_todo"


class HelpdeskComplaintActivityMixin(models.AbstractModel):
    """The to-do reminding its owner of a record of the complaint handling (a
    corrective or preventive action, an investigation): one per open record,
    moved along with the owner or the deadline, marked done or dropped when the
    record is done, closed or cancelled.

    A model inheriting it has ``user_id`` (the owner) and a ``state`` in which
    "open" records need their owner; it says in :meth:`_owner_activity_values`
    what the to-do reads and when it is due, and calls the methods below from
    its own flow.
    """

    _name = "helpdesk.complaint.activity.mixin"
    _description = "Complaint Owner To-Do"
    _inherit = ["mail.activity.mixin"]

    def _write_state(self, vals):
        """Move the status, a field users may not type, from the buttons: with
        the user's own access rights and record rules."""
        with system_write():
            return self.write(vals)

    def _owner_activity_values(self):
        """The summary and deadline of the owner's to-do on this record: its name,
        due today, unless the model says otherwise."""
        self.ensure_one()
        return {
            "summary": self.display_name,
            "date_deadline": fields.Date.context_today(self),
        }

    def _schedule_owner_activity(self):
        """One to-do for the owner of each open record that has none yet."""
        activities = self.env["mail.activity"]
        if self.env.context.get("mail_activity_automation_skip"):
            return activities
        scheduled = set(self.activity_search([OWNER_ACTIVITY_TYPE]).mapped("res_id"))
        records = self.filtered(
            lambda record: record.state == "open"
            and record.user_id
            and record.id not in scheduled
        )
        if not records:
            return activities
        activity_type = self.env.ref(OWNER_ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id(self._name)
        return activities.create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": record.user_id.id,
                    "res_model_id": model_id,
                    "res_id": record.id,
                    **record._owner_activity_values(),
                }
                for record in records
            ]
        )

    def _reschedule_owner_activity(self, vals):
        """Move the to-dos of the open records to the owner and the deadline
        (``date_deadline``) being written in ``vals``."""
        if vals.get("user_id") or vals.get("date_deadline"):
            self.filtered(lambda record: record.state == "open").activity_reschedule(
                [OWNER_ACTIVITY_TYPE],
                date_deadline=vals.get("date_deadline"),
                new_user_id=vals.get("user_id"),
            )

    def _close_owner_activity(self, feedback):
        """Mark the to-dos done, with ``feedback``."""
        self.activity_feedback([OWNER_ACTIVITY_TYPE], feedback=feedback)

    def _cancel_owner_activity(self):
        """Drop the to-dos."""
        self.activity_unlink([OWNER_ACTIVITY_TYPE])
