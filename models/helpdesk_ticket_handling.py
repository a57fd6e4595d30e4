# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import HELPDESK_USER_GROUP


class HelpdeskTicketHandling(models.Model):
    """Complaint handling: dispatch to the team and handler of its aspect, the
    handling log (helpdesk.complaint.step) and escalation to a department or a
    person of the complaint's company."""

    _inherit = "helpdesk.ticket"

    complaint_step_ids = fields.One2many(
        "helpdesk.complaint.step",
        "ticket_id",
        string="Handling Log",
        help="On-site resolution, escalation, later resolution and effect "
        "evaluation: who did what, when.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalated = fields.Boolean(
        string="Escalated",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_department_id = fields.Many2one(
        "hr.department",
        string="Escalated to Department",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalated to",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_reason = fields.Text(
        string="Escalation Reason",
        copy=False,
        readonly=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_date = fields.Datetime(
        string="Escalated On",
        copy=False,
        readonly=True,
        groups=HELPDESK_USER_GROUP,
    )

    @api.constrains(
        "company_id",
        "complaint_escalation_user_id",
        "complaint_escalation_department_id",
    )
    def _check_complaint_escalation_company(self):
        for ticket in self:
            message = ticket._complaint_escalation_company_error(
                ticket.complaint_escalation_user_id,
                ticket.complaint_escalation_department_id,
            )
            if message:
                raise ValidationError(message)

    def _complaint_escalation_company_error(self, user, department):
        """Why this complaint may not be escalated to ``user`` and
        ``department``, or None: a complaint is escalated within its company,
        to a person who may work for it (or he could not open it) and to a
        department of it or shared."""
        self.ensure_one()
        company = self.company_id
        if not company:
            return None
        if user and company not in user.sudo().company_ids:
            return self.env._(
                "%(user)s does not work for %(company)s, the company of the "
                "complaint, and could not open it: escalate to someone of that "
                "company.",
                user=user.sudo().name,
                company=company.name,
            )
        department_company = department.sudo().company_id
        if department and department_company and department_company != company:
            return self.env._(
                "The department %(department)s belongs to another company than "
                "the complaint (%(company)s).",
                department=department.sudo().name,
                company=company.name,
            )
        return None

    def action_complaint_escalate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate Complaint"),
            "res_model": "helpdesk.complaint.escalate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    @api.model
    def _complaint_dispatch_vals(self, aspect, vals):
        """Team and handler a complaint of this aspect goes to (the category's
        dispatch settings), without overriding what the caller chose."""
        team, user = aspect._get_dispatch()
        dispatch = {}
        if team and not vals.get("team_id"):
            dispatch["team_id"] = team.id
        if user and not vals.get("user_id"):
            dispatch["user_id"] = user.id
            dispatch["assigned_date"] = fields.Datetime.now()
        return dispatch
