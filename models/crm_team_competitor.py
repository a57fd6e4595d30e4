# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Competitor settings of a sales team: what marking a deal lost asks."""

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    lost_competitor_required = fields.Boolean(
        string="Require Lost-to Competitor",
        help="Marking an opportunity of this team as lost asks who won it.",
    )
    lost_factor_required = fields.Boolean(
        string="Require Decisive Factor",
        help="Marking an opportunity of this team as lost asks what decided it.",
    )
