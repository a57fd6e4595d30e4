# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskComplaintEscalate(models.TransientModel):
    """Escalate a complaint to a department or a person, with the reason."""

    _name = "helpdesk.complaint.escalate"
    _inherit = ["helpdesk.complaint.wizard.mixin"]
    _description = "Escalate Complaint"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    department_id = fields.Many2one(
        "hr.department",
        help="The department the complaint goes to; its manager handles it unless "
        "you name a person.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="Who handles the complaint from now on.",
    )
    reason = fields.Text(required=True, help="Why the complaint is escalated.")

    @api.depends("department_id")
    def _compute_user_id(self):
        for wizard in self:
            wizard.user_id = wizard.department_id.manager_id.user_id or wizard.user_id

    def action_escalate(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket.check_access("write")
        if not self.user_id:
            raise UserError(
                self.env._(
                    "Name the person who handles the complaint: the department "
                    "%(department)s has no manager with a user.",
                    department=self.department_id.display_name,
                )
                if self.department_id
                else self.env._("Escalate to a department or a person.")
            )
        if not self.reason or not self.reason.strip():
            raise UserError(self.env._("Give the reason of the escalation."))
        if not self.user_id.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            raise UserError(
                self.env._(
                    "%(user)s has no access to the helpdesk and could not handle "
                    "the complaint.",
                    user=self.user_id.name,
                )
            )
        error = ticket._complaint_escalation_company_error(
            self.user_id, self.department_id
        )
        if error:
            raise UserError(error)
        now = fields.Datetime.now()
        target = self.user_id.name
        if self.department_id:
            target = f"{self.department_id.display_name} ({target})"
        self.env["helpdesk.complaint.step"].create(
            {
                "ticket_id": ticket.id,
                "step_type": "escalation",
                "date": now,
                "description": self.env._(
                    "Escalated to %(target)s: %(reason)s",
                    target=target,
                    reason=self.reason,
                ),
            }
        )
        # Log and notify first, while the escalating agent still sees it.
        ticket.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Escalated complaint"),
            note=self.reason,
            user_id=self.user_id.id,
            date_deadline=fields.Date.context_today(self),
        )
        # The escalation fields are system fields: written with superuser
        # rights, the user's right to change the ticket checked above.
        ticket.sudo().write(
            {
                "complaint_escalated": True,
                "complaint_escalation_department_id": self.department_id.id,
                "complaint_escalation_user_id": self.user_id.id,
                "complaint_escalation_reason": self.reason,
                "complaint_escalation_date": now,
            }
        )
        # Reassign last: the escalating agent may no longer see the complaint.
        ticket.write({"user_id": self.user_id.id, "assigned_date": now})
        return {"type": "ir.actions.act_window_close"}
