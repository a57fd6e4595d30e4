# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrency of the adversarial suite (issue 16, 6f): two transactions move
the same opportunity at the same time and the stage history loses nothing.

The test works with cursors of its own and must commit (another cursor sees
committed data only): what it commits is named "c360 concurrency" and deleted in
a cleanup, leaving the database as it found it.
"""

from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

TAG = "c360 concurrency"


@tagged("post_install", "-at_install")
class TestCrm360Concurrency(TransactionCase):
    """Two cursors change the same opportunity's stage: the one that commits
    second fails to serialize, is retried the way Odoo retries a request, and
    both transitions are in the history, chained."""

    def _new_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _cleanup(self, stage_ids, lead_id):
        with self.registry.cursor() as cr:
            env = self._new_env(cr)
            env["crm.lead"].with_context(active_test=False).browse(lead_id).exists()
            env["crm.lead.stage.history"].search([("lead_id", "=", lead_id)]).unlink()
            env["crm.lead"].browse(lead_id).exists().unlink()
            env["crm.stage"].browse(stage_ids).exists().unlink()

    def test_two_cursors_move_the_same_opportunity(self):
        with self.registry.cursor() as cr:
            env = self._new_env(cr)
            stages = env["crm.stage"].create(
                [
                    {"name": f"{TAG} {name}", "sequence": 900 + sequence}
                    for sequence, name in enumerate(("New", "Proposal", "Won"))
                ]
            )
            lead = env["crm.lead"].create(
                {
                    "name": f"{TAG} deal",
                    "type": "opportunity",
                    "stage_id": stages[0].id,
                    "user_id": False,
                }
            )
            stage_ids, lead_id = stages.ids, lead.id
        self.addCleanup(self._cleanup, stage_ids, lead_id)
        first, second, third = stage_ids

        attempts = []
        with self.registry.cursor() as cr_1, self.registry.cursor() as cr_2:
            env_1, env_2 = self._new_env(cr_1), self._new_env(cr_2)
            # Both transactions have seen the opportunity in its first stage.
            self.assertEqual(env_2["crm.lead"].browse(lead_id).stage_id.id, first)
            env_1["crm.lead"].browse(lead_id).stage_id = second
            env_1.flush_all()
            cr_1.commit()

            def move():
                attempts.append(len(attempts) + 1)
                env_2["crm.lead"].browse(lead_id).stage_id = third

            # The first attempt, on a snapshot older than the other commit, fails
            # to serialize (PostgreSQL logs the rejected query); Odoo rolls back
            # and tries again at once (no random wait in a test).
            with (
                mute_logger("odoo.sql_db"),
                patch("odoo.service.model.time.sleep"),
            ):
                retrying(move, env_2)
        self.assertEqual(attempts, [1, 2], "one serialization failure, one retry")

        with self.registry.cursor() as cr:
            env = self._new_env(cr)
            history = env["crm.lead.stage.history"].search(
                [("lead_id", "=", lead_id)], order="date, id"
            )
            self.assertEqual(
                [(h.event, h.stage_from_id.id, h.stage_to_id.id) for h in history],
                [
                    ("create", False, first),
                    ("stage", first, second),
                    ("stage", second, third),
                ],
                "every transition kept, each starting where the previous ended",
            )
            self.assertEqual(env["crm.lead"].browse(lead_id).stage_id.id, third)
