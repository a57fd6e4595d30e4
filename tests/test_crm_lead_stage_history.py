# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import MAIL_CONTEXT_ON
from .common_funnel import FunnelCommon


@tagged("post_install", "-at_install")
class TestCrmLeadStageHistory(FunnelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.History = cls.env["crm.lead.stage.history"]

    def _events(self, lead):
        return [
            (entry.event, entry.stage_from_id, entry.stage_to_id)
            for entry in self._stage_history(lead)
        ]

    def test_creation_in_a_stage(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Direct",
                "type": "opportunity",
                "stage_id": self.stage_proposal.id,
                "user_id": self.user_own.id,
                "team_id": self.team.id,
                "expected_revenue": 5000,
                "probability": 40,
            }
        )
        entry = self._stage_history(lead)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.event, "create")
        self.assertFalse(entry.stage_from_id)
        self.assertEqual(entry.stage_to_id, self.stage_proposal)
        self.assertEqual(entry.expected_revenue, 5000)
        self.assertEqual(entry.probability, 40)
        self.assertEqual(entry.user_id, self.user_own)
        self.assertEqual(entry.team_id, self.team)
        self.assertEqual(entry.company_id, self.company)
        self.assertEqual(entry.changed_by_id, self.env.user)
        self.assertEqual(lead.stage_entered_date, entry.date)

    def test_two_transitions_in_one_transaction(self):
        """Odoo's tracking folds both moves into one message; we keep both."""
        lead = self.lead_own.with_context(**MAIL_CONTEXT_ON)
        lead.stage_id = self.stage_proposal
        lead.stage_id = self.stage_negotiation
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(
            self._events(lead)[-2:],
            [
                ("stage", self.stage_new, self.stage_proposal),
                ("stage", self.stage_proposal, self.stage_negotiation),
            ],
        )

    def test_won_lost_restore(self):
        lead = self.lead_own
        lead.write({"expected_revenue": 8000, "probability": 60})
        with freeze_time("2026-03-01 09:00:00"):
            lead.action_set_lost()
        with freeze_time("2026-03-05 09:00:00"):
            lead.action_unarchive()
        with freeze_time("2026-03-09 09:00:00"):
            lead.action_set_won()
        history = self._stage_history(lead)
        self.assertEqual(
            [(e.event, e.stage_from_id, e.stage_to_id) for e in history],
            [
                ("create", self.env["crm.stage"], self.stage_new),
                ("lost", self.stage_new, self.stage_new),
                ("restore", self.stage_new, self.stage_new),
                ("won", self.stage_new, self.stage_won),
            ],
        )
        lost, restored, won = history[1:]
        self.assertEqual(lost.probability, 0, "a lost deal is worth nothing")
        self.assertEqual(lost.date, datetime(2026, 3, 1, 9))
        self.assertEqual(won.probability, 100)
        self.assertEqual(won.expected_revenue, 8000)
        self.assertEqual(restored.date, datetime(2026, 3, 5, 9))
        self.assertEqual(lead.stage_entered_date, datetime(2026, 3, 9, 9))

    def test_no_entry_without_change(self):
        before = len(self._stage_history(self.lead_own))
        self.lead_own.write({"stage_id": self.stage_new.id, "name": "Renamed"})
        self.lead_own.write({"expected_revenue": 10})
        self.assertEqual(len(self._stage_history(self.lead_own)), before)

    def test_batch_write_one_entry_per_lead(self):
        leads = self.lead_own | self.lead_other | self.lead_unassigned
        leads.write({"stage_id": self.stage_proposal.id})
        for lead in leads:
            self.assertEqual(
                self._events(lead)[-1], ("stage", self.stage_new, self.stage_proposal)
            )

    @users("c360_manager")
    def test_append_only(self):
        entry = self.env["crm.lead.stage.history"].search(
            [("lead_id", "=", self.lead_own.id)], limit=1
        )
        self.assertTrue(entry)
        with self.assertRaises(UserError):
            entry.write({"event": "won"})
        with self.assertRaises(UserError):
            entry.sudo().write({"event": "won"})
        with self.assertRaises(UserError):
            entry.unlink()
        with self.assertRaises(UserError):
            self.env["crm.lead.stage.history"].sudo().create(
                {"lead_id": self.lead_own.id, "event": "won", "date": datetime.now()}
            )

    def test_visible_where_the_lead_is(self):
        leads = (
            self.lead_own | self.lead_other | self.lead_unassigned | self.lead_company_b
        )
        leads.write({"stage_id": self.stage_proposal.id})
        self.lead_other.action_set_lost()
        for user in (
            self.user_own,
            self.user_all,
            self.user_manager,
            self.user_company_b,
        ):
            visible = (
                self.env["crm.lead"]
                .with_user(user)
                .with_context(active_test=False)
                .search([("id", "in", leads.ids)])
            )
            self.assertTrue(visible)
            seen = (
                self.History.with_user(user)
                .search([("lead_id", "in", leads.ids)])
                .lead_id
            )
            self.assertEqual(seen, visible, user.login)
        own_seen = self.History.with_user(self.user_own).search([]).lead_id
        self.assertIn(self.lead_own, own_seen)
        self.assertNotIn(self.lead_other, own_seen)
        self.assertNotIn(self.lead_company_b, own_seen)
        with self.assertRaises(AccessError):
            self.History.with_user(self.user_internal).search([])

    def test_initialisation_from_tracking(self):
        """Leads that predate the module get their history from the tracking."""
        Lead = self.env["crm.lead"].with_context(**MAIL_CONTEXT_ON)
        clock = {}

        def commit():
            self.env.flush_all()
            self.env.cr.precommit.run()

        def moment(day):
            clock["now"] = datetime(2026, 1, day, 10)
            return freeze_time(clock["now"])

        with patch.object(self.env.cr, "now", lambda: clock["now"]):
            with moment(5):
                tracked = Lead.create(
                    {
                        "name": "Tracked",
                        "type": "opportunity",
                        "stage_id": self.stage_new.id,
                        "user_id": self.user_own.id,
                        "expected_revenue": 1000,
                    }
                )
                partly = Lead.create(
                    {
                        "name": "Partly tracked",
                        "type": "opportunity",
                        "stage_id": self.stage_new.id,
                    }
                )
                commit()
            with moment(10):
                (tracked | partly).write({"stage_id": self.stage_proposal.id})
                commit()
            with moment(20):
                tracked.action_set_lost()
                commit()
            with moment(25):
                # A move made with the tracking off: known only from the lead.
                partly.with_context(tracking_disable=True).write(
                    {"stage_id": self.stage_negotiation.id}
                )
                commit()
        leads = tracked | partly
        # As if crm_360 had just been installed: no history, no stage date.
        self.env.cr.execute(
            "DELETE FROM crm_lead_stage_history WHERE lead_id IN %s", [tuple(leads.ids)]
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET stage_entered_date = NULL WHERE id IN %s",
            [tuple(leads.ids)],
        )
        self.env.invalidate_all()
        inserted = self.env["crm.lead"]._stage_history_init()
        history = self._stage_history(tracked)
        self.assertEqual(
            [(e.event, e.stage_from_id, e.stage_to_id, e.date) for e in history],
            [
                (
                    "create",
                    self.env["crm.stage"],
                    self.stage_new,
                    datetime(2026, 1, 5, 10),
                ),
                (
                    "stage",
                    self.stage_new,
                    self.stage_proposal,
                    datetime(2026, 1, 10, 10),
                ),
                (
                    "lost",
                    self.stage_proposal,
                    self.stage_proposal,
                    datetime(2026, 1, 20, 10),
                ),
            ],
        )
        self.assertTrue(all(history.mapped("imported")))
        self.assertEqual(history[0].user_id, self.user_own)
        self.assertEqual(history[0].expected_revenue, 1000)
        self.assertEqual(history[2].probability, 0)
        self.assertEqual(tracked.stage_entered_date, datetime(2026, 1, 10, 10))
        self.assertEqual(
            [(e.event, e.stage_to_id, e.date) for e in self._stage_history(partly)],
            [
                ("create", self.stage_new, datetime(2026, 1, 5, 10)),
                ("stage", self.stage_proposal, datetime(2026, 1, 10, 10)),
                ("stage", self.stage_negotiation, datetime(2026, 1, 25, 10)),
            ],
        )
        self.assertEqual(partly.stage_entered_date, datetime(2026, 1, 25, 10))
        self.assertEqual(inserted, 6)
        # Idempotent: leads with a history are left alone.
        self.assertEqual(self.env["crm.lead"]._stage_history_init(), 0)


@tagged("post_install", "-at_install")
class TestHelpdeskTicketStageHistory(FunnelCommon):
    def test_ticket_transitions(self):
        stages = self.env["helpdesk.ticket.stage"].search([], limit=2)
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Pump leaks", "description": "It leaks", "stage_id": stages[0].id}
        )
        ticket.stage_id = stages[1]
        ticket.stage_id = stages[0]
        ticket.action_archive()
        history = self.env["helpdesk.ticket.stage.history"].search(
            [("ticket_id", "=", ticket.id)], order="id"
        )
        self.assertEqual(
            [(e.event, e.stage_from_id, e.stage_to_id) for e in history],
            [
                ("create", stages.browse(), stages[0]),
                ("stage", stages[0], stages[1]),
                ("stage", stages[1], stages[0]),
            ],
            "an archived ticket is not lost: only its stages are recorded",
        )
