# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .base import system_write

# The handling record of the documents' complaint table: on-site resolution,
# escalation, later resolution and effect evaluation.
COMPLAINT_STEP_TYPES = [
    ("on_site", "On-Site Resolution"),
    ("escalation", "Escalation"),
    ("follow_up", "Later Resolution"),
    ("evaluation", "Effect Evaluation"),
    ("note", "Other"),
]
COMPLAINT_EVALUATIONS = [
    ("effective", "Effective"),
    ("partial", "Partly Effective"),
    ("ineffective", "Not Effective"),
]


class HelpdeskComplaintStep(models.Model):
    """One step of a complaint's handling log: who did what, when."""

    _name = "helpdesk.complaint.step"
    _description = "Complaint Handling Step"
    _order = "date, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    step_type = fields.Selection(
        COMPLAINT_STEP_TYPES,
        string="Step",
        required=True,
        default="on_site",
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="When the step was taken.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        default=lambda self: self.env.user,
        help="Who took the step and recorded it.",
    )
    description = fields.Text(
        string="What Was Done",
        required=True,
    )
    evaluation = fields.Selection(
        COMPLAINT_EVALUATIONS,
        help="For an effect evaluation: did the handling solve the problem?",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    @api.constrains("step_type", "evaluation")
    def _check_evaluation(self):
        for step in self:
            if step.step_type == "evaluation" and not step.evaluation:
                raise ValidationError(
                    self.env._("An effect evaluation says whether the handling worked.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        # The first step logged is the complaint's response.
        first = {}
        for step in steps:
            ticket = step.ticket_id
            if not ticket.complaint_responded_date:
                first[ticket] = min(first.get(ticket, step.date), step.date)
        with system_write():
            for ticket, date in first.items():
                ticket.complaint_responded_date = date
        return steps
