# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_funnel import FunnelCommon, at


@tagged("post_install", "-at_install")
class TestCrmStageAgingLimit(FunnelCommon):
    """A team's own stage aging limit replaces the stage's for its deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = cls.env["crm.stage"].create(
            {
                "name": "Team Aging Stage",
                "sequence": 41,
                "aging_mode": "fixed",
                "aging_days": 3,
                "aging_escalation_days": 2,
            }
        )
        cls.slow_team = cls.env["crm.team"].create(
            {"name": "Projects", "user_id": cls.user_manager.id}
        )
        cls.limit = cls.env["crm.stage.aging.limit"].create(
            {
                "team_id": cls.slow_team.id,
                "stage_id": cls.stage.id,
                "aging_days": 10,
                "aging_escalation_days": 0,
            }
        )
        with at(0):
            cls.fast_deal, cls.slow_deal = cls.env["crm.lead"].create(
                [
                    {
                        "name": name,
                        "type": "opportunity",
                        "stage_id": cls.stage.id,
                        "user_id": cls.user_own.id,
                        "team_id": team.id,
                    }
                    for name, team in (("Fast", cls.team), ("Slow", cls.slow_team))
                ]
            )

    def test_team_limit_replaces_the_stage_limit(self):
        Lead = self.env["crm.lead"]
        with at(6):
            Lead._cron_check_stage_aging()
        self.assertEqual(self.fast_deal.stage_aging_state, "escalated")
        self.assertFalse(self.slow_deal.stage_aging_state)
        with at(11):
            Lead._cron_check_stage_aging()
        self.assertEqual(self.slow_deal.stage_aging_state, "overdue")
        with at(40):
            Lead._cron_check_stage_aging()
        self.assertEqual(
            self.slow_deal.stage_aging_state, "overdue", "the team never escalates"
        )

    def test_team_limit_without_stage_limit(self):
        self.stage.aging_mode = False
        with at(11):
            self.env["crm.lead"]._cron_check_stage_aging()
        self.assertFalse(self.fast_deal.stage_aging_state)
        self.assertEqual(self.slow_deal.stage_aging_state, "overdue")

    def test_any_stored_limit_runs(self):
        """Limits of 2^31 - 1 days stored (past any bound) never make the daily
        check fail: those deals are never stuck."""
        self.env.flush_all()
        huge = 2**31 - 1
        self.env.cr.execute(
            "UPDATE crm_stage SET aging_days = %s, aging_escalation_days = %s"
            " WHERE id = %s",
            [huge, huge, self.stage.id],
        )
        self.env.cr.execute(
            "UPDATE crm_stage_aging_limit SET aging_days = %s,"
            " aging_escalation_days = %s WHERE id = %s",
            [huge, huge, self.limit.id],
        )
        self.env.invalidate_all()
        with at(3650):
            self.env["crm.lead"]._cron_check_stage_aging()
            self.assertEqual(self.fast_deal.stage_age_days, 3650)
        self.assertFalse(self.fast_deal.stage_aging_state)
        self.assertFalse(self.slow_deal.stage_aging_state)

    def test_bad_input(self):
        Limit = self.env["crm.stage.aging.limit"]
        other_team = self.env["crm.team"].create({"name": "Other"})
        values = {"team_id": other_team.id, "stage_id": self.stage.id, "aging_days": 5}
        won = self.env["crm.stage"].create({"name": "Team Won", "is_won": True})
        for bad, message in (
            ({"aging_days": 0}, "positive"),
            ({"aging_days": -3}, "between 0 and 3650"),
            ({"aging_escalation_days": -1}, "between 0 and 3650"),
            ({"stage_id": won.id}, "won stage"),
        ):
            with (
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                Limit.create(dict(values, **bad))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["crm.stage.aging.limit"].create(
                {
                    "team_id": self.slow_team.id,
                    "stage_id": self.stage.id,
                    "aging_days": 5,
                }
            )

    def test_access(self):
        Limit = self.env["crm.stage.aging.limit"]
        self.assertEqual(Limit.with_user(self.user_own).search([]), self.limit)
        with self.assertRaises(AccessError):
            self.limit.with_user(self.user_own).aging_days = 20
        self.limit.with_user(self.user_manager).aging_days = 20
        self.assertEqual(self.limit.aging_days, 20)
