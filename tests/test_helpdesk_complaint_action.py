# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintAction(ComplaintCommon):
    """Corrective and preventive actions: owner, deadline, reminder, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Production engineer: an employee without any helpdesk right.
        cls.engineer = cls._new_user(
            "c360_engineer", "base.group_user", name="Engineer"
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.complaint = cls._complaint_of(cls.agent)
        cls.other_complaint = cls._complaint_of(cls.agent_2, team=False)

    @classmethod
    def _complaint_of(cls, user, team=True):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": "Pump leaking",
                "description": "<p>The pump leaks oil.</p>",
                "partner_id": cls.contact.id,
                "is_complaint": True,
                "user_id": user.id,
                "team_id": team and cls.team.id,
            }
        )

    @contextmanager
    def _at(self, when):
        moment = datetime.fromisoformat(when)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _action(self, env=None, **vals):
        env = env or self.env
        return env["helpdesk.complaint.action"].create(
            dict(
                {
                    "ticket_id": self.complaint.id,
                    "name": "Add a leak test to final inspection",
                    "user_id": self.engineer.id,
                    "date_deadline": "2099-03-31",
                },
                **vals,
            )
        )

    def test_action_schedules_one_todo_for_its_owner(self):
        action = self._action()
        self.assertEqual(action.state, "open")
        self.assertEqual(action.action_type, "corrective")
        self.assertEqual(action.company_id, self.complaint.company_id)
        activity = action.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.todo)
        self.assertEqual(activity.user_id, self.engineer)
        self.assertEqual(activity.date_deadline, date(2099, 3, 31))
        self.assertEqual(activity.summary, action.name)
        # Editing the action does not add reminders; moving it moves the reminder.
        action.description = "Pressure test at 6 bar."
        action.write({"date_deadline": "2099-04-15", "user_id": self.agent.id})
        self.assertEqual(len(action.activity_ids), 1)
        self.assertEqual(action.activity_ids.date_deadline, date(2099, 4, 15))
        self.assertEqual(action.activity_ids.user_id, self.agent)
        self.assertEqual(self.complaint.complaint_action_ids, action)

    def test_done_closes_the_todo(self):
        action = self._action()
        with self._at("2026-05-04 09:00:00"):
            action.action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.done_date, date(2026, 5, 4))
        self.assertFalse(action.activity_ids)
        done = self.env["mail.message"].search(
            [
                ("model", "=", action._name),
                ("res_id", "=", action.id),
                ("mail_activity_type_id", "=", self.todo.id),
            ]
        )
        self.assertEqual(len(done), 1)
        # Reopened: reminded again, once.
        action.action_reopen()
        action.action_reopen()
        self.assertEqual(action.state, "open")
        self.assertFalse(action.done_date)
        self.assertEqual(len(action.activity_ids), 1)
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(action.activity_ids)

    def test_batch_of_actions(self):
        actions = self.env["helpdesk.complaint.action"].create(
            [
                {
                    "ticket_id": self.complaint.id,
                    "name": f"Action {n}",
                    "action_type": "preventive",
                    "user_id": self.engineer.id,
                    "date_deadline": f"2099-01-0{n}",
                }
                for n in range(1, 4)
            ]
        )
        self.assertEqual(len(actions.activity_ids), 3)
        self.assertEqual(
            sorted(actions.activity_ids.mapped("date_deadline")),
            [date(2099, 1, n) for n in range(1, 4)],
        )
        actions.action_done()
        self.assertFalse(actions.activity_ids)

    def test_bad_actions(self):
        with self.assertRaisesRegex(ValidationError, "owner and a due date.*Owner"):
            self._action(user_id=False)
        with self.assertRaisesRegex(ValidationError, "Due Date"):
            self._action(date_deadline=False)
        action = self._action()
        with self.assertRaisesRegex(ValidationError, "owner and a due date"):
            action.user_id = False
        with self.assertRaisesRegex(ValidationError, "complaint or to an investig"):
            self._action(ticket_id=False)
        investigation = self.env["helpdesk.complaint.investigation"].create(
            {"product_id": self.valve.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not part of the investig"):
            self._action(investigation_id=investigation.id)
        self.complaint.complaint_investigation_id = investigation
        self._action(investigation_id=investigation.id)
        with self._at("2026-03-02 08:00:00"):
            complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "before .* was registered"):
            self._action(ticket_id=complaint.id, date_deadline="2026-03-01")
        self._action(ticket_id=complaint.id, date_deadline="2026-03-02")

    def test_actions_in_the_root_cause_tab(self):
        with Form(self.complaint) as form:
            with form.complaint_action_ids.new() as line:
                line.name = "Retrain the fitters"
                line.action_type = "preventive"
                line.user_id = self.engineer
                line.date_deadline = date(2099, 6, 30)
        action = self.complaint.complaint_action_ids
        self.assertEqual(action.action_type, "preventive")
        self.assertEqual(action.activity_ids.user_id, self.engineer)

    def test_agent_acts_on_his_complaints_only(self):
        env = self.env(user=self.agent)
        action = self._action(env=env)
        self.assertEqual(action.activity_ids.user_id, self.engineer)
        with self.assertRaises(AccessError):
            self._action(env=env, ticket_id=self.other_complaint.id)
        foreign = self._action(ticket_id=self.other_complaint.id)
        Action = env["helpdesk.complaint.action"]
        self.assertEqual(Action.search([]), action)
        with self.assertRaises(AccessError):
            foreign.with_env(env).read(["name"])
        # Agent 2 neither owns nor sees the first complaint; the team agent does.
        self.assertEqual(
            Action.with_user(self.agent_2).search([]),
            foreign,
        )
        self.assertEqual(
            Action.with_user(self.team_agent).search([]),
            action | foreign,
        )

    def test_owner_without_helpdesk_rights(self):
        action = self._action()
        other = self._action(user_id=self.agent.id)
        env = self.env(user=self.engineer)
        Action = env["helpdesk.complaint.action"]
        self.assertEqual(Action.search([]), action)
        mine = action.with_env(env)
        self.assertEqual(mine.ticket_id, self.complaint)
        mine.action_done()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.activity_ids)
        with self.assertRaises(AccessError):
            other.with_env(env).action_done()
        # He cannot hand himself actions on complaints he cannot open.
        with self.assertRaises(AccessError):
            self._action(env=env)
        with self.assertRaises(AccessError):
            mine.unlink()

    def test_follower_reads_the_actions(self):
        action = self._action(user_id=self.agent.id)
        Action = self.env["helpdesk.complaint.action"].with_user(self.agent_2)
        self.assertFalse(Action.search([("id", "=", action.id)]))
        self.complaint.message_subscribe(partner_ids=self.agent_2.partner_id.ids)
        self.assertEqual(Action.search([("id", "=", action.id)]), action)
        with self.assertRaises(AccessError):
            action.with_user(self.agent_2).name = "Changed"

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "crm_360 Branch B"})
        self.helpdesk_manager.company_ids = [(4, company_b.id)]
        complaint_b = self._complaint(company_id=company_b.id)
        action_b = self._action(
            ticket_id=complaint_b.id, user_id=self.helpdesk_manager.id
        )
        self.assertEqual(action_b.company_id, company_b)
        Action = self.env["helpdesk.complaint.action"].with_user(self.helpdesk_manager)
        self.assertNotIn(
            action_b,
            Action.with_context(allowed_company_ids=self.company.ids).search([]),
        )
        self.assertIn(
            action_b,
            Action.with_context(
                allowed_company_ids=[self.company.id, company_b.id]
            ).search([]),
        )
        # The engineer, of the first company only, cannot own it.
        with self.assertRaises(UserError):
            action_b.user_id = self.engineer
