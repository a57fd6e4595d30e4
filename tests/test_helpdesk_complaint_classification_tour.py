# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ComplaintCase, Crm360TourCase


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintClassificationTour(Crm360TourCase, ComplaintCase):
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
