# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_stage_aging import AGING_MIN_STAYS
from .interval_limits import MAX_INTERVAL_DAYS


class CrmLead(models.Model):
    """Stage aging on the opportunity: the daily alarm for deals stuck in their
    stage, the limit in force for each deal, the learned limits and the To-Dos."""

    _inherit = "crm.lead"

    stage_aging_state = fields.Selection(
        [("overdue", "Stuck"), ("escalated", "Stuck, Escalated")],
        string="Stage Aging",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Stuck: the deal stayed in its stage longer than the stage allows; its "
        "salesperson got an activity. Escalated: it stayed longer still; the sales "
        "team leader got one too. Cleared when the deal changes stage.",
    )
    stage_aging_activity_ids = fields.Many2many(
        "mail.activity",
        "crm_lead_stage_aging_activity_rel",
        "lead_id",
        "activity_id",
        string="Stage Aging To-Dos",
        readonly=True,
        copy=False,
        help="The To-Dos the daily stage aging check gave for the current stay; "
        "removed when the deal leaves the stage or is won or lost.",
    )

    # ------------------------------------------------------------------
    # Stage history (stage.history.mixin)
    # ------------------------------------------------------------------

    def _stage_history_entered_values(self):
        return {"stage_aging_state": False}

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _stage_aging_before_write(self, vals):
        """The stays (stage, active) of these deals a write may end, or ``None``
        when it changes neither."""
        if "stage_id" not in vals and "active" not in vals:
            return None
        return {lead.id: (lead.stage_id, lead.active) for lead in self}

    def _stage_aging_after_write(self, stays):
        """Close the aging of the deals whose stay the write ended."""
        if stays is None:
            return
        self.filtered(
            lambda lead: stays[lead.id] != (lead.stage_id, lead.active)
        )._stage_aging_close()

    @api.model
    def _cron_check_stage_aging(self):
        """Flag the open deals stuck in their stage (daily, idempotent).

        A deal whose current stay (:meth:`_stage_stays_sql`) is past the limit in
        force for it (:meth:`_stage_aging_limit_sql`) becomes "Stuck" and its
        salesperson (else the team leader) gets a To-Do; past the escalation days
        too it becomes "Escalated" and the team leader gets one. Each step happens
        once per stay: the state is cleared when the deal changes stage.
        """
        self._refresh_stage_aging_learned()
        self.env.flush_all()
        open_deals = SQL(
            "SELECT id FROM crm_lead WHERE active AND type = 'opportunity'"
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT lead.id,
                       CASE WHEN lim.escalation_days > 0
                             AND stay.days >= lim.days + lim.escalation_days
                            THEN 'escalated' ELSE 'overdue' END
                  FROM (%(stays)s) stay
                  JOIN crm_lead lead ON lead.id = stay.rec_id
                 CROSS JOIN LATERAL (%(limit)s) lim
                 WHERE stay.is_current AND lim.days > 0 AND stay.days >= lim.days
                """,
                stays=self._stage_stays_sql(open_deals),
                limit=self._stage_aging_limit_sql(),
            )
        )
        stuck = dict(self.env.cr.fetchall())
        leads = self.browse(list(stuck)) | self.search(
            [("stage_aging_state", "!=", False), ("id", "not in", list(stuck))]
        )
        by_state = defaultdict(lambda: self.browse())
        activities = []
        for lead in leads:
            old, new = lead.stage_aging_state, stuck.get(lead.id, False)
            if old == new or (old == "escalated" and new == "overdue"):
                continue
            by_state[new] |= lead
            if new and not old:
                activities += lead._stage_aging_activity_vals("overdue")
            if new == "escalated":
                activities += lead._stage_aging_activity_vals("escalated")
        for state, state_leads in by_state.items():
            state_leads.write({"stage_aging_state": state})
        if activities:
            created = self.env["mail.activity"].sudo().create(activities)
            # Remembered, to be removed when the deal moves on: one INSERT.
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_lead_stage_aging_activity_rel "
                    "(lead_id, activity_id) VALUES %s ON CONFLICT DO NOTHING",
                    SQL(", ").join(
                        SQL("(%s, %s)", activity.res_id, activity.id)
                        for activity in created
                    ),
                )
            )
            self.browse(set(created.mapped("res_id"))).invalidate_recordset(
                ["stage_aging_activity_ids"]
            )
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=0)

    def _stage_aging_close(self):
        """These deals left their stage (or were won or lost): the aging To-Dos of
        the stay are moot, and a closed deal is never stuck."""
        if not self:
            return
        # Our own activities, whoever they were given to (one query).
        self.sudo().stage_aging_activity_ids.unlink()
        closed = self.filtered(
            lambda lead: lead.stage_aging_state
            and (not lead.active or lead.stage_id.is_won)
        )
        if closed:
            # A state the application keeps: written whatever the user's rights.
            closed.sudo().write({"stage_aging_state": False})

    @api.model
    def _stage_aging_limit_sql(self):
        """The stage aging limit in force for a deal: its one definition, read by
        the daily check and by :meth:`_get_stage_aging_limits`.

        A ``LATERAL`` subquery on the deal aliased ``lead``, in its current stage:
        its sales team's own limit for the stage, else the stage's fixed limit,
        else its learned one. Columns ``days`` (0: no alarm) and
        ``escalation_days`` (0: no escalation), each read at most
        MAX_INTERVAL_DAYS, so that any stored limit keeps intervals and dates in
        range. No row in a won stage: won deals are never stuck.
        """
        return SQL(
            """
            SELECT LEAST(COALESCE(CASE WHEN team_limit.id IS NOT NULL
                                       THEN team_limit.aging_days::float
                                       WHEN stage.aging_mode = 'fixed'
                                       THEN stage.aging_days::float
                                       WHEN stage.aging_mode = 'learned'
                                       THEN stage.aging_learned_days
                                  END, 0), %(max_days)s) AS days,
                   LEAST(CASE WHEN team_limit.id IS NOT NULL
                              THEN COALESCE(team_limit.aging_escalation_days, 0)
                              ELSE COALESCE(stage.aging_escalation_days, 0)
                         END, %(max_days)s) AS escalation_days
              FROM crm_stage stage
         LEFT JOIN crm_stage_aging_limit team_limit
                ON team_limit.team_id = lead.team_id
               AND team_limit.stage_id = stage.id
             WHERE stage.id = lead.stage_id AND stage.is_won IS NOT TRUE
            """,
            max_days=MAX_INTERVAL_DAYS,
        )

    def _get_stage_aging_limits(self):
        """The limit in force for each of these deals in its current stage (see
        :meth:`_stage_aging_limit_sql`): ``{deal id: (days, escalation days)}``,
        ``(0.0, 0)`` where no alarm applies. One query."""
        limits = dict.fromkeys(self.ids, (0.0, 0))
        if not self.ids:
            return limits
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT lead.id, lim.days, lim.escalation_days
                     FROM crm_lead lead
                    CROSS JOIN LATERAL (%s) lim
                    WHERE lead.id IN %s AND lim.days > 0""",
                self._stage_aging_limit_sql(),
                tuple(self.ids),
            )
        )
        for lead_id, days, escalation_days in self.env.cr.fetchall():
            limits[lead_id] = (days, escalation_days)
        return limits

    def _refresh_stage_aging_learned(self):
        """Learned limits: 75th percentile of each stage's finished stays
        (:meth:`_stage_stays_sql`), once the stage has AGING_MIN_STAYS of them;
        0 otherwise (and in won stages, which have no stays)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH learned AS (
                    SELECT stay.stage_id,
                           CASE WHEN COUNT(*) >= %(min_stays)s
                                THEN PERCENTILE_CONT(0.75)
                                     WITHIN GROUP (ORDER BY stay.days)
                                ELSE 0 END AS days
                      FROM (%(stays)s) stay
                     WHERE NOT stay.is_current
                  GROUP BY stay.stage_id
                )
                UPDATE crm_stage stage
                   SET aging_learned_days = COALESCE(learned.days, 0)
                  FROM crm_stage target
             LEFT JOIN learned ON learned.stage_id = target.id
                 WHERE stage.id = target.id
                   AND stage.aging_learned_days
                       IS DISTINCT FROM COALESCE(learned.days, 0)
             RETURNING stage.id
                """,
                min_stays=AGING_MIN_STAYS,
                stays=self._stage_stays_sql(),
            )
        )
        stage_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["crm.stage"].browse(stage_ids).invalidate_recordset(
            ["aging_learned_days"]
        )

    def _stage_aging_activity_vals(self, state):
        """To-Do values for a stuck deal: its salesperson's, or (escalated, or
        without salesperson) its team leader's."""
        self.ensure_one()
        leader = self.team_id.user_id
        user = self.user_id if state == "overdue" and self.user_id else leader
        if not user:
            return []
        lang_env = self.with_context(lang=user.lang).env
        days = self.stage_age_days
        if state == "overdue":
            summary = lang_env._(
                "Stuck for %(days)s days in %(stage)s",
                days=days,
                stage=self.stage_id.with_env(lang_env).name,
            )
        else:
            summary = lang_env._(
                "Escalated: stuck for %(days)s days in %(stage)s",
                days=days,
                stage=self.stage_id.with_env(lang_env).name,
            )
        return [
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "summary": summary,
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            }
        ]
