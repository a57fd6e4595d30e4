# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintHandling(ComplaintCommon):
    """Dispatch by category, escalation, the handling log, deadline alerts,
    solution articles and the open-complaint counters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Customer Relations",
                "user_id": cls.helpdesk_manager.id,
                "user_ids": [(6, 0, (cls.agent_2 | cls.helpdesk_manager).ids)],
            }
        )
        cls.quality_director = cls._new_user(
            "c360_quality_director",
            "helpdesk_mgmt.group_helpdesk_user_own",
            name="Quality Director",
        )
        cls.no_helpdesk = cls._new_user("c360_no_helpdesk", "base.group_user")
        cls.department = cls.env["hr.department"].create(
            {
                "name": "Quality Assurance",
                "manager_id": cls.env["hr.employee"]
                .create({"name": "QA Head", "user_id": cls.quality_director.id})
                .id,
            }
        )
        cls.salesman = cls._new_user(
            "c360_complaint_salesman", "sales_team.group_sale_salesman"
        )

    def _at(self, when):
        moment = datetime.fromisoformat(when)
        return freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment)

    # --- dispatch -----------------------------------------------------------------

    def test_dispatch_by_category(self):
        self.env.ref("crm_360.complaint_category_staff").write(
            {"team_id": self.staff_team.id, "user_id": self.agent_2.id}
        )
        ticket = self._complaint(complaint_aspect_id=self.attitude.id)
        # The aspect inherits the dispatch of its top category.
        self.assertEqual(ticket.team_id, self.staff_team)
        self.assertEqual(ticket.user_id, self.agent_2)
        self.assertTrue(ticket.assigned_date)
        # The handler sees it, another personal agent does not.
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(ticket, Ticket.with_user(self.agent_2).search([]))
        self.assertNotIn(ticket, Ticket.with_user(self.agent).search([]))
        # An explicit choice wins over the dispatch.
        chosen = self._complaint(
            complaint_aspect_id=self.attitude.id,
            team_id=self.team.id,
            user_id=self.agent.id,
        )
        self.assertEqual(chosen.user_id, self.agent)
        # Reclassifying re-dispatches.
        self.quality.write({"team_id": self.team.id, "user_id": self.agent.id})
        ticket.complaint_aspect_id = self.quality
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.user_id, self.agent)

    def test_dispatch_handler_outside_team_refused(self):
        with self.assertRaisesRegex(ValidationError, "does not belong to team"):
            self.quality.write(
                {"team_id": self.staff_team.id, "user_id": self.agent.id}
            )
        # Also when the team comes from a parent category.
        self.product_category.team_id = self.staff_team
        with self.assertRaisesRegex(ValidationError, "does not belong to team"):
            self.price.user_id = self.agent

    # --- escalation ---------------------------------------------------------------

    def test_escalate_to_department(self):
        ticket = self._complaint(
            team_id=self.team.id,
            user_id=self.agent.id,
            complaint_aspect_id=self.quality.id,
        )
        ticket = ticket.with_user(self.agent)
        action = ticket.action_complaint_escalate()
        form = Form.from_action(self.env(user=self.agent), action)
        form.department_id = self.department
        self.assertEqual(form.user_id, self.quality_director)
        form.reason = "Third leak on this pump model"
        form.save().action_escalate()
        ticket = ticket.with_user(self.env.user)
        self.assertTrue(ticket.complaint_escalated)
        self.assertEqual(ticket.complaint_escalation_department_id, self.department)
        self.assertEqual(ticket.user_id, self.quality_director)
        self.assertEqual(ticket.complaint_step_ids.step_type, "escalation")
        self.assertIn("Third leak", ticket.complaint_step_ids.description)
        self.assertEqual(ticket.complaint_step_ids.user_id, self.agent)
        self.assertTrue(ticket.complaint_responded_date)
        self.assertEqual(
            ticket.activity_ids.filtered(
                lambda act: act.user_id == self.quality_director
            ).summary,
            "Escalated complaint",
        )
        # The person it was escalated to sees it; the personal agent no longer.
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(ticket, Ticket.with_user(self.quality_director).search([]))
        self.assertNotIn(ticket, Ticket.with_user(self.agent).search([]))

    def test_escalate_creates_no_department_or_user(self):
        arch = etree.fromstring(
            self.env["helpdesk.complaint.escalate"].get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
        )
        for fname in ("department_id", "user_id"):
            with self.subTest(field=fname):
                (node,) = arch.xpath(f"//field[@name='{fname}']")
                self.assertTrue(safe_eval(node.get("options"))["no_create"])

    def test_escalate_bad_input(self):
        ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        Escalate = self.env["helpdesk.complaint.escalate"]
        empty_department = self.env["hr.department"].create({"name": "Logistics"})
        cases = [
            ({"department_id": empty_department.id}, "has no manager"),
            ({}, "department or a person"),
            ({"user_id": self.no_helpdesk.id}, "no access to the helpdesk"),
            ({"user_id": self.agent_2.id, "reason": "   "}, "reason"),
        ]
        for vals, message in cases:
            with self.subTest(message=message):
                wizard = Escalate.create(
                    dict({"ticket_id": ticket.id, "reason": "Angry customer"}, **vals)
                )
                with self.assertRaisesRegex(UserError, message):
                    wizard.action_escalate()
        self.assertFalse(ticket.complaint_escalated)
        self.assertFalse(ticket.complaint_step_ids)
        # An agent cannot even open the wizard on a complaint he cannot edit.
        other = self._complaint(team_id=self.staff_team.id, user_id=self.agent_2.id)
        with self.assertRaises(AccessError):
            Escalate.with_user(self.agent).create(
                {"ticket_id": other.id, "user_id": self.agent.id, "reason": "Mine"}
            )

    # --- handling log -------------------------------------------------------------

    def test_handling_log(self):
        clock, cr_now = self._at("2026-03-02 08:00:00")
        with clock, cr_now:
            ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
            ticket.flush_recordset()
        Step = self.env["helpdesk.complaint.step"].with_user(self.agent)
        step = Step.create(
            {
                "ticket_id": ticket.id,
                "step_type": "on_site",
                "description": "Replaced the seal on site",
                "date": datetime(2026, 3, 2, 9, 0),
            }
        )
        self.assertEqual(step.user_id, self.agent)
        self.assertEqual(ticket.complaint_responded_date, datetime(2026, 3, 2, 9, 0))
        Step.create(
            {
                "ticket_id": ticket.id,
                "step_type": "follow_up",
                "description": "Sent a spare seal kit",
            }
        )
        self.assertEqual(ticket.complaint_responded_date, datetime(2026, 3, 2, 9, 0))
        with self.assertRaisesRegex(ValidationError, "effect evaluation"):
            Step.create(
                {
                    "ticket_id": ticket.id,
                    "step_type": "evaluation",
                    "description": "Called back",
                }
            )
        # The log is a record: agents add steps, they do not rewrite them.
        with self.assertRaises(AccessError):
            step.with_user(self.agent).description = "Nothing happened"
        with self.assertRaises(AccessError):
            step.with_user(self.agent).unlink()
        # Someone who cannot open the complaint cannot read its log.
        with self.assertRaises(AccessError):
            step.with_user(self.agent_2).read(["description"])
        with self.assertRaises(AccessError):
            Step.with_user(self.agent_2).create(
                {"ticket_id": ticket.id, "description": "Not my complaint"}
            )

    # --- deadline alerts ----------------------------------------------------------

    def test_deadline_alerts_once_each(self):
        clock, cr_now = self._at("2026-03-02 08:00:00")
        with clock, cr_now:
            ticket = self._complaint(
                team_id=self.team.id,
                user_id=self.agent.id,
                complaint_urgency="high",
                complaint_importance="high",
            )
            ticket.flush_recordset()
        ticket.complaint_responded_date = datetime(2026, 3, 2, 9, 0)
        Ticket = self.env["helpdesk.ticket"]

        def alerts():
            return ticket.activity_ids.filtered(
                lambda act: "Complaint" in (act.summary or "")
            )

        with freeze_time("2026-03-02 12:00:00"):
            Ticket._cron_complaint_deadline_alerts()
        self.assertFalse(alerts())
        with freeze_time("2026-03-03 03:00:00"):
            Ticket._cron_complaint_deadline_alerts()
            Ticket._cron_complaint_deadline_alerts()
        self.assertEqual(alerts().user_id, self.agent)
        self.assertEqual(ticket.complaint_alert_level, "approaching")
        with freeze_time("2026-03-03 09:00:00"):
            Ticket._cron_complaint_deadline_alerts()
            Ticket._cron_complaint_deadline_alerts()
        overdue = alerts().filtered(lambda act: act.summary == "Complaint overdue")
        self.assertEqual(overdue.user_id, self.agent | self.helpdesk_manager)
        self.assertEqual(len(alerts()), 3)
        # New deadlines, new alerts.
        ticket.complaint_urgency = "low"
        self.assertFalse(ticket.complaint_alert_level)
        # Closed complaints are never alerted.
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with freeze_time("2026-04-30 09:00:00"):
            self.assertFalse(Ticket._cron_complaint_deadline_alerts())

    def test_deadline_alerts_in_batches(self):
        clock, cr_now = self._at("2026-03-02 08:00:00")
        with clock, cr_now:
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Leak {index}",
                        "description": "<p>Leak</p>",
                        "is_complaint": True,
                        "team_id": self.team.id,
                        "user_id": self.agent.id,
                        "complaint_urgency": "high",
                        "complaint_importance": "high",
                    }
                    for index in range(5)
                ]
            )
            tickets.flush_recordset()
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-03-05 08:00:00"):
            first = Ticket._cron_complaint_deadline_alerts(batch_size=3)
            second = Ticket._cron_complaint_deadline_alerts(batch_size=3)
            third = Ticket._cron_complaint_deadline_alerts(batch_size=3)
        self.assertEqual(len(first), 3)
        self.assertEqual(len(second), 2)
        self.assertFalse(third)
        self.assertEqual(first | second, tickets)

    # --- solutions ----------------------------------------------------------------

    def test_save_and_reuse_a_solution(self):
        ticket = self._complaint(
            team_id=self.team.id,
            user_id=self.agent.id,
            complaint_aspect_id=self.quality.id,
            product_id=self.pump.id,
        )
        self.env["helpdesk.complaint.step"].create(
            {
                "ticket_id": ticket.id,
                "step_type": "on_site",
                "description": "Replaced the shaft seal & tested",
            }
        )
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        agent_env = self.env(user=self.agent)
        action = ticket.with_user(self.agent).action_complaint_save_solution()
        form = Form.from_action(agent_env, action)
        self.assertEqual(form.complaint_aspect_id, self.quality)
        self.assertEqual(form.product_id, self.pump)
        self.assertIn("Replaced the shaft seal &amp; tested", str(form.solution))
        solution = form.save()
        self.assertEqual(solution.ticket_id, ticket)
        self.assertEqual(solution.user_id, self.agent)
        # A new complaint of the same class and product gets it suggested.
        new = self._complaint(
            complaint_aspect_id=self.quality.id,
            product_id=self.pump.id,
            team_id=self.team.id,
            user_id=self.agent.id,
        )
        other_product = self._complaint(
            complaint_aspect_id=self.quality.id, product_id=self.valve.id
        )
        other_class = self._complaint(
            complaint_aspect_id=self.price.id, product_id=self.pump.id
        )
        self.assertEqual(new.complaint_solution_suggestion_ids, solution)
        self.assertFalse(other_product.complaint_solution_suggestion_ids)
        self.assertFalse(other_class.complaint_solution_suggestion_ids)
        solution.with_context(complaint_ticket_id=new.id).action_apply()
        self.assertEqual(new.complaint_solution_id, solution)
        self.assertEqual(solution.applied_count, 1)
        with self.assertRaisesRegex(UserError, "Open a complaint"):
            solution.action_apply()
        # Authors edit theirs; another agent reads but does not edit; sales read.
        solution.with_user(self.agent).name = "Pump leaks at the shaft seal"
        with self.assertRaises(AccessError):
            solution.with_user(self.agent_2).name = "Mine"
        self.assertEqual(
            solution.with_user(self.salesman).name, "Pump leaks at the shaft seal"
        )
        with self.assertRaises(AccessError):
            solution.with_user(self.salesman).name = "FAQ"

    # --- counters on the customer and the opportunity -------------------------------

    def test_open_complaint_counters(self):
        mine = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        self._complaint(team_id=self.staff_team.id, user_id=self.agent_2.id)
        self._complaint(
            stage_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
        )
        self.env["helpdesk.ticket"].create(
            {
                "name": "How do I order spare parts?",
                "description": "<p>?</p>",
                "partner_id": self.contact.id,
            }
        )
        lead = self.env["crm.lead"].create(
            {"name": "Pumps for line 4", "partner_id": self.contact.id}
        )
        self.assertEqual(self.customer.complaint_open_count, 2)
        self.assertEqual(self.contact.complaint_open_count, 2)
        self.assertEqual(lead.complaint_open_count, 2)
        # Each user counts what he may open.
        self.assertEqual(self.customer.with_user(self.agent).complaint_open_count, 1)
        action = self.customer.with_user(self.agent).action_view_complaints()
        self.assertEqual(
            self.env["helpdesk.ticket"].with_user(self.agent).search(action["domain"]),
            mine,
        )
        self.assertEqual(lead.with_user(self.salesman).complaint_open_count, 0)
        self.assertEqual(
            lead.action_view_complaints()["context"]["default_partner_id"],
            self.customer.id,
        )
