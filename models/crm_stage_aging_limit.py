# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmStageAgingLimit(models.Model):
    """A sales team's own stage aging limit, overriding the stage's.

    A team selling longer projects may allow more days in a stage than the
    company-wide limit set on the stage; the daily stage aging check uses the
    team's limit for the deals of that team.
    """

    _name = "crm.stage.aging.limit"
    _description = "Stage Aging Limit of a Sales Team"
    _order = "team_id, stage_sequence, stage_id"

    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True, ondelete="cascade", index=True
    )
    stage_id = fields.Many2one(
        "crm.stage",
        required=True,
        ondelete="cascade",
        domain="[('is_won', '=', False), '|', ('team_id', '=', False), "
        "('team_id', '=', team_id)]",
    )
    stage_sequence = fields.Integer(related="stage_id.sequence", store=True)
    aging_days = fields.Integer(
        bounds=(0, 3650),
        string="Maximum Days",
        required=True,
        help="Days a deal of this team may stay in the stage before it is flagged as "
        "stuck. Replaces the stage's own limit, fixed or learned.",
    )
    aging_escalation_days = fields.Integer(
        bounds=(0, 3650),
        string="Escalate After (Days)",
        help="Further days before the team leader gets an activity too. Empty: no "
        "escalation.",
    )
    company_id = fields.Many2one(related="team_id.company_id", store=True)

    _sql_constraints = [
        (
            "team_stage_uniq",
            "UNIQUE(team_id, stage_id)",
            "A sales team has one aging limit per stage.",
        ),
    ]

    @api.constrains("aging_days", "aging_escalation_days", "stage_id")
    def _check_aging(self):
        for limit in self:
            if limit.aging_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The maximum days of %(team)s in the stage %(stage)s must be "
                        "a positive number of days.",
                        team=limit.team_id.display_name,
                        stage=limit.stage_id.display_name,
                    )
                )
            if limit.aging_escalation_days < 0:
                raise ValidationError(
                    self.env._(
                        "The escalation days of %(team)s in the stage %(stage)s "
                        "cannot be negative.",
                        team=limit.team_id.display_name,
                        stage=limit.stage_id.display_name,
                    )
                )
            if limit.stage_id.is_won:
                raise ValidationError(
                    self.env._(
                        "The stage %(stage)s is a won stage: won deals are never "
                        "stuck.",
                        stage=limit.stage_id.display_name,
                    )
                )
