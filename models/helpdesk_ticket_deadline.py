# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .helpdesk_complaint_priority import (
    COMPLAINT_IMPORTANCE,
    COMPLAINT_URGENCY,
    shift_datetime,
)
from .helpdesk_ticket import HELPDESK_USER_GROUP

# Where a complaint stands against its deadlines.
COMPLAINT_DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("approaching", "Approaching"),
    ("overdue", "Overdue"),
    # Not "Met": Chinese translates that word as meeting someone (an influencer
    # met in person).
    ("met", "Deadline Met"),
]
# Share of the resolution window left when a deadline counts as approaching.
APPROACHING_SHARE = 0.25


class HelpdeskTicketDeadline(models.Model):
    """Complaint priority and deadlines: urgency × importance gives the cell of
    the priority matrix, hence the priority and the response and resolution
    deadlines; where a complaint stands against them, and the daily alerts."""

    _inherit = "helpdesk.ticket"

    complaint_urgency = fields.Selection(
        COMPLAINT_URGENCY,
        string="Urgency",
        tracking=True,
        help="How fast the customer needs an answer (紧急程度). With the "
        "importance, it sets the priority and the deadlines.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_importance = fields.Selection(
        COMPLAINT_IMPORTANCE,
        string="Importance",
        tracking=True,
        help="How much the complaint weighs for the business (重要程度). With the "
        "urgency, it sets the priority and the deadlines.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_priority_id = fields.Many2one(
        "helpdesk.complaint.priority",
        string="Priority Rule",
        compute="_compute_complaint_priority_id",
        store=True,
        help="The cell of the urgency × importance matrix this complaint falls in.",
        groups=HELPDESK_USER_GROUP,
    )
    # The matrix sets a complaint's priority; the computed "Medium" replaces
    # helpdesk_mgmt's default, which would otherwise pre-empt the matrix.
    priority = fields.Selection(
        compute="_compute_priority",
        store=True,
        readonly=False,
        default=None,
    )
    complaint_response_deadline = fields.Datetime(
        string="Respond By",
        compute="_compute_complaint_deadlines",
        store=True,
        help="The first handling step is due by then (from the priority matrix).",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_resolution_deadline = fields.Datetime(
        string="Resolve By",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
        help="The complaint must be closed by then (from the priority matrix).",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_responded_date = fields.Datetime(
        string="Responded On",
        copy=False,
        readonly=True,
        help="When the first handling step was logged.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_deadline_state = fields.Selection(
        COMPLAINT_DEADLINE_STATES,
        string="Deadline",
        compute="_compute_complaint_deadline_state",
        search="_search_complaint_deadline_state",
        help="Approaching: less than a quarter of the resolution time is left.",
        groups=HELPDESK_USER_GROUP,
    )

    complaint_alert_level = fields.Selection(
        [("approaching", "Approaching"), ("overdue", "Overdue")],
        string="Deadline Alert Sent",
        compute="_compute_complaint_alert_level",
        store=True,
        copy=False,
        help="The last deadline alert the daily check sent; reset when the "
        "deadlines change, so each alert goes out once.",
        groups=HELPDESK_USER_GROUP,
    )

    @api.depends("complaint_urgency", "complaint_importance", "company_id")
    def _compute_complaint_priority_id(self):
        keys = {
            ticket: (
                ticket.complaint_urgency,
                ticket.complaint_importance,
                ticket.company_id.id,
            )
            for ticket in self
        }
        cells = self.env["helpdesk.complaint.priority"]._find_cells(
            {key for key in keys.values() if key[0] and key[1]}
        )
        for ticket, key in keys.items():
            ticket.complaint_priority_id = cells.get(key, False)

    @api.depends("complaint_priority_id")
    def _compute_priority(self):
        for ticket in self:
            # Without a matrix cell the priority stays what the user chose.
            ticket.priority = (
                ticket.complaint_priority_id.priority or ticket.priority or "1"
            )

    @api.depends(
        "is_complaint",
        "create_date",
        "complaint_priority_id.response_hours",
        "complaint_priority_id.resolution_hours",
    )
    def _compute_complaint_deadlines(self):
        for ticket in self:
            cell = ticket.complaint_priority_id
            if not (ticket.is_complaint and cell):
                ticket.complaint_response_deadline = False
                ticket.complaint_resolution_deadline = False
                continue
            start = ticket.create_date or fields.Datetime.now()
            # A window beyond the last date there can be means no deadline.
            ticket.complaint_response_deadline = shift_datetime(
                start, hours=cell.response_hours
            )
            ticket.complaint_resolution_deadline = shift_datetime(
                start, hours=cell.resolution_hours
            )

    @api.depends(
        "complaint_response_deadline",
        "complaint_resolution_deadline",
        "complaint_responded_date",
        "closed",
        "closed_date",
    )
    def _compute_complaint_deadline_state(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_deadline_state = ticket._complaint_deadline_state(now)

    def _complaint_deadline_state(self, now):
        self.ensure_one()
        deadline = self.complaint_resolution_deadline
        if not deadline:
            return False
        if self.closed:
            return "met" if (self.closed_date or now) <= deadline else "overdue"
        if now > deadline or (
            not self.complaint_responded_date
            and self.complaint_response_deadline
            and now > self.complaint_response_deadline
        ):
            return "overdue"
        window = deadline - (self.create_date or now)
        if deadline - now <= window * APPROACHING_SHARE:
            return "approaching"
        return "on_time"

    def _search_complaint_deadline_state(self, operator, value):
        # Not stored: the ORM does not check the field's groups on a search.
        self.check_field_access_rights("read", ["complaint_deadline_state"])
        if operator not in ("=", "in"):
            raise ValidationError(
                self.env._("Deadlines can only be searched by their state.")
            )
        states = [value] if operator == "=" else list(value)
        self.flush_model(
            [
                "complaint_response_deadline",
                "complaint_resolution_deadline",
                "complaint_responded_date",
                "stage_id",
                "closed_date",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT ticket.id
                  FROM helpdesk_ticket ticket
                  LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                 WHERE %(state)s IN %(states)s
                """,
                state=self._complaint_deadline_state_sql(),
                states=tuple(states) or (None,),
            )
        )
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]

    @api.model
    def _complaint_deadline_state_sql(self):
        """The rule of _complaint_deadline_state as an SQL expression on the
        aliases "ticket" (helpdesk_ticket) and "stage" (its stage), for searches
        and reports."""
        return SQL(
            """
            CASE
                WHEN ticket.complaint_resolution_deadline IS NULL THEN NULL
                WHEN stage.closed THEN
                    CASE WHEN COALESCE(ticket.closed_date, %(now)s)
                              <= ticket.complaint_resolution_deadline
                         THEN 'met' ELSE 'overdue' END
                WHEN %(now)s > ticket.complaint_resolution_deadline
                  OR (ticket.complaint_responded_date IS NULL
                      AND %(now)s > ticket.complaint_response_deadline)
                    THEN 'overdue'
                WHEN ticket.complaint_resolution_deadline - %(now)s
                     <= (ticket.complaint_resolution_deadline
                         - COALESCE(ticket.create_date, %(now)s)) * %(share)s
                    THEN 'approaching'
                ELSE 'on_time'
            END
            """,
            now=fields.Datetime.now(),
            share=APPROACHING_SHARE,
        )

    @api.depends("complaint_response_deadline", "complaint_resolution_deadline")
    def _compute_complaint_alert_level(self):
        self.complaint_alert_level = False

    @api.model
    def _cron_complaint_deadline_alerts(self, batch_size=500):
        """Daily: an activity for the handler when a complaint's deadline comes
        near, and for the handler and the team leader once it has passed. Each
        alert goes out once per deadline (complaint_alert_level); runs in
        batches and reports its progress."""
        domain = [
            ("is_complaint", "=", True),
            ("stage_id.closed", "=", False),
            "|",
            "&",
            ("complaint_deadline_state", "=", "approaching"),
            ("complaint_alert_level", "=", False),
            "&",
            ("complaint_deadline_state", "=", "overdue"),
            ("complaint_alert_level", "!=", "overdue"),
        ]
        batch = self.search(
            domain, order="complaint_resolution_deadline, id", limit=batch_size
        )
        batch._complaint_send_deadline_alerts(fields.Datetime.now())
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=self.search_count(domain)
        )
        return batch

    def _complaint_send_deadline_alerts(self, now):
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        for ticket in self:
            state = ticket._complaint_deadline_state(now)
            handler = ticket.user_id or ticket.team_id.user_id
            recipients = handler
            if state == "overdue":
                recipients |= ticket.team_id.user_id
                summary = self.env._("Complaint overdue")
                note = self.env._(
                    "The complaint %(number)s was due by %(deadline)s.",
                    number=ticket.number,
                    deadline=fields.Datetime.to_string(
                        ticket.complaint_resolution_deadline
                    ),
                )
            else:
                summary = self.env._("Complaint deadline approaching")
                note = self.env._(
                    "The complaint %(number)s must be resolved by %(deadline)s.",
                    number=ticket.number,
                    deadline=fields.Datetime.to_string(
                        ticket.complaint_resolution_deadline
                    ),
                )
            for user in recipients:
                ticket.activity_schedule(
                    activity_type_id=todo_type.id,
                    summary=summary,
                    note=note,
                    user_id=user.id,
                    date_deadline=fields.Date.context_today(ticket),
                )
            ticket.sudo().complaint_alert_level = state
