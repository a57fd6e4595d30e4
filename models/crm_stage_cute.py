# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

GATE_MODES = [
    ("block", "Block"),
    ("warn", "Warn"),
]


class CrmStage(models.Model):
    """Buying influencers (CUTE) on the stage: the gate an opportunity passes
    to enter it."""

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

    def _get_cute_gate_roles(self):
        """Role keys this stage requires, in CUTE order."""
        self.ensure_one()
        return [
            role
            for role in ("economic", "user", "technical", "coach")
            if self[f"cute_gate_{role}"]
        ]
