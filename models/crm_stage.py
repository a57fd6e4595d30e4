# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

AGING_MODES = [
    ("fixed", "Fixed"),
    ("learned", "Learned"),
]
# Stays a stage needs in its history before a learned limit is trusted.
AGING_MIN_STAYS = 5

GATE_MODES = [
    ("block", "Block"),
    ("warn", "Warn"),
]


class CrmStage(models.Model):
    _inherit = "crm.stage"

    cute_gate_mode = fields.Selection(
        GATE_MODES,
        string="Buying Influence Gate",
        help="Block: an opportunity missing a required buying influence cannot "
        "enter this stage (drag and drop, edits, imports and code alike).\n"
        "Warn: it enters, a note is logged and the sales team leader gets an "
        "activity.\nEmpty: no gate. Won stages are never gated.",
    )
    cute_gate_economic = fields.Boolean(
        string="Requires Economic",
        help="An Economic influence must be identified before entering this stage.",
    )
    cute_gate_user = fields.Boolean(
        string="Requires User",
        help="A User influence must be identified before entering this stage.",
    )
    cute_gate_technical = fields.Boolean(
        string="Requires Technical",
        help="A Technical influence must be identified before entering this stage.",
    )
    cute_gate_coach = fields.Boolean(
        string="Requires Coach",
        help="A Coach must be identified before entering this stage.",
    )

    aging_mode = fields.Selection(
        AGING_MODES,
        string="Stage Aging Alarm",
        help="Fixed: a deal staying longer than the maximum days is stuck.\n"
        "Learned: the maximum is the 75th percentile of the finished stays in "
        "this stage (refreshed daily; needs at least five stays).\n"
        "Empty: no alarm. Won stages never raise one.",
    )
    aging_days = fields.Integer(
        bounds=(0, 3650),
        string="Maximum Days",
        help="Days a deal may stay in this stage before it is flagged as stuck and "
        "its salesperson gets an activity.",
    )
    aging_escalation_days = fields.Integer(
        bounds=(0, 3650),
        string="Escalate After (Days)",
        help="Further days a stuck deal may stay before its sales team leader gets "
        "an activity too. Empty: no escalation.",
    )
    aging_learned_days = fields.Float(
        string="Learned Maximum (Days)",
        readonly=True,
        digits=(16, 1),
        help="75th percentile of the finished stays in this stage, refreshed by "
        "the daily stage aging check.",
    )

    @api.constrains("aging_mode", "aging_days", "aging_escalation_days")
    def _check_aging(self):
        for stage in self:
            if stage.aging_mode == "fixed" and stage.aging_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The maximum days in the stage %(stage)s must be a positive "
                        "number of days.",
                        stage=stage.display_name,
                    )
                )
            if stage.aging_days < 0 or stage.aging_escalation_days < 0:
                raise ValidationError(
                    self.env._(
                        "The aging days of the stage %(stage)s cannot be negative.",
                        stage=stage.display_name,
                    )
                )

    @api.constrains(
        "cute_gate_mode",
        "cute_gate_economic",
        "cute_gate_user",
        "cute_gate_technical",
        "cute_gate_coach",
        "is_won",
    )
    def _check_cute_gate(self):
        for stage in self:
            roles = stage._get_cute_gate_roles()
            if stage.cute_gate_mode and not roles:
                raise ValidationError(
                    self.env._(
                        "The buying influence gate of the stage %(stage)s requires "
                        "no role: tick at least one required role or clear the gate.",
                        stage=stage.display_name,
                    )
                )
            if roles and not stage.cute_gate_mode:
                raise ValidationError(
                    self.env._(
                        "The stage %(stage)s requires buying roles but has no gate "
                        "mode: choose Block or Warn, or untick the roles.",
                        stage=stage.display_name,
                    )
                )
            if stage.cute_gate_mode and stage.is_won:
                raise ValidationError(
                    self.env._(
                        "The stage %(stage)s is a won stage: won opportunities are "
                        "never gated.",
                        stage=stage.display_name,
                    )
                )

    def _get_aging_limit(self):
        """Days a deal may stay in this stage, or 0 when there is no alarm."""
        self.ensure_one()
        if self.is_won:
            return 0
        if self.aging_mode == "fixed":
            return self.aging_days
        if self.aging_mode == "learned":
            return self.aging_learned_days
        return 0

    def _get_cute_gate_roles(self):
        """Role keys this stage requires, in CUTE order."""
        self.ensure_one()
        return [
            role
            for role in ("economic", "user", "technical", "coach")
            if self[f"cute_gate_{role}"]
        ]
