# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

COMPLAINT_ACTION_TYPES = [
    ("corrective", "Corrective"),
    ("preventive", "Preventive"),
]
COMPLAINT_ACTION_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class HelpdeskComplaintAction(models.Model):
    """A corrective or preventive action (纠正/预防措施) decided after analysing the
    root cause of a complaint or of an investigation of recurring complaints."""

    _name = "helpdesk.complaint.action"
    _description = "Complaint Corrective or Preventive Action"
    _inherit = ["mail.thread", "helpdesk.complaint.activity.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True

    name = fields.Char(
        string="Action",
        required=True,
        tracking=True,
        help="What will be done, in one line.",
    )
    action_type = fields.Selection(
        COMPLAINT_ACTION_TYPES,
        string="Type",
        required=True,
        default="corrective",
        tracking=True,
        help="Corrective: removes the cause of the complaints at hand. "
        "Preventive: keeps the cause from producing complaints again or elsewhere.",
    )
    description = fields.Text(help="How the action is carried out and checked.")
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        domain="[('is_complaint', '=', True)]",
        help="The complaint whose root cause the action addresses.",
    )
    investigation_id = fields.Many2one(
        "helpdesk.complaint.investigation",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        help="The investigation of recurring complaints the action comes from.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Who carries the action out; a to-do activity reminds them.",
    )
    date_deadline = fields.Date(
        string="Due Date",
        required=True,
        tracking=True,
        help="When the action must be done.",
    )
    state = fields.Selection(
        COMPLAINT_ACTION_STATES,
        string="Status",
        required=True,
        default="open",
        readonly=True,
        copy=False,
        tracking=True,
    )
    done_date = fields.Date(
        string="Done On", readonly=True, copy=False, help="When it was marked done."
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
        help="The company of the complaint or of the investigation.",
    )

    @api.depends("ticket_id.company_id", "investigation_id.company_id")
    def _compute_company_id(self):
        for action in self:
            action.company_id = (
                action.ticket_id.company_id
                or action.investigation_id.company_id
                or action.company_id
                or self.env.company
            )

    @api.constrains("ticket_id", "investigation_id")
    def _check_document(self):
        for action in self:
            if not (action.ticket_id or action.investigation_id):
                raise ValidationError(
                    self.env._(
                        "The action “%(action)s” must belong to a complaint or to an "
                        "investigation.",
                        action=action.name,
                    )
                )
            ticket, investigation = action.ticket_id, action.investigation_id
            in_other = ticket.complaint_investigation_id != investigation
            if ticket and investigation and in_other:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s is not part of the investigation "
                        "%(investigation)s.",
                        complaint=ticket.display_name,
                        investigation=investigation.display_name,
                    )
                )

    @api.constrains("date_deadline", "ticket_id", "investigation_id")
    def _check_date_deadline(self):
        for action in self:
            document = action.ticket_id or action.investigation_id
            if not document.create_date:
                continue
            start = fields.Datetime.context_timestamp(action, document.create_date)
            if action.date_deadline < start.date():
                raise ValidationError(
                    self.env._(
                        "The action “%(action)s” cannot be due on %(deadline)s, "
                        "before %(document)s was registered.",
                        action=action.name,
                        deadline=action.date_deadline,
                        document=document.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._validate_owner_and_deadline(vals, creating=True)
        actions = super().create(vals_list)
        actions._schedule_owner_activity()
        return actions

    def write(self, vals):
        self._validate_owner_and_deadline(vals)
        res = super().write(vals)
        self._reschedule_owner_activity(vals)
        return res

    def action_done(self):
        actions = self.filtered(lambda action: action.state == "open")
        actions._write_state(
            {"state": "done", "done_date": fields.Date.context_today(self)}
        )
        actions._close_owner_activity(self.env._("Action marked done."))

    def action_cancel(self):
        actions = self.filtered(lambda action: action.state == "open")
        actions._write_state({"state": "cancelled"})
        actions._cancel_owner_activity()

    def action_reopen(self):
        actions = self.filtered(lambda action: action.state != "open")
        actions._write_state({"state": "open", "done_date": False})
        actions._schedule_owner_activity()

    def _validate_owner_and_deadline(self, vals, creating=False):
        """Refuse an action without owner or deadline with a message that says so,
        rather than the database's "missing required field"."""
        keys = ("user_id", "date_deadline")
        if creating:
            missing = [key for key in keys if not vals.get(key)]
        else:
            missing = [key for key in keys if key in vals and not vals[key]]
        if missing:
            raise ValidationError(
                self.env._(
                    "Every corrective or preventive action needs an owner and a due "
                    "date (missing: %(fields)s).",
                    fields=", ".join(self._fields[key].string for key in missing),
                )
            )

    def _owner_activity_values(self):
        # The owner's to-do reads the action and is due on its deadline.
        self.ensure_one()
        return {"summary": self.name, "date_deadline": self.date_deadline}
