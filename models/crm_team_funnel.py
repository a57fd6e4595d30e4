# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sales funnel settings of a sales team: its mailed reports and its own stage
aging limits."""

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mail_report_ids = fields.One2many(
        "crm.team.mail.report",
        "team_id",
        string="Sales Reports",
        help="Reports mailed every day, week, month or quarter to the team leader "
        "and other recipients.",
    )
    stage_aging_limit_ids = fields.One2many(
        "crm.stage.aging.limit",
        "team_id",
        string="Stage Aging Limits",
        help="The team's own maximum days per stage, replacing the stages' limits "
        "for its deals.",
    )
