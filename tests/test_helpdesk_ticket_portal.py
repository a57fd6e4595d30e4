# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import Crm360UserFactory


@tagged("post_install", "-at_install")
class TestHelpdeskTicketPortalClose(Crm360UserFactory, HttpCase):
    """helpdesk_mgmt's "close" link closes, with superuser rights, whatever ticket
    id it is given: crm_360 lets a user close only a ticket he may open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._new_user("c360_close_portal", "base.group_portal")
        cls.intruder = cls._new_user("c360_close_intruder", "base.group_portal")
        cls.stage_done = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Closed by customer", "close_from_portal": True, "closed": True}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Pump leaks",
                "description": "Since Monday.",
                "partner_id": cls.portal.partner_id.id,
            }
        )
        cls.stage_before = cls.ticket.stage_id

    def _close(self, ticket_id):
        return self.url_open(
            f"/ticket/close?ticket_id={ticket_id}&stage_id={self.stage_done.id}",
            allow_redirects=False,
        )

    def test_someone_elses_ticket_is_not_closed(self):
        self.authenticate(self.intruder.login, self.intruder.login)
        self.assertEqual(self._close(self.ticket.id).status_code, 404)
        self.assertEqual(self.ticket.stage_id, self.stage_before)
        self.assertEqual(self._close("x").status_code, 400)
        self.assertEqual(self._close(10**9).status_code, 404)

    def test_own_ticket_is_closed(self):
        self.authenticate(self.portal.login, self.portal.login)
        response = self._close(self.ticket.id)
        self.assertIn(response.status_code, (302, 303))
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.stage_id, self.stage_done)
