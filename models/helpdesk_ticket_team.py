# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# What helpdesk_mgmt's record rules read of a team: its members
# (user.helpdesk_team_ids), and whether it is active (archived teams drop out of
# that list).
TEAM_RULE_FIELDS = {"user_ids", "active"}


class HelpdeskTicketTeam(models.Model):
    """Team membership is read by the helpdesk record rules, which Odoo caches per
    user: a change of members clears that cache, so an agent added to a team sees
    its tickets at once, and one removed stops seeing them, without a restart."""

    _inherit = "helpdesk.ticket.team"

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        if teams.user_ids:
            self.env.registry.clear_cache()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if TEAM_RULE_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        had_members = bool(self.user_ids)
        result = super().unlink()
        if had_members:
            self.env.registry.clear_cache()
        return result


class ResUsers(models.Model):
    """The same membership, written from the user's side (kept beside the team,
    whose rules it serves)."""

    _inherit = "res.users"

    def write(self, vals):
        result = super().write(vals)
        if "helpdesk_team_ids" in vals:
            self.env.registry.clear_cache()
        return result
