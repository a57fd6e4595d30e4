# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import fields, models
from odoo.tools import SQL

ACTIVITY_STATES = [
    ("planned", "Planned"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]


class CrmSalesActivityReport(models.Model):
    """Sales activities (销售活动): planned against done, per salesperson, activity
    type and period, on leads and opportunities (lost ones included).

    Two sources, one row per activity, never counted twice:

    - planned: the open activities (``mail.activity`` with ``active`` set). Their
      date is the due date; they are overdue when it is before today in the
      assignee's time zone, as in the activity's own state.
    - done: the "activity done" messages (``mail.message`` with an activity type),
      as in Odoo's own activity analysis. Marking an activity done always posts
      that message, then deletes the activity, or archives it when its type keeps
      done activities: archived activities are therefore not read, their message
      counts instead. Their date is the day of the message in the time zone of
      the user who marked it done, and that user is the salesperson of the row.
      A cancelled activity is deleted without a message: it counts nowhere.

    Read through the ORM only: its record rules mirror crm.lead's on the lead's
    current salesperson (as crm.activity.report does), so a salesman aggregates
    the activities of exactly the leads he may open.
    """

    _name = "crm.sales.activity.report"
    _description = "Sales Activity Analysis"
    _auto = False
    _rec_name = "activity_type_id"
    _order = "date desc, id desc"

    date = fields.Date(
        readonly=True,
        help="Due date of a planned activity, day it was done for a done one.",
    )
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="Who the planned activity is assigned to, or who marked it done.",
    )
    state = fields.Selection(ACTIVITY_STATES, readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    lead_type = fields.Selection(selection="_selection_lead_type", readonly=True)
    lead_user_id = fields.Many2one(
        "res.users",
        string="Lead Salesperson",
        readonly=True,
        help="The current salesperson of the lead or opportunity.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_active = fields.Boolean(
        readonly=True,
        help="Unset when the lead or opportunity is lost (archived).",
    )
    nbr_planned = fields.Integer(
        string="# Planned",
        readonly=True,
        help="Activities still to do, the overdue ones included.",
    )
    nbr_overdue = fields.Integer(
        string="# Overdue",
        readonly=True,
        help="Activities still to do whose due date has passed.",
    )
    nbr_done = fields.Integer(string="# Done", readonly=True)
    completion_rate = fields.Float(
        string="Completion (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the activities that are done: done / (done + planned).",
    )

    _depends = {
        "mail.activity": [
            "res_model",
            "res_id",
            "activity_type_id",
            "user_id",
            "user_tz",
            "date_deadline",
            "active",
        ],
        "mail.message": ["model", "res_id", "mail_activity_type_id", "date"],
        "crm.lead": [
            "active",
            "type",
            "user_id",
            "team_id",
            "partner_id",
            "stage_id",
            "company_id",
        ],
        "res.users": ["partner_id"],
        "res.partner": ["tz"],
    }

    def _selection_lead_type(self):
        return self.env["crm.lead"]._fields["type"].selection

    @property
    def _table_query(self):
        return SQL("(%s) UNION ALL (%s)", self._select_planned(), self._select_done())

    def _lead_columns(self):
        return SQL(
            """
            lead.id AS lead_id,
            lead.type AS lead_type,
            lead.user_id AS lead_user_id,
            lead.team_id,
            lead.partner_id,
            lead.stage_id,
            lead.company_id,
            lead.active AS lead_active
            """
        )

    def _default_tz(self):
        """Time zone of the days when the user of the row has none: the reader's."""
        tz = self.env.context.get("tz")
        return tz if tz in pytz.all_timezones_set else "UTC"

    def _select_planned(self):
        today = SQL(
            "(%s AT TIME ZONE COALESCE(act.user_tz, %s))::date",
            pytz.utc.localize(fields.Datetime.now()),
            self._default_tz(),
        )
        overdue = SQL("act.date_deadline < %s", today)
        return SQL(
            """
            SELECT 2 * act.id AS id,
                   act.date_deadline AS date,
                   act.activity_type_id,
                   act.user_id,
                   CASE WHEN %(overdue)s THEN 'overdue' ELSE 'planned' END AS state,
                   1 AS nbr_planned,
                   CASE WHEN %(overdue)s THEN 1 ELSE 0 END AS nbr_overdue,
                   0 AS nbr_done,
                   0.0 AS completion_rate,
                   %(lead)s
              FROM mail_activity act
              JOIN crm_lead lead ON lead.id = act.res_id
             WHERE act.res_model = 'crm.lead' AND act.active
            """,
            overdue=overdue,
            lead=self._lead_columns(),
        )

    def _select_done(self):
        return SQL(
            """
            SELECT 2 * msg.id + 1 AS id,
                   (msg.date AT TIME ZONE 'UTC'
                        AT TIME ZONE COALESCE(doer.tz, %(tz)s))::date AS date,
                   msg.mail_activity_type_id AS activity_type_id,
                   msg.create_uid AS user_id,
                   'done' AS state,
                   0 AS nbr_planned,
                   0 AS nbr_overdue,
                   1 AS nbr_done,
                   100.0 AS completion_rate,
                   %(lead)s
              FROM mail_message msg
              JOIN crm_lead lead ON lead.id = msg.res_id
              LEFT JOIN res_users doer_user ON doer_user.id = msg.create_uid
              LEFT JOIN res_partner doer ON doer.id = doer_user.partner_id
             WHERE msg.model = 'crm.lead' AND msg.mail_activity_type_id IS NOT NULL
            """,
            tz=self._default_tz(),
            lead=self._lead_columns(),
        )
