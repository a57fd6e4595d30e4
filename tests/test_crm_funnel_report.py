# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_funnel import DAY0, FunnelCommon, at


@tagged("post_install", "-at_install")
class TestCrmFunnelReport(FunnelCommon):
    """A hand-computed pipeline (days from DAY0):

    A: S1 (0) -> S2 (2) -> S3 (5) -> Won (9)
    B: S1 (0) -> S2 (4) -> lost (10)
    C: S1 (0) -> S3 (3), open (skipped S2)
    D: S1 (0) -> lost (6)
    E: created in S2 (1), open, another salesperson
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.s1 = Stage.create({"name": "F1 Contact", "sequence": 11})
        cls.s2 = Stage.create({"name": "F2 Needs", "sequence": 12})
        cls.s3 = Stage.create({"name": "F3 Proposal", "sequence": 13})
        cls.sw = Stage.create({"name": "F Won", "sequence": 19, "is_won": True})
        cls.stages = cls.s1 | cls.s2 | cls.s3 | cls.sw
        Lead = cls.env["crm.lead"]

        def lead(name, stage, user, revenue):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "stage_id": stage.id,
                    "user_id": user.id,
                    "team_id": cls.team.id,
                    "expected_revenue": revenue,
                }
            )

        with at(0):
            cls.a = lead("A", cls.s1, cls.user_own, 1000)
            cls.b = lead("B", cls.s1, cls.user_own, 2000)
            cls.c = lead("C", cls.s1, cls.user_own, 3000)
            cls.d = lead("D", cls.s1, cls.user_own, 4000)
        with at(1):
            cls.e = lead("E", cls.s2, cls.user_own_2, 5000)
        with at(2):
            cls.a.stage_id = cls.s2
        with at(3):
            cls.c.stage_id = cls.s3
        with at(4):
            cls.b.stage_id = cls.s2
        with at(5):
            cls.a.stage_id = cls.s3
        with at(6):
            cls.d.action_set_lost()
        with at(9):
            cls.a.stage_id = cls.sw
        with at(10):
            cls.b.action_set_lost()
        cls.leads = cls.a | cls.b | cls.c | cls.d | cls.e

    def _funnel(self, user=None):
        Report = self.env["crm.funnel.report"]
        if user:
            Report = Report.with_user(user)
        groups = Report._read_group(
            [("lead_id", "in", self.leads.ids), ("stage_id", "in", self.stages.ids)],
            ["stage_id"],
            [
                "nbr:sum",
                "nbr_next:sum",
                "nbr_won:sum",
                "nbr_lost_here:sum",
                "nbr_open_here:sum",
                "next_rate:avg",
                "won_rate:avg",
                "win_rate:avg",
                "expected_revenue:sum",
            ],
        )
        return {stage: values for stage, *values in groups}

    def test_funnel_per_stage(self):
        funnel = self._funnel()
        # reached, next, won, lost here, still here, next %, won %, win %, amount
        self.assertEqual(
            funnel[self.s1][:5], [5, 4, 1, 1, 0], "E passed S1 to enter S2"
        )
        self.assertEqual(funnel[self.s2][:5], [4, 2, 1, 1, 1], "C skipped S2")
        self.assertEqual(funnel[self.s3][:5], [2, 1, 1, 0, 1])
        self.assertEqual(funnel[self.sw][:5], [1, 0, 1, 0, 0])
        self.assertAlmostEqual(funnel[self.s1][5], 80.0)
        self.assertAlmostEqual(funnel[self.s2][5], 50.0)
        self.assertAlmostEqual(funnel[self.s1][6], 20.0)
        self.assertAlmostEqual(funnel[self.s1][7], 100 / 3, places=4)
        self.assertAlmostEqual(funnel[self.s2][7], 50.0)
        self.assertEqual(funnel[self.s1][8], 15000)
        self.assertEqual(funnel[self.s3][8], 4000)

    def test_funnel_entry_date_and_lost_included(self):
        rows = self.env["crm.funnel.report"].search(
            [("lead_id", "=", self.c.id), ("stage_id", "in", self.stages.ids)]
        )
        entry = {row.stage_id: row.entry_date for row in rows}
        self.assertEqual(entry[self.s1], DAY0)
        self.assertEqual(
            entry[self.s2], DAY0 + timedelta(days=3), "skipped: reached with S3"
        )
        lost = self.env["crm.funnel.report"].search(
            [("lead_id", "=", self.d.id), ("stage_id", "=", self.s1.id)]
        )
        self.assertTrue(lost.is_lost)

    def test_funnel_reentered_stage_counts_once(self):
        """A deal that went back and forth has one row per stage it reached, a
        distinct id each, reached on its first entry (or a later stage's)."""
        with at(0):
            deal = self.env["crm.lead"].create(
                {
                    "name": "Back and forth",
                    "type": "opportunity",
                    "stage_id": self.s1.id,
                    "user_id": self.user_own.id,
                    "team_id": self.team.id,
                }
            )
        for day, stage in ((1, self.s2), (2, self.s1), (3, self.s2), (4, self.s3)):
            with at(day):
                deal.stage_id = stage
        Report = self.env["crm.funnel.report"]
        domain = [("lead_id", "=", deal.id), ("stage_id", "in", self.stages.ids)]
        rows = Report.search(domain)
        self.assertEqual(len(rows), 3)
        self.assertEqual(len(set(rows.ids)), 3)
        self.assertEqual(
            {row.stage_id: row.entry_date for row in rows},
            {
                self.s1: DAY0,
                self.s2: DAY0 + timedelta(days=1),
                self.s3: DAY0 + timedelta(days=4),
            },
        )
        self.assertEqual(
            Report.search(
                [*domain, ("entry_date", ">=", DAY0 + timedelta(days=1))]
            ).stage_id,
            self.s2 | self.s3,
        )
        self.assertEqual(
            Report._read_group(domain, ["stage_id"], ["nbr:sum", "nbr_next:sum"]),
            [(self.s1, 1, 1), (self.s2, 1, 1), (self.s3, 1, 0)],
        )

    def test_funnel_follows_lead_rules(self):
        own = self._funnel(self.user_own)
        self.assertEqual(own[self.s1][0], 4, "E belongs to another salesperson")
        self.assertEqual(own[self.s2][0], 3)
        self.assertEqual(self._funnel(self.user_all)[self.s1][0], 5)
        self.assertFalse(self._funnel(self.user_company_b))

    def test_funnel_query_count_constant(self):
        Report = self.env["crm.funnel.report"].with_user(self.user_all)
        domain = [("stage_id", "in", self.stages.ids)]
        Report._read_group(domain, ["stage_id"], ["nbr:sum"])  # warm the caches
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        Report._read_group(domain, ["stage_id"], ["nbr:sum"])
        few = self.env.cr.sql_log_count - count
        with at(11):
            self.env["crm.lead"].create(
                [
                    {
                        "name": f"More {i}",
                        "type": "opportunity",
                        "stage_id": self.s2.id,
                        "team_id": self.team.id,
                    }
                    for i in range(20)
                ]
            )
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        Report._read_group(domain, ["stage_id"], ["nbr:sum"])
        self.assertEqual(self.env.cr.sql_log_count - count, few)

    def test_time_in_stage(self):
        with at(20):
            stats = self.env["crm.stage.time.report"].search(
                [("scope", "=", "stage"), ("stage_id", "in", self.stages.ids)]
            )
            by_stage = {row.stage_id: row for row in stats}
        self.assertNotIn(self.sw, by_stage, "nobody leaves a won stage")
        s1, s2, s3 = by_stage[self.s1], by_stage[self.s2], by_stage[self.s3]
        # S1 finished stays: 2, 4, 3, 6 days
        self.assertEqual(s1.nbr_stays, 4)
        self.assertAlmostEqual(s1.mean_days, 3.75)
        self.assertAlmostEqual(s1.median_days, 3.5)
        self.assertAlmostEqual(s1.p75_days, 4.5)
        self.assertAlmostEqual(s1.max_days, 6)
        self.assertEqual(s1.nbr_current, 0)
        # S2 finished: A 3, B 6 (ended by the loss); E still there for 19 days
        self.assertEqual(s2.nbr_stays, 2)
        self.assertAlmostEqual(s2.median_days, 4.5)
        self.assertAlmostEqual(s2.p75_days, 5.25)
        self.assertEqual(s2.nbr_current, 1)
        self.assertAlmostEqual(s2.current_mean_days, 19)
        self.assertEqual((s3.nbr_stays, s3.nbr_current), (1, 1))
        self.assertAlmostEqual(s3.current_mean_days, 17)

    def test_time_in_stage_per_salesperson_and_rules(self):
        with at(20):
            rows = (
                self.env["crm.stage.time.report"]
                .with_user(self.user_own)
                .search([("scope", "=", "user"), ("stage_id", "=", self.s2.id)])
            )
        self.assertEqual(rows.user_id, self.user_own, "E is not his")
        self.assertEqual(rows.nbr_current, 0)
        self.assertEqual(rows.nbr_stays, 2)

    def test_current_age_on_the_deal(self):
        with at(20):
            self.c.invalidate_recordset(["stage_age_days"])
            self.assertEqual(self.c.stage_age_days, 17)


@tagged("post_install", "-at_install")
class TestCrmStageAging(FunnelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this class's stage raises alarms, whatever the demo data set.
        cls.env["crm.stage"].search([]).write(
            {"aging_mode": False, "aging_days": 0, "aging_escalation_days": 0}
        )
        cls.env["crm.lead"].search([("stage_aging_state", "!=", False)]).write(
            {"stage_aging_state": False}
        )
        cls.stage = cls.env["crm.stage"].create(
            {
                "name": "Aging Stage",
                "sequence": 40,
                "aging_mode": "fixed",
                "aging_days": 3,
                "aging_escalation_days": 2,
            }
        )
        with at(0):
            cls.lead = cls.env["crm.lead"].create(
                {
                    "name": "Slow deal",
                    "type": "opportunity",
                    "stage_id": cls.stage.id,
                    "user_id": cls.user_own.id,
                    "team_id": cls.team.id,
                }
            )
            cls.orphan = cls.env["crm.lead"].create(
                {
                    "name": "Nobody's deal",
                    "type": "opportunity",
                    "user_id": False,
                    "stage_id": cls.stage.id,
                    "team_id": cls.team.id,
                }
            )

    def _todos(self, lead):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )

    def test_alarm_idempotent_and_escalating(self):
        Lead = self.env["crm.lead"]
        with at(2):
            Lead._cron_check_stage_aging()
        self.assertFalse(self.lead.stage_aging_state)
        with at(4):
            Lead._cron_check_stage_aging()
            Lead._cron_check_stage_aging()
        self.assertEqual(self.lead.stage_aging_state, "overdue")
        todo = self._todos(self.lead)
        self.assertEqual(todo.user_id, self.user_own)
        self.assertIn("Aging Stage", todo.summary)
        self.assertEqual(self._todos(self.orphan).user_id, self.user_manager)
        self.assertIn(self.lead, Lead.search([("stage_aging_state", "!=", False)]))
        with at(6):
            Lead._cron_check_stage_aging()
            Lead._cron_check_stage_aging()
        self.assertEqual(self.lead.stage_aging_state, "escalated")
        self.assertEqual(
            self._todos(self.lead).user_id, self.user_own | self.user_manager
        )
        with at(7):
            self.lead.stage_id = self.stage_proposal
            Lead._cron_check_stage_aging()
        self.assertFalse(self.lead.stage_aging_state)
        # The deal moved on: the "stuck" To-Dos of its stay are gone.
        self.assertFalse(self._todos(self.lead))

    def test_aging_todos_closed_when_the_deal_moves_or_closes(self):
        """Leaving the stage, winning or losing the deal removes the aging
        To-Dos crm_360 scheduled for it (not the others) and clears its state;
        a write that changes no stage does not look for them."""
        Lead = self.env["crm.lead"]
        with at(30):
            Lead._cron_check_stage_aging()
        other = self.lead.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call back",
            user_id=self.user_own.id,
        )
        self.assertEqual(len(self._todos(self.lead)), 3)
        self.assertEqual(len(self._todos(self.orphan)), 2)
        # A plain edit keeps them.
        with patch.object(type(Lead), "_stage_aging_close", autospec=True) as close:
            (self.lead | self.orphan).write({"description": "Still thinking"})
        close.assert_not_called()
        self.assertEqual(len(self._todos(self.lead)), 3)
        self.lead.stage_id = self.stage_proposal
        self.assertEqual(self._todos(self.lead), other)
        self.assertFalse(self.lead.stage_aging_state)
        self.lead.action_set_won()
        self.assertEqual(self._todos(self.lead), other)
        self.assertEqual(self.orphan.stage_aging_state, "escalated")
        self.orphan.action_set_lost()
        self.assertFalse(self.orphan.stage_aging_state)
        self.assertFalse(self._todos(self.orphan))
        # The daily check does not flag them again.
        with at(40):
            Lead._cron_check_stage_aging()
        self.assertFalse(any((self.lead | self.orphan).mapped("stage_aging_state")))

    def test_escalation_at_once_when_far_past(self):
        with at(30):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertEqual(self.lead.stage_aging_state, "escalated")
        self.assertEqual(len(self._todos(self.lead)), 2)

    def test_limit_lowered_clears_nothing_raised_clears(self):
        with at(4):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.stage.aging_days = 10
        with at(5):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertFalse(self.lead.stage_aging_state)

    def test_learned_limit(self):
        self.stage.aging_mode = "learned"
        with at(40):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertEqual(self.stage.aging_learned_days, 0, "too few stays")
        self.assertFalse(self.lead.stage_aging_state)
        Lead = self.env["crm.lead"]
        for days in (1, 2, 3, 4, 5):
            with at(0):
                lead = Lead.create(
                    {"name": "Past", "type": "opportunity", "stage_id": self.stage.id}
                )
            with at(days):
                lead.stage_id = self.stage_proposal
        with at(40):
            Lead._cron_check_stage_aging()
        self.assertAlmostEqual(self.stage.aging_learned_days, 4)
        self.assertEqual(self.lead.stage_aging_state, "escalated")

    def test_bad_thresholds(self):
        with self.assertRaises(ValidationError):
            self.stage.aging_days = 0
        with self.assertRaises(ValidationError):
            self.stage.aging_days = -2
        with self.assertRaises(ValidationError):
            self.stage.aging_escalation_days = -1
        self.stage.write({"aging_mode": False, "aging_days": 0})
        with at(40):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertFalse(self.lead.stage_aging_state)
