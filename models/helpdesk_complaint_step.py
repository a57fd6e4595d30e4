# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
        help="When the step was taken: not before the complaint was registered, "
        "not after today. It cannot be changed once recorded.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        default=lambda self: self.env.user,
        help="Who took the step and recorded it: always the user recording it. "
        "It cannot be changed once recorded.",
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

    @api.constrains("date", "ticket_id")
    def _check_date(self):
        latest = self._latest_date()
        for step in self:
            registered = step.ticket_id.sudo().create_date
            # Creation dates keep microseconds, a step's date whole seconds.
            if registered and step.date < registered.replace(microsecond=0):
                raise ValidationError(
                    self.env._(
                        "A handling step cannot be dated %(date)s, before the "
                        "complaint was registered (%(registered)s).",
                        date=fields.Datetime.to_string(step.date),
                        registered=fields.Datetime.to_string(registered),
                    )
                )
            if step.date >= latest:
                raise ValidationError(
                    self.env._(
                        "A handling step cannot be dated %(date)s, in the future.",
                        date=fields.Datetime.to_string(step.date),
                    )
                )

    @api.model
    def _latest_date(self):
        """The end of the user's today, in UTC: a step may be recorded until
        then (clocks and time zones differ a little)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        end = tz.localize(datetime.combine(today + timedelta(days=1), time.min))
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # The recorder is whoever records the step, never someone else.
            for vals in vals_list:
                user_id = vals.get("user_id")
                if user_id and user_id != self.env.uid:
                    raise ValidationError(
                        self.env._(
                            "You record handling steps under your own name only."
                        )
                    )
                vals["user_id"] = self.env.uid
        steps = super().create(vals_list)
        # The first step logged is the complaint's response (a system field,
        # set with superuser rights: the user may add a step to the ticket).
        first = {}
        for step in steps:
            ticket = step.ticket_id
            if not ticket.sudo().complaint_responded_date:
                first[ticket] = min(first.get(ticket, step.date), step.date)
        for ticket, date in first.items():
            ticket.sudo().complaint_responded_date = date
        return steps

    def write(self, vals):
        if not self.env.su and {"user_id", "date"} & vals.keys():
            changed = self.filtered(
                lambda step: ("user_id" in vals and step.user_id.id != vals["user_id"])
                or (
                    "date" in vals
                    and step.date != fields.Datetime.to_datetime(vals["date"])
                )
            )
            if changed:
                raise UserError(
                    self.env._(
                        "Who recorded a handling step and when cannot be changed."
                    )
                )
        return super().write(vals)
