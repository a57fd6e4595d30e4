# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintInvestigation(ComplaintCommon):
    """Recurring complaints about a product or a lot open an investigation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The quality engineer: an employee without any helpdesk right.
        cls.quality_user = cls._new_user(
            "c360_quality", "base.group_user", name="Quality"
        )
        cls.company.write(
            {
                "complaint_recurrence_threshold": 3,
                "complaint_recurrence_days": 30,
                "complaint_quality_user_id": cls.quality_user.id,
            }
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.manufacturing = cls.env.ref(
            "crm_360.complaint_root_cause_product_manufacturing"
        )
        cls.training = cls.env.ref("crm_360.complaint_root_cause_staff_training")
        cls.Investigation = cls.env["helpdesk.complaint.investigation"]

    @contextmanager
    def _at(self, when):
        moment = datetime.fromisoformat(when) if isinstance(when, str) else when
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _about(self, product=None, env=None, **vals):
        """A complaint about ``product`` (the pump by default), registered by the
        agent unless ``env`` says otherwise."""
        env = env or self.env(user=self.agent)
        product = self.pump if product is None else product
        ticket = env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Pump leaking",
                    "description": "<p>The pump leaks oil.</p>",
                    "partner_id": self.contact.id,
                    "is_complaint": True,
                    "team_id": self.team.id,
                    "product_id": product.id,
                },
                **vals,
            )
        )
        return ticket.with_env(self.env)

    def _investigations(self, **domain):
        return self.Investigation.search(
            [(fname, "=", value) for fname, value in domain.items()]
        )

    def _messages(self, investigation):
        """The notes posted on the investigation, newest first."""
        note = self.env.ref("mail.mt_note")
        return investigation.message_ids.filtered(
            lambda message: message.subtype_id == note
            and not message.mail_activity_type_id
            and message.body
        )

    def test_third_complaint_opens_one_investigation(self):
        first = self._about() | self._about()
        self.assertFalse(self._investigations(product_id=self.pump.id))
        self.assertFalse(first.complaint_investigation_id)
        third = self._about()
        investigation = self._investigations(product_id=self.pump.id)
        self.assertEqual(len(investigation), 1)
        self.assertEqual(investigation.ticket_ids, first | third)
        self.assertEqual(investigation.complaint_count, 3)
        self.assertEqual(investigation.origin, "recurrence")
        self.assertFalse(investigation.lot_id)
        self.assertEqual(investigation.state, "open")
        self.assertEqual(investigation.user_id, self.quality_user)
        self.assertTrue(investigation.name.startswith("RCA/"))
        today = fields.Date.context_today(investigation)
        self.assertEqual(investigation.date_to, today)
        self.assertEqual(investigation.date_from, today - timedelta(days=30))
        activity = investigation.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.todo)
        self.assertEqual(activity.user_id, self.quality_user)
        self.assertIn("Pump P-200", activity.summary)
        message = self._messages(investigation)
        self.assertEqual(len(message), 1)
        self.assertIn("Opened automatically: 3 complaints", message.body)
        # The agent who registered the third sees where it went.
        self.assertEqual(
            third.with_user(self.agent).complaint_investigation_id.name,
            investigation.name,
        )

    def test_more_complaints_join_the_open_investigation(self):
        complaints = self._about() | self._about() | self._about()
        investigation = complaints.complaint_investigation_id
        self.assertEqual(len(investigation), 1)
        fourth = self._about()
        self.assertEqual(fourth.complaint_investigation_id, investigation)
        self.assertEqual(investigation.complaint_count, 4)
        self.assertEqual(len(self._investigations(product_id=self.pump.id)), 1)
        self.assertEqual(len(investigation.activity_ids), 1)
        self.assertIn(
            "1 more complaint(s) attached", self._messages(investigation)[0].body
        )
        # Another product is another story.
        valve = self._about(product=self.valve)
        self.assertFalse(valve.complaint_investigation_id)

    def test_batch_of_complaints(self):
        Ticket = self.env(user=self.agent)["helpdesk.ticket"]
        complaints = Ticket.create(
            [
                {
                    "name": f"Pump leaking {n}",
                    "description": "<p>Leak.</p>",
                    "is_complaint": True,
                    "product_id": self.pump.id,
                }
                for n in range(5)
            ]
            + [{"name": "A question", "description": "<p>?</p>"}]
        )
        investigation = self._investigations(product_id=self.pump.id)
        self.assertEqual(len(investigation), 1)
        self.assertEqual(investigation.ticket_ids, complaints[:5])

    def test_check_is_set_based(self):
        """The check costs the same queries for 2 complaints as for 8."""
        self.company.complaint_recurrence_threshold = 100
        products = self.pump | self.valve
        products |= self.env["product.product"].create(
            [{"name": "Hose H-1"}, {"name": "Gasket G-7"}]
        )
        few = self._about() | self._about(product=self.valve)
        many = self.env["helpdesk.ticket"]
        for product in products:
            many |= self._about(product=product) | self._about(product=product)
        check = self.Investigation.sudo()._investigate_complaint_recurrence

        def queries(tickets):
            self.env.invalidate_all()
            check(tickets)  # warm the registry and the cache of the companies
            before = self.cr.sql_log_count
            check(tickets)
            return self.cr.sql_log_count - before

        self.assertEqual(queries(many), queries(few))
        self.assertFalse(self.Investigation.search([]))

    def test_complaint_classified_later_counts(self):
        self._about()
        self._about()
        question = self._about(is_complaint=False)
        self.assertFalse(self._investigations(product_id=self.pump.id))
        question.complaint_aspect_id = self.quality
        self.assertTrue(question.complaint_investigation_id)
        # So does a product named later.
        self._about(product=self.valve)
        self._about(product=self.valve)
        later = self._about(product=self.env["product.product"])
        later.product_id = self.valve
        self.assertTrue(later.complaint_investigation_id)
        self.assertEqual(later.complaint_investigation_id.complaint_count, 3)

    def test_lot_recurrence(self):
        # Registered by the stock-keeper: a lot needs inventory rights to be read.
        lot_complaints = self._about(env=self.env, lot_id=self.lot.id)
        lot_complaints |= self._about(env=self.env, lot_id=self.lot.id)
        lot_complaints |= self._about(env=self.env, lot_id=self.lot.id)
        investigation = lot_complaints.complaint_investigation_id
        self.assertEqual(len(investigation), 1)
        self.assertEqual(investigation.lot_id, self.lot)
        self.assertEqual(investigation.product_id, self.pump)
        self.assertIn("LOT-2026-07", self._messages(investigation).body)
        # The lot's complaints do not count again for the product.
        other_lot = self._about()
        self.assertFalse(other_lot.complaint_investigation_id)
        self.assertEqual(len(self.Investigation.search([])), 1)
        # A complaint naming only the lot joins the lot's investigation.
        lot_only = self._about(
            env=self.env, product=self.env["product.product"], lot_id=self.lot.id
        )
        self.assertEqual(lot_only.complaint_investigation_id, investigation)

    def test_old_complaints_do_not_count(self):
        now = datetime(2026, 6, 15, 9, 0)
        with self._at(now - timedelta(days=40)):
            old = self._about() | self._about()
        with self._at(now):
            recent = self._about()
            self.assertFalse(self._investigations(product_id=self.pump.id))
            recent |= self._about() | self._about()
            investigation = self._investigations(product_id=self.pump.id)
        self.assertEqual(investigation.ticket_ids, recent)
        self.assertFalse(old.complaint_investigation_id)

    def test_period_and_threshold_are_configurable(self):
        self.company.write(
            {"complaint_recurrence_threshold": 2, "complaint_recurrence_days": 10}
        )
        now = datetime(2026, 6, 15, 9, 0)
        with self._at(now - timedelta(days=12)):
            self._about()
        with self._at(now):
            first = self._about()
            self.assertFalse(first.complaint_investigation_id)
            second = self._about()
        self.assertEqual(first.complaint_investigation_id.ticket_ids, first | second)
        self.assertEqual(
            first.complaint_investigation_id.date_from,
            (now - timedelta(days=10)).date(),
        )

    def test_cron_is_idempotent(self):
        self.company.complaint_recurrence_threshold = 0
        complaints = self._about() | self._about() | self._about()
        self.assertFalse(complaints.complaint_investigation_id)
        self.company.complaint_recurrence_threshold = 3
        cron = self.env.ref("crm_360.ir_cron_helpdesk_complaint_recurrence")
        cron.method_direct_trigger()
        investigation = self._investigations(product_id=self.pump.id)
        self.assertEqual(investigation.ticket_ids, complaints)
        messages = investigation.message_ids
        cron.method_direct_trigger()
        self.assertEqual(self._investigations(product_id=self.pump.id), investigation)
        self.assertEqual(investigation.message_ids, messages)
        self.assertEqual(len(investigation.activity_ids), 1)

    def test_close_and_reopen(self):
        complaints = self._about() | self._about()
        complaints |= self._about(complaint_root_cause_id=self.training.id)
        investigation = complaints.complaint_investigation_id
        with self.assertRaisesRegex(UserError, "root cause found and the conclusion"):
            investigation.action_close()
        investigation.write(
            {
                "root_cause_id": self.manufacturing.id,
                "conclusion": "<p>Seals fitted upside down on line 2.</p>",
            }
        )
        investigation.action_close()
        self.assertEqual(investigation.state, "closed")
        self.assertTrue(investigation.date_closed)
        self.assertFalse(investigation.activity_ids)
        # The cause found is recorded on the complaints that had none.
        self.assertEqual(
            complaints.mapped("complaint_root_cause_id"),
            self.manufacturing | self.training,
        )
        self.assertEqual(complaints[2].complaint_root_cause_id, self.training)
        # Complaints after closing wait for a new recurrence.
        later = self._about() | self._about()
        self.assertFalse(later.complaint_investigation_id)
        later |= self._about()
        second = later.complaint_investigation_id
        self.assertEqual(len(second), 1)
        self.assertNotEqual(second, investigation)
        self.assertEqual(second.ticket_ids, later)
        with self.assertRaisesRegex(UserError, "cannot be reopened"):
            investigation.action_reopen()
        second.write(
            {"root_cause_id": self.manufacturing.id, "conclusion": "<p>Idem</p>"}
        )
        second.action_close()
        investigation.action_reopen()
        self.assertEqual(investigation.state, "open")

    def test_quality_owner_without_helpdesk_rights(self):
        complaints = self._about() | self._about() | self._about()
        investigation = complaints.complaint_investigation_id
        manual = self.Investigation.create(
            {"product_id": self.valve.id, "user_id": self.helpdesk_manager.id}
        )
        env = self.env(user=self.quality_user)
        Investigation = env["helpdesk.complaint.investigation"]
        self.assertEqual(Investigation.search([]), investigation)
        mine = investigation.with_env(env)
        # He reads the complaints investigated, and only those.
        self.assertEqual(mine.ticket_ids, complaints)
        self.assertEqual(
            env["helpdesk.ticket"].search([("is_complaint", "=", True)]), complaints
        )
        with Form(mine) as form:
            form.root_cause_id = self.manufacturing
            form.conclusion = "<p>Seals fitted upside down.</p>"
        env["helpdesk.complaint.action"].create(
            {
                "investigation_id": investigation.id,
                "name": "Poka-yoke on the seal press",
                "action_type": "preventive",
                "user_id": self.quality_user.id,
                "date_deadline": "2099-01-31",
            }
        )
        mine.action_close()
        self.assertEqual(complaints.complaint_root_cause_id, self.manufacturing)
        with self.assertRaises(AccessError):
            manual.with_env(env).read(["name"])
        with self.assertRaises(AccessError):
            Investigation.create({"product_id": self.valve.id})
        with self.assertRaises(AccessError):
            complaints[0].with_env(env).name = "Changed"

    def test_agents_read_and_managers_manage(self):
        investigation = (self._about() | self._about() | self._about())[
            0
        ].complaint_investigation_id
        agent_view = investigation.with_user(self.agent_2)
        self.assertEqual(agent_view.complaint_count, 3)
        # Readers follow the to-do of the quality owner and may comment.
        self.assertEqual(agent_view.activity_ids.user_id, self.quality_user)
        agent_view.message_post(body="Same leak seen at our site.")
        # Agent 2 reads the investigation, not the complaints of others.
        self.assertFalse(agent_view.ticket_ids)
        with self.assertRaises(AccessError):
            agent_view.conclusion = "<p>Mine now</p>"
        Investigation = self.Investigation.with_user(self.helpdesk_manager)
        manual = Investigation.create(
            {"lot_id": self.lot.id, "product_id": self.pump.id}
        )
        self.assertEqual(manual.origin, "manual")
        self.assertEqual(manual.user_id, self.quality_user)
        self.assertTrue(manual.name.startswith("RCA/"))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Investigation.create({"product_id": self.pump.id})
        with self.assertRaisesRegex(ValidationError, "not a lot of"):
            manual.product_id = self.valve

    def test_team_leader_without_quality_owner(self):
        self.company.complaint_quality_user_id = False
        investigation = (self._about() | self._about() | self._about())[
            0
        ].complaint_investigation_id
        self.assertEqual(investigation.user_id, self.helpdesk_manager)
        self.assertEqual(investigation.activity_ids.user_id, self.helpdesk_manager)

    def test_companies_count_apart(self):
        company_b = self.env["res.company"].create({"name": "crm_360 Branch B"})
        for _n in range(2):
            self._about(env=self.env, company_id=company_b.id, team_id=False)
        self._about()
        self._about()
        self.assertFalse(self.Investigation.search([]))
        complaints_b = self.env["helpdesk.ticket"].search(
            [("company_id", "=", company_b.id)]
        )
        self._about(env=self.env, company_id=company_b.id, team_id=False)
        investigation_b = self._investigations(company_id=company_b.id)
        self.assertEqual(len(investigation_b), 1)
        self.assertEqual(len(investigation_b.ticket_ids), 3)
        self.assertLessEqual(complaints_b, investigation_b.ticket_ids)
        # Company B has no quality owner and no team: no one to remind.
        self.assertFalse(investigation_b.user_id)
        self.assertFalse(investigation_b.activity_ids)
        self.assertFalse(self._investigations(company_id=self.company.id))
        self.assertNotIn(
            investigation_b,
            self.Investigation.with_user(self.helpdesk_manager).search([]),
        )

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {
                "complaint_recurrence_threshold": 5,
                "complaint_recurrence_days": 60,
                "complaint_quality_user_id": self.helpdesk_manager.id,
            }
        )
        settings.execute()
        self.assertEqual(self.company.complaint_recurrence_threshold, 5)
        self.assertEqual(self.company.complaint_recurrence_days, 60)
        self.assertEqual(self.company.complaint_quality_user_id, self.helpdesk_manager)
        with self.assertRaisesRegex(ValidationError, "between 0 and 1000"):
            self.company.write(
                {"complaint_recurrence_threshold": -1, "complaint_recurrence_days": 5}
            )
        with self.assertRaisesRegex(ValidationError, "between 1 and 3650"):
            self.company.write(
                {"complaint_recurrence_threshold": 3, "complaint_recurrence_days": 0}
            )
