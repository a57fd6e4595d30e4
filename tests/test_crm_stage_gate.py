# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_cute import CuteCommon


@tagged("post_install", "-at_install")
class TestCrmStageGate(CuteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_proposal.write(
            {
                "cute_gate_mode": "block",
                "cute_gate_economic": True,
                "cute_gate_technical": True,
            }
        )
        cls.stage_negotiation.write({"cute_gate_mode": "warn", "cute_gate_coach": True})
        cls.ready = cls._new_lead(
            "Ready",
            [(cls.p_economic, "economic", {}), (cls.p_technical, "technical", {})],
        )
        cls.missing_technical = cls._new_lead(
            "Missing technical", [(cls.p_economic, "economic", {})]
        )
        cls.empty = cls._new_lead("Empty")

    def test_block_refuses_with_missing_roles(self):
        with self.assertRaises(UserError) as caught:
            self.missing_technical.write({"stage_id": self.stage_proposal.id})
        message = str(caught.exception)
        self.assertIn("Missing technical", message)
        self.assertIn("Technical", message)
        self.assertNotIn("Economic", message)
        self.assertEqual(self.missing_technical.stage_id, self.stage_new)

    def test_block_lets_covered_opportunity_in(self):
        self.ready.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(self.ready.stage_id, self.stage_proposal)

    def test_block_bulk_write_is_all_or_nothing(self):
        leads = self.ready | self.missing_technical | self.empty
        with self.assertRaises(UserError) as caught:
            leads.write({"stage_id": self.stage_proposal.id})
        message = str(caught.exception)
        self.assertIn("Missing technical", message)
        self.assertIn("Empty", message)
        self.assertIn("Economic, Technical", message)
        self.assertNotIn("Ready cannot", message)
        self.assertEqual(leads.stage_id, self.stage_new)

    def test_block_as_salesman_and_drag_and_drop(self):
        """Kanban drag and drop saves the stage through web_save as the user."""
        lead = self.missing_technical.with_user(self.user_own)
        with self.assertRaises(UserError):
            lead.web_save({"stage_id": self.stage_proposal.id}, {})
        self.assertEqual(lead.stage_id, self.stage_new)
        # Adding the role and moving in one save passes the gate.
        lead.web_save(
            {
                "stage_id": self.stage_proposal.id,
                "influencer_ids": [
                    (0, 0, {"partner_id": self.p_technical.id, "role": "technical"})
                ],
            },
            {},
        )
        self.assertEqual(lead.stage_id, self.stage_proposal)

    def test_block_on_create_and_import(self):
        with self.assertRaises(UserError):
            self._new_lead("Created in proposal", stage_id=self.stage_proposal.id)
        result = self.env["crm.lead"].load(
            ["name", "type", "stage_id/id"],
            [
                [
                    "Imported",
                    "opportunity",
                    self._stage_xmlid(self.stage_proposal),
                ]
            ],
        )
        self.assertFalse(result["ids"])
        self.assertIn("cannot enter the stage", result["messages"][0]["message"])
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Imported")]))

    def _stage_xmlid(self, stage):
        self.env["ir.model.data"].create(
            {
                "name": f"c360_stage_{stage.id}",
                "module": "__import__",
                "model": "crm.stage",
                "res_id": stage.id,
            }
        )
        return f"__import__.c360_stage_{stage.id}"

    def test_won_and_lost_never_blocked(self):
        self.stage_won.sequence = 2
        self.empty.write({"stage_id": self.stage_won.id})
        self.assertEqual(self.empty.stage_id, self.stage_won)
        self.missing_technical.action_set_won()
        self.assertTrue(self.missing_technical.stage_id.is_won)
        lost = self._new_lead("Lost")
        lost.action_set_lost()
        lost.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(lost.stage_id, self.stage_proposal)
        self.assertFalse(lost.active)

    def test_leads_not_gated(self):
        lead = self._new_lead("Plain lead", type="lead")
        lead.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(lead.stage_id, self.stage_proposal)

    def test_warn_posts_note_and_schedules_leader_activity(self):
        leads = self.ready | self.missing_technical
        leads.write({"stage_id": self.stage_negotiation.id})
        self.assertEqual(leads.stage_id, self.stage_negotiation)
        for lead in leads:
            activity = lead.activity_ids.filtered(
                lambda a: "Missing buying influence" in (a.summary or "")
            )
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.user_manager)
            self.assertIn("Coach", activity.summary)
            note = lead.message_ids.filtered(
                lambda m: "without its required buying influence" in (m.body or "")
            )
            self.assertEqual(len(note), 1)
            self.assertTrue(note.subtype_id.internal)

    def _simple_notifications(self):
        return [
            json.loads(values["message"])["payload"]
            for values in self.env.cr.precommit.data.get("bus.bus.values", [])
            if json.loads(values["message"])["type"] == "simple_notification"
        ]

    def test_warn_notifies_the_user_on_screen(self):
        """A note in the chatter is not on screen: the user who moved the deal
        (form, kanban drag and drop) gets a warning notification at once."""
        self.env.cr.precommit.data.pop("bus.bus.values", None)
        lead = self.missing_technical.with_user(self.user_own)
        lead.web_save({"stage_id": self.stage_negotiation.id}, {})
        notifications = self._simple_notifications()
        self.assertEqual(len(notifications), 1)
        self.assertEqual(notifications[0]["type"], "warning")
        self.assertIn("Missing technical", notifications[0]["message"])
        self.assertIn("Coach", notifications[0]["message"])
        # No gate missed, nothing to say.
        self.env.cr.precommit.data.pop("bus.bus.values", None)
        covered = self._new_lead("Has coach too", [(self.p_coach, "coach", {})])
        covered.write({"stage_id": self.stage_negotiation.id})
        self.assertFalse(self._simple_notifications())

    def test_warn_without_missing_role_is_silent(self):
        lead = self._new_lead("Has coach", [(self.p_coach, "coach", {})])
        lead.write({"stage_id": self.stage_negotiation.id})
        self.assertFalse(lead.activity_ids)

    def test_gate_configuration_validation(self):
        with self.assertRaisesRegex(ValidationError, "requires no role"):
            self.env["crm.stage"].create({"name": "Bad", "cute_gate_mode": "block"})
        with self.assertRaisesRegex(ValidationError, "has no gate mode"):
            self.env["crm.stage"].create({"name": "Bad 2", "cute_gate_user": True})
        with self.assertRaisesRegex(ValidationError, "won stage"):
            self.stage_won.write({"cute_gate_mode": "warn", "cute_gate_user": True})
        with self.assertRaisesRegex(ValidationError, "requires no role"):
            self.stage_proposal.write(
                {"cute_gate_economic": False, "cute_gate_technical": False}
            )
        with self.assertRaises(ValueError):
            self.stage_proposal.write({"cute_gate_mode": "stop"})

    def test_gate_configuration_only_for_managers(self):
        stage = self.stage_proposal.with_user(self.user_all)
        with self.assertRaises(AccessError):
            stage.write({"cute_gate_mode": "warn"})
        stage.with_user(self.user_manager).write({"cute_gate_mode": "warn"})
        self.assertEqual(self.stage_proposal.cute_gate_mode, "warn")

    def test_block_on_restore_after_archived_stage_change(self):
        """Archive, move into the gated stage, restore: the gate applies."""
        lead = self.missing_technical.with_user(self.user_own)
        lead.action_archive()
        lead.write({"stage_id": self.stage_proposal.id})
        for restore in (
            lead.action_unarchive,
            lead.toggle_active,
            lambda: lead.write({"active": True}),
        ):
            with self.assertRaises(UserError) as caught:
                restore()
            self.assertIn("cannot enter the stage", str(caught.exception))
            self.assertFalse(lead.active)
        lead.write(
            {
                "influencer_ids": [
                    (0, 0, {"partner_id": self.p_technical.id, "role": "technical"})
                ]
            }
        )
        lead.action_unarchive()
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id, self.stage_proposal)

    def test_block_on_create_archived_in_gated_stage(self):
        for active in (True, False):
            with self.assertRaises(UserError):
                self._new_lead(
                    "Archived in proposal",
                    stage_id=self.stage_proposal.id,
                    active=active,
                    probability=0,
                )
        created = self._new_lead(
            "Covered archived",
            [(self.p_economic, "economic", {}), (self.p_technical, "technical", {})],
            stage_id=self.stage_proposal.id,
            active=False,
        )
        created.action_unarchive()
        self.assertTrue(created.active)

    def test_lost_restored_in_ungated_stage(self):
        lost = self._new_lead("Lost then restored")
        lost.action_set_lost()
        self.assertFalse(lost.active)
        lost.action_unarchive()
        self.assertTrue(lost.active)
        self.assertEqual(lost.stage_id, self.stage_new)
        # Restored into a warning stage: restored, with the warning.
        lost.action_set_lost()
        lost.write({"stage_id": self.stage_negotiation.id})
        lost.toggle_active()
        self.assertTrue(lost.active)
        self.assertTrue(
            lost.activity_ids.filtered(
                lambda a: "Missing buying influence" in (a.summary or "")
            )
        )

    def test_write_without_stage_or_active_stays_batched(self):
        leads = self.ready | self.missing_technical | self.empty
        leads.invalidate_recordset()
        leads.mapped("active")
        leads.mapped("stage_id")
        with self.assertQueryCount(1):
            leads.write({"priority": "2"})
            leads.flush_recordset(["priority"])
