# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import Crm360UserFactory
from .fake_model_loader import Crm360FakeModelLoader


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintActivityMixin(Crm360UserFactory, TransactionCase):
    """The owner's to-do shared by the actions and the investigations, on a
    throwaway model: scheduled once per open record with an owner, moved, marked
    done, dropped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = Crm360FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import HelpdeskComplaintActivityFake

        cls.loader.update_registry((HelpdeskComplaintActivityFake,))
        cls.Task = cls.env[HelpdeskComplaintActivityFake._name]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.owner = cls._new_user("c360_todo_owner")
        cls.owner_2 = cls._new_user("c360_todo_owner_2")

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _tasks(self, *vals_list):
        return self.Task.create(
            [dict({"name": "Check", "user_id": self.owner.id}, **v) for v in vals_list]
        )

    def test_one_todo_per_open_record_with_an_owner(self):
        open_task, ownerless, done = self._tasks(
            {"name": "Check the seals"}, {"user_id": False}, {"state": "done"}
        )
        tasks = open_task | ownerless | done
        activities = tasks._schedule_owner_activity()
        self.assertEqual(activities, open_task.activity_ids)
        self.assertEqual(activities.activity_type_id, self.todo)
        self.assertEqual(activities.user_id, self.owner)
        self.assertEqual(activities.summary, "Check the seals")
        self.assertEqual(activities.date_deadline, fields.Date.context_today(open_task))
        self.assertTrue(activities.automated)
        # Scheduling again adds nothing.
        self.assertFalse(tasks._schedule_owner_activity())
        self.assertEqual(len(open_task.activity_ids), 1)
        self.assertFalse((ownerless | done).activity_ids)

    def test_batch_and_skip(self):
        tasks = self._tasks({}, {}, {"user_id": self.owner_2.id})
        tasks._schedule_owner_activity()
        self.assertEqual(len(tasks.activity_ids), 3)
        self.assertEqual(tasks.activity_ids.user_id, self.owner | self.owner_2)
        skipped = self._tasks({}).with_context(mail_activity_automation_skip=True)
        self.assertFalse(skipped._schedule_owner_activity())
        self.assertFalse(skipped.activity_ids)

    def test_move_close_and_cancel(self):
        first, second, done = self._tasks({}, {}, {})
        (first | second | done)._schedule_owner_activity()
        done.state = "done"
        # Only the to-dos of open records move, and only for an owner or deadline.
        (first | done)._reschedule_owner_activity({"name": "Check again"})
        (first | done)._reschedule_owner_activity(
            {"user_id": self.owner_2.id, "date_deadline": "2099-05-01"}
        )
        self.assertEqual(first.activity_ids.user_id, self.owner_2)
        self.assertEqual(str(first.activity_ids.date_deadline), "2099-05-01")
        self.assertEqual(done.activity_ids.user_id, self.owner)
        first._close_owner_activity("Seals replaced.")
        self.assertFalse(first.activity_ids)
        feedback = first.message_ids.filtered("mail_activity_type_id")
        self.assertEqual(feedback.mail_activity_type_id, self.todo)
        self.assertIn("Seals replaced.", feedback.body)
        second._cancel_owner_activity()
        self.assertFalse(second.activity_ids)
        self.assertFalse(second.message_ids.filtered("mail_activity_type_id"))
