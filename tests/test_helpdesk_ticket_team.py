# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskTicketTeamMembership(ComplaintCommon):
    """The record rules read team membership and are cached per user: changing
    the members clears that cache, no restart needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.newcomer = cls._new_user(
            "c360_newcomer",
            "helpdesk_mgmt.group_helpdesk_user_team",
            name="Agent Newcomer",
        )
        cls.other_team = cls.env["helpdesk.ticket.team"].create({"name": "Second Line"})
        cls.ticket = cls._complaint(cls, team_id=cls.other_team.id, user_id=False)

    def _visible(self):
        return self.ticket in self.env["helpdesk.ticket"].with_user(
            self.newcomer
        ).search([("id", "=", self.ticket.id)])

    def test_member_added_and_removed_from_the_team(self):
        # Reading first puts the newcomer's rule domain in the cache.
        self.assertFalse(self._visible())
        self.other_team.user_ids = [Command.link(self.newcomer.id)]
        self.assertTrue(self._visible())
        self.other_team.user_ids = [Command.unlink(self.newcomer.id)]
        self.assertFalse(self._visible())

    def test_member_added_from_the_user(self):
        self.assertFalse(self._visible())
        self.newcomer.helpdesk_team_ids = [Command.link(self.other_team.id)]
        self.assertTrue(self._visible())

    def test_new_team_with_the_member(self):
        self.assertFalse(self._visible())
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Third Line", "user_ids": [Command.link(self.newcomer.id)]}
        )
        self.ticket.team_id = team
        self.assertTrue(self._visible())

    def test_archived_team_hides_its_tickets(self):
        self.other_team.user_ids = [Command.link(self.newcomer.id)]
        self.assertTrue(self._visible())
        self.other_team.active = False
        self.assertFalse(self._visible())
