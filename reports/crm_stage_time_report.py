# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.stage_history_entry_mixin import STAGE_ENTERING_EVENTS

TIME_SCOPES = [
    ("stage", "Stage"),
    ("team", "Stage × Sales Team"),
    ("user", "Stage × Salesperson"),
]


class CrmStageTimeReport(models.Model):
    """Time in stage (阶段停留时间): how many days deals stay in each stage.

    A stay starts when a deal enters a stage (created in it, moved to it, restored
    in it) and ends at its next transition (a move, or its loss). Statistics are
    computed over the finished stays: mean, median and 75th percentile days, per
    stage, per stage and sales team, per stage and salesperson (the team and
    salesperson of the deal when it entered the stage). Won stages are left out:
    nobody leaves them. Open deals give the current age in their stage.

    Percentiles do not add up, so each row is computed in SQL over the deals the
    current user may open (crm.lead's own search, record rules applied) rather than
    filtered afterwards.
    """

    _name = "crm.stage.time.report"
    _description = "Time in Stage Analysis"
    _auto = False
    _order = "scope, stage_sequence, team_id, user_id"

    scope = fields.Selection(TIME_SCOPES, readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=None)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    nbr_stays = fields.Integer(
        string="# Finished Stays",
        readonly=True,
        help="Stays in the stage that have ended (the deal moved on, was won or lost).",
    )
    mean_days = fields.Float(string="Mean (Days)", readonly=True, aggregator=None)
    median_days = fields.Float(string="Median (Days)", readonly=True, aggregator=None)
    p75_days = fields.Float(
        string="75th Percentile (Days)",
        readonly=True,
        aggregator=None,
        help="Three stays in four were shorter than this.",
    )
    max_days = fields.Float(string="Longest (Days)", readonly=True, aggregator="max")
    nbr_current = fields.Integer(
        string="# Open Deals", readonly=True, help="Open deals in the stage now."
    )
    current_mean_days = fields.Float(
        string="Current Mean Age (Days)",
        readonly=True,
        aggregator=None,
        help="Mean days the open deals have spent in the stage so far.",
    )

    _depends = {
        "crm.lead.stage.history": [
            "lead_id",
            "event",
            "stage_to_id",
            "date",
            "team_id",
            "user_id",
        ],
        "crm.lead": ["active", "stage_id", "company_id", "user_id", "team_id"],
        "crm.stage": ["sequence", "is_won"],
    }

    @property
    def _table_query(self):
        visible = (
            self.env["crm.lead"].with_context(active_test=False)._search([]).subselect()
        )
        return SQL(
            """
            WITH ordered AS (
                SELECT hist.lead_id, hist.event, hist.stage_to_id, hist.date,
                       hist.team_id, hist.user_id,
                       LEAD(hist.date) OVER (
                           PARTITION BY hist.lead_id ORDER BY hist.date, hist.id
                       ) AS next_date
                  FROM crm_lead_stage_history hist
                 WHERE hist.lead_id IN (%(visible)s)
            ),
            stays AS (
                SELECT ordered.stage_to_id AS stage_id, ordered.team_id,
                       ordered.user_id,
                       EXTRACT(EPOCH FROM (
                           COALESCE(ordered.next_date, %(now)s) - ordered.date
                       )) / 86400.0 AS days,
                       ordered.next_date IS NULL AS is_current
                  FROM ordered
                  JOIN crm_lead lead ON lead.id = ordered.lead_id
                  JOIN crm_stage stage ON stage.id = ordered.stage_to_id
                 WHERE ordered.event IN %(entering)s
                   AND stage.is_won IS NOT TRUE
                   AND (ordered.next_date IS NOT NULL
                        OR (lead.active AND lead.stage_id = ordered.stage_to_id))
            ),
            stats AS (
                SELECT CASE WHEN GROUPING(team_id) = 0 THEN 'team'
                            WHEN GROUPING(user_id) = 0 THEN 'user'
                            ELSE 'stage' END AS scope,
                       stage_id, team_id, user_id,
                       COUNT(*) FILTER (WHERE NOT is_current) AS nbr_stays,
                       AVG(days) FILTER (WHERE NOT is_current) AS mean_days,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days)
                           FILTER (WHERE NOT is_current) AS median_days,
                       PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY days)
                           FILTER (WHERE NOT is_current) AS p75_days,
                       MAX(days) FILTER (WHERE NOT is_current) AS max_days,
                       COUNT(*) FILTER (WHERE is_current) AS nbr_current,
                       AVG(days) FILTER (WHERE is_current) AS current_mean_days
                  FROM stays
              GROUP BY GROUPING SETS (
                       (stage_id),
                       (stage_id, team_id),
                       (stage_id, user_id))
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY stats.scope, stage.sequence, stats.stage_id,
                                stats.team_id, stats.user_id)
                       AS id,
                   stats.*, stage.sequence AS stage_sequence
              FROM stats
              JOIN crm_stage stage ON stage.id = stats.stage_id
            """,
            visible=visible,
            now=fields.Datetime.now(),
            entering=STAGE_ENTERING_EVENTS,
        )
