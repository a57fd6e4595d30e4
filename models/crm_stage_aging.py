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


class CrmStage(models.Model):
    """Stage aging on the stage: the alarm for deals staying in it too long.

    The limit in force for a deal (its team's, else the stage's fixed, else its
    learned one) is resolved in one place: ``crm.lead._stage_aging_limit_sql``.
    """

    _inherit = "crm.stage"

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
