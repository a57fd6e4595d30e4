# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.tests import tagged

from .common_funnel import FunnelCommon, at


@tagged("post_install", "-at_install")
class TestCrmStageTimeDefinition(FunnelCommon):
    """One definition of time in stage and of the limit in force, on one
    hand-built pipeline (days from DAY0):

    Stage X (learned limit, escalation 2 days):
      P1..P5: created in X (0), moved to Y after 1, 2, 3, 4, 5 days
      R (team 2): created in X (0), lost (6), restored (8), still in X
      A (team 1): created in X (0), still there
      B (team 2): created in X (10), still there
      C (team 2): created in X (18), still there
      W: created in X (0), moved to the won stage (1), reopened in Y (3)
    Stage F (fixed 3 days): D (team 2), created in F (0)
    Stage N (no alarm): E (team 1, whose own limit there is 7 days), G (team 2)
    Team 1 has its own limit of 10 days in X.

    Finished stays in X: 1, 2, 3, 4, 5, 6 (R until lost) and 1 (W):
    75th percentile over 7 stays = 4.5. The loss of R ends a stay; its restore
    starts one (12 days at day 20). W's day in the won stage is no stay.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this class's stages raise alarms, whatever the demo data set.
        cls.env["crm.stage"].search([]).write(
            {"aging_mode": False, "aging_days": 0, "aging_escalation_days": 0}
        )
        Stage = cls.env["crm.stage"]
        cls.x = Stage.create(
            {
                "name": "T Learned",
                "sequence": 61,
                "aging_mode": "learned",
                "aging_escalation_days": 2,
            }
        )
        cls.y = Stage.create({"name": "T Next", "sequence": 62})
        cls.f = Stage.create(
            {"name": "T Fixed", "sequence": 63, "aging_mode": "fixed", "aging_days": 3}
        )
        cls.n = Stage.create({"name": "T None", "sequence": 64})
        cls.won = Stage.create({"name": "T Won", "sequence": 69, "is_won": True})
        cls.team_1 = cls.env["crm.team"].create(
            {"name": "T Team 1", "user_id": cls.user_manager.id}
        )
        cls.team_2 = cls.env["crm.team"].create(
            {"name": "T Team 2", "user_id": cls.user_manager.id}
        )
        cls.env["crm.stage.aging.limit"].create(
            [
                {"team_id": cls.team_1.id, "stage_id": cls.x.id, "aging_days": 10},
                {"team_id": cls.team_1.id, "stage_id": cls.n.id, "aging_days": 7},
            ]
        )
        Lead = cls.env["crm.lead"]

        def deal(name, stage, team):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "stage_id": stage.id,
                    "user_id": cls.user_own.id,
                    "team_id": team.id,
                }
            )

        with at(0):
            past = [deal(f"P{days}", cls.x, cls.team_2) for days in range(1, 6)]
            cls.r = deal("R", cls.x, cls.team_2)
            cls.a = deal("A", cls.x, cls.team_1)
            cls.w = deal("W", cls.x, cls.team_2)
            cls.d = deal("D", cls.f, cls.team_2)
            cls.e = deal("E", cls.n, cls.team_1)
            cls.g = deal("G", cls.n, cls.team_2)
        for days, lead in enumerate(past, start=1):
            with at(days):
                lead.stage_id = cls.y
        with at(1):
            cls.w.stage_id = cls.won
        with at(3):
            cls.w.stage_id = cls.y
        with at(6):
            cls.r.action_set_lost()
        with at(8):
            cls.r.action_unarchive()
        with at(10):
            cls.b = deal("B", cls.x, cls.team_2)
        with at(18):
            cls.c = deal("C", cls.x, cls.team_2)
        cls.open_in_x = cls.a | cls.b | cls.c | cls.r

    def test_report_learned_limit_and_alarm_agree(self):
        Lead = self.env["crm.lead"]
        with at(20):
            Lead._cron_check_stage_aging()
            report = self.env["crm.stage.time.report"].search_fetch(
                [("scope", "=", "stage"), ("stage_id", "in", (self.x | self.won).ids)],
                [
                    "stage_id",
                    "nbr_stays",
                    "p75_days",
                    "max_days",
                    "nbr_current",
                    "current_mean_days",
                ],
            )
            self.open_in_x.invalidate_recordset(["stage_age_days"])
            ages = {lead: lead.stage_age_days for lead in self.open_in_x}
        self.assertEqual(report.stage_id, self.x, "a won stage has no stays")
        # Finished stays: 1, 1, 2, 3, 4, 5, 6 days.
        self.assertEqual(report.nbr_stays, 7)
        self.assertAlmostEqual(report.p75_days, 4.5)
        self.assertAlmostEqual(report.max_days, 6)
        # The learned limit is the report's 75th percentile.
        self.assertAlmostEqual(self.x.aging_learned_days, report.p75_days)
        self.assertEqual(self.won.aging_learned_days, 0)
        # Current stays: A 20, B 10, C 2, R 12 (since its restore).
        self.assertEqual(ages, {self.a: 20, self.b: 10, self.c: 2, self.r: 12})
        self.assertEqual(report.nbr_current, 4)
        self.assertAlmostEqual(report.current_mean_days, sum(ages.values()) / 4)
        # The alarm measures the same stays against the limit in force.
        states = {
            lead.name: lead.stage_aging_state
            for lead in self.open_in_x | self.d | self.e | self.g
        }
        self.assertEqual(
            states,
            {
                "A": "overdue",  # team 1's 10 days, no escalation
                "B": "escalated",  # 10 >= learned 4.5 + 2
                "C": False,  # 2 < 4.5
                "R": "escalated",  # 12 since the restore
                "D": "overdue",  # fixed 3 days
                "E": "overdue",  # team 1's 7 days in a stage without alarm
                "G": False,  # no limit at all
            },
        )

    def test_alarm_counts_from_the_restore(self):
        """R was lost for 2 days: at day 14 it has been 6 days in X since its
        restore (not 14 since its creation), past 4.5 but not 6.5."""
        with at(14):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertEqual(self.r.stage_aging_state, "overdue")

    def test_limit_in_force(self):
        """The team's own limit, else the stage's fixed one, else its learned
        one; none in a won stage or without any."""
        with at(20):
            self.env["crm.lead"]._refresh_stage_aging_learned()
        won_deal = self.env["crm.lead"].create(
            {"name": "Won", "type": "opportunity", "stage_id": self.won.id}
        )
        limits = (
            self.a | self.b | self.d | self.e | self.g | won_deal
        )._get_stage_aging_limits()
        self.assertEqual(limits[self.a.id], (10, 0))
        self.assertEqual(limits[self.b.id][1], 2)
        self.assertAlmostEqual(limits[self.b.id][0], 4.5)
        self.assertEqual(limits[self.d.id], (3, 0))
        self.assertEqual(limits[self.e.id], (7, 0))
        self.assertEqual(limits[self.g.id], (0.0, 0))
        self.assertEqual(limits[won_deal.id], (0.0, 0))
        # The team's limit goes with the deal: moved to team 1, B gets 10 days.
        self.b.team_id = self.team_1
        self.assertEqual(self.b._get_stage_aging_limits()[self.b.id], (10, 0))
        self.x.write({"aging_mode": "fixed", "aging_days": 5})
        self.b.team_id = self.team_2
        self.assertEqual(self.b._get_stage_aging_limits()[self.b.id], (5, 2))
