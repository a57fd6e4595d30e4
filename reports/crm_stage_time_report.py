# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

TIME_SCOPES = [
    ("stage", "Stage"),
    ("team", "Stage × Sales Team"),
    ("user", "Stage × Salesperson"),
]


class CrmStageTimeReport(models.Model):
    """Time in stage (阶段停留时间): how many days deals stay in each stage.

    A stay is defined once, by ``stage.history.mixin._stage_stays_sql`` (also read
    by the learned stage limits and the stage aging alarms): it starts when a deal
    enters a stage (created in it, moved to it, restored in it) and ends at its
    next transition (a move, or its loss). Statistics are computed over the
    finished stays: mean, median and 75th percentile days, per stage, per stage
    and sales team, per stage and salesperson (the team and salesperson of the
    deal when it entered the stage). Won stages are left out: nobody leaves them.
    Open deals give the current age in their stage.

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
            WITH stays AS (
                SELECT stay.stage_id, stay.team_id, stay.user_id, stay.days,
                       stay.is_current
                  FROM (%(stays)s) stay
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
            stays=self.env["crm.lead"]._stage_stays_sql(
                visible, columns=("team_id", "user_id")
            ),
        )
