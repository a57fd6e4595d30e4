# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import Crm360TourCase
from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintClassificationTour(Crm360TourCase, ComplaintCommon):
    """An agent accepts a suggested classification in the browser."""

    def test_accept_suggestion_tour(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "水泵漏油，质量太差",
                "description": "<p>水泵漏油，质量太差，请马上处理。</p>",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
                "user_id": self.agent.id,
            }
        )
        self.assertEqual(ticket.complaint_classification_state, "suggested")
        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{ticket.id}",
            "crm_360_complaint_classification_tour",
            login="c360_agent",
        )
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.complaint_aspect_id, self.quality)
        self.assertEqual(ticket.complaint_urgency, "high")
        self.assertEqual(ticket.complaint_classification_state, "accepted")

    def test_pareto_chart_tour(self):
        """The complaint analysis opens on a Pareto chart: bars largest first
        and the cumulative share as a line on a 0-100 % axis."""
        ref = self.env.ref
        causes = [
            ref("crm_360.complaint_root_cause_product_design"),
            ref("crm_360.complaint_root_cause_product_design"),
            ref("crm_360.complaint_root_cause_product_design"),
            ref("crm_360.complaint_root_cause_staff_training"),
        ]
        self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Complaint {index}",
                    "description": "<p>Not happy.</p>",
                    "partner_id": self.contact.id,
                    "is_complaint": True,
                    "team_id": self.team.id,
                    "complaint_aspect_id": self.quality.id,
                    "complaint_root_cause_id": cause.id,
                }
                for index, cause in enumerate(causes)
            ]
        )
        self.start_tour(
            "/odoo/action-crm_360.helpdesk_complaint_report_action",
            "crm_360_complaint_pareto_tour",
            login="c360_helpdesk_manager",
        )
