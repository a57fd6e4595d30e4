# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintIntake(ComplaintCommon):
    """Complaint intake: complainant, urgency × importance, deadlines and the ERP
    documents concerned."""

    @contextmanager
    def _at(self, when):
        """Freeze Python's clock and the transaction's (create_date) together."""
        moment = datetime.fromisoformat(when)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def test_complainant_defaults_to_the_contact(self):
        ticket = self._complaint()
        self.assertEqual(ticket.complainant_id, self.contact)
        self.assertEqual(ticket.complainant_phone, "+86 512 6688 1234")
        self.assertEqual(ticket.commercial_partner_id, self.customer)

    def test_channels_of_the_documents(self):
        Channel = self.env["helpdesk.ticket.channel"]
        names = set(Channel.search([]).mapped("name"))
        for name in ("Web", "Phone", "Email", "Fax", "Letter", "Walk-in"):
            self.assertIn(name, names)
        self.assertIn("Self-Service", names)

    def test_urgency_and_importance_set_priority_and_deadlines(self):
        with self._at("2026-03-02 08:00:00"):
            ticket = self._complaint(
                complaint_urgency="high", complaint_importance="high"
            )
            ticket.flush_recordset()
        cell = self.env.ref("crm_360.complaint_priority_high_high")
        self.assertEqual(ticket.complaint_priority_id, cell)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(
            ticket.complaint_response_deadline, datetime(2026, 3, 2, 10, 0)
        )
        self.assertEqual(
            ticket.complaint_resolution_deadline, datetime(2026, 3, 3, 8, 0)
        )
        # Lowering the urgency relaxes both, from the same registration time.
        ticket.complaint_urgency = "low"
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(
            ticket.complaint_resolution_deadline, datetime(2026, 3, 7, 8, 0)
        )

    def test_priority_without_axes_stays_manual(self):
        ticket = self._complaint(priority="2")
        self.assertEqual(ticket.priority, "2")
        self.assertFalse(ticket.complaint_resolution_deadline)
        question = self.env["helpdesk.ticket"].create(
            {"name": "How to reset?", "description": "<p>?</p>", "priority": "0"}
        )
        self.assertEqual(question.priority, "0")

    def test_company_matrix_wins_over_the_shared_one(self):
        self.env["helpdesk.complaint.priority"].create(
            {
                "urgency": "medium",
                "importance": "medium",
                "priority": "3",
                "response_hours": 1,
                "resolution_hours": 4,
                "company_id": self.company.id,
            }
        )
        ticket = self._complaint(
            complaint_urgency="medium", complaint_importance="medium"
        )
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.complaint_priority_id.company_id, self.company)

    def test_bad_matrix_cells(self):
        Priority = self.env["helpdesk.complaint.priority"]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Priority.create(
                    {
                        "urgency": "high",
                        "importance": "high",
                        "response_hours": 1,
                        "resolution_hours": 2,
                    }
                )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Priority.create(
                    {
                        "urgency": "high",
                        "importance": "high",
                        "response_hours": 5,
                        "resolution_hours": 2,
                        "company_id": self.company.id,
                    }
                )

    def test_deadline_state_and_search(self):
        with self._at("2026-03-02 08:00:00"):
            ticket = self._complaint(
                complaint_urgency="high", complaint_importance="high"
            )
            ticket.flush_recordset()
        Ticket = self.env["helpdesk.ticket"]
        cases = [
            ("2026-03-02 09:00:00", "on_time"),
            # Not responded within the 2 hours: overdue already.
            ("2026-03-02 11:00:00", "overdue"),
        ]
        for now, state in cases:
            with self._at(now):
                ticket.invalidate_recordset(["complaint_deadline_state"])
                self.assertEqual(ticket.complaint_deadline_state, state)
                found = Ticket.search([("complaint_deadline_state", "=", state)])
                self.assertIn(ticket, found)
        ticket.complaint_responded_date = datetime(2026, 3, 2, 9, 30)
        with self._at("2026-03-03 03:00:00"):
            ticket.invalidate_recordset(["complaint_deadline_state"])
            self.assertEqual(ticket.complaint_deadline_state, "approaching")
            self.assertIn(
                ticket,
                Ticket.search([("complaint_deadline_state", "in", ["approaching"])]),
            )
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with self._at("2026-03-03 05:00:00"):
            ticket.stage_id = done
            ticket.flush_recordset()
        ticket.invalidate_recordset(["complaint_deadline_state"])
        self.assertEqual(ticket.complaint_deadline_state, "met")
        self.assertIn(ticket, Ticket.search([("complaint_deadline_state", "=", "met")]))
        with self.assertRaises(ValidationError):
            Ticket.search([("complaint_deadline_state", "!=", "met")])

    def test_deadline_met_label_is_not_a_meeting(self):
        # "Met" alone shares its translation with an influencer met in person.
        for model, fname in (
            ("helpdesk.ticket", "complaint_deadline_state"),
            ("helpdesk.complaint.report", "deadline_state"),
        ):
            with self.subTest(model=model):
                labels = dict(
                    self.env[model]._fields[fname]._description_selection(self.env)
                )
                self.assertEqual(labels["met"], "Deadline Met")

    def test_sale_order_narrows_documents(self):
        # Lots are shown to users of "Lots & Serial Numbers" (demo data turns it
        # on; this test does not rely on it).
        self.env.user.groups_id |= self.env.ref("stock.group_production_lot")
        with Form(self.env["helpdesk.ticket"]) as form:
            form.name = "Wrong valves"
            form.description = "<p>Valves leak.</p>"
            form.is_complaint = True
            form.sale_order_id = self.order
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.picking_id, self.order.picking_ids)
            self.assertEqual(form.invoice_id, self.invoice)
            # Two products on the order: the agent chooses.
            self.assertFalse(form.product_id)
            self.assertEqual(
                set(form.complaint_order_product_ids.ids),
                {self.pump.id, self.valve.id},
            )
            form.product_id = self.pump
            form.lot_id = self.lot
            form.product_id = self.valve
            self.assertFalse(form.lot_id)
        ticket = form.record
        self.assertEqual(ticket.sale_order_id, self.order)

    def test_documents_of_another_order_or_customer_refused(self):
        ticket = self._complaint(sale_order_id=self.order.id)
        cases = [
            {"picking_id": self.other_order.picking_ids.id},
            {"product_id": self.env["product.product"].create({"name": "X"}).id},
            {"sale_order_id": self.other_order.id},
        ]
        for vals in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    ticket.write(vals)
        other_lot = self.env["stock.lot"].create(
            {"name": "LOT-V", "product_id": self.valve.id}
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            ticket.write({"product_id": self.pump.id, "lot_id": other_lot.id})
        ticket.write({"product_id": self.pump.id, "lot_id": self.lot.id})
        self.assertEqual(ticket.lot_id, self.lot)

    def test_staff_complaint_names_the_user(self):
        employee = self.env["hr.employee"].create(
            {"name": "李强 Li Qiang", "user_id": self.agent_2.id}
        )
        ticket = self._complaint(
            complaint_aspect_id=self.attitude.id, complaint_employee_id=employee.id
        )
        self.assertEqual(ticket.complaint_object, "staff")
        self.assertEqual(ticket.complaint_staff_user_id, self.agent_2)

    def test_dates_roundtrip(self):
        when = datetime.now().replace(microsecond=0) - timedelta(days=2)
        ticket = self._complaint(complaint_date=when, complaint_location="Line 3")
        self.assertEqual(ticket.complaint_date, when)

    def test_agent_without_sales_rights_opens_the_complaint(self):
        ticket = self._complaint(
            sale_order_id=self.order.id,
            product_id=self.pump.id,
            picking_id=self.order.picking_ids.id,
            invoice_id=self.invoice.id,
            team_id=self.team.id,
            user_id=self.agent.id,
        )
        as_agent = ticket.with_user(self.agent)
        named = {"fields": {"display_name": {}}}
        values = as_agent.web_read(
            {
                "sale_order_id": named,
                "picking_id": named,
                "invoice_id": named,
                "product_id": named,
                "complaint_order_product_ids": {},
                "complaint_order_invoice_ids": {},
            }
        )[0]
        self.assertEqual(values["sale_order_id"]["id"], self.order.id)
        self.assertIn(self.pump.id, values["complaint_order_product_ids"])
        # The agent may change the order's documents consistently.
        as_agent.write({"product_id": self.valve.id})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            as_agent.write({"picking_id": self.other_order.picking_ids.id})

    def test_gift_orders_are_not_offered_as_the_order_complained_about(self):
        """A care gift (mooncakes) is no sale a customer complains about: the
        order picker of the intake offers the confirmed sales only."""
        arch = self.env["helpdesk.ticket"].get_view(
            self.env.ref("helpdesk_mgmt.ticket_view_form").id, "form"
        )["arch"]
        self.assertIn("('care_campaign_id', '=', False)", arch)
