# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settings of the buying influencers (CUTE): coverage weights, penalties and
thresholds, stored as system parameters."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_lead_cute import CUTE_SETTINGS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cute_weight_economic = fields.Integer(
        bounds=(0, 100),
        string="Economic Identified",
        default=CUTE_SETTINGS["cute_weight_economic"],
    )
    cute_weight_user = fields.Integer(
        bounds=(0, 100),
        string="User Identified",
        default=CUTE_SETTINGS["cute_weight_user"],
    )
    cute_weight_technical = fields.Integer(
        bounds=(0, 100),
        string="Technical Identified",
        default=CUTE_SETTINGS["cute_weight_technical"],
    )
    cute_weight_coach = fields.Integer(
        bounds=(0, 100),
        string="Coach Identified",
        default=CUTE_SETTINGS["cute_weight_coach"],
    )
    cute_weight_economic_engaged = fields.Integer(
        bounds=(0, 100),
        string="Economic Met and Supporter",
        default=CUTE_SETTINGS["cute_weight_economic_engaged"],
    )
    cute_weight_multi_thread = fields.Integer(
        bounds=(0, 100),
        string="Two People or More",
        default=CUTE_SETTINGS["cute_weight_multi_thread"],
    )
    cute_penalty_opponent = fields.Integer(
        bounds=(0, 100),
        string="Penalty: High-Influence Opponent",
        default=CUTE_SETTINGS["cute_penalty_opponent"],
    )
    cute_penalty_stale = fields.Integer(
        bounds=(0, 100),
        string="Penalty: No Recent Contact",
        default=CUTE_SETTINGS["cute_penalty_stale"],
    )
    cute_stale_days = fields.Integer(
        bounds=(0, 3650),
        string="No Contact After (Days)",
        default=CUTE_SETTINGS["cute_stale_days"],
        help="Flag an opportunity when no influencer was contacted for this long.",
    )
    cute_at_risk_below = fields.Integer(
        bounds=(0, 100),
        string="At Risk Below",
        default=CUTE_SETTINGS["cute_at_risk_below"],
        help="Opportunities whose coverage score is below this are at risk.",
    )

    @api.constrains(*CUTE_SETTINGS)
    def _check_cute_settings(self):
        for settings in self:
            if any(settings[fname] < 0 for fname in CUTE_SETTINGS):
                raise ValidationError(
                    self.env._(
                        "Coverage weights, penalties and days cannot be negative."
                    )
                )
            if settings.cute_at_risk_below > 100:
                raise ValidationError(
                    self.env._("The at-risk threshold is a score between 0 and 100.")
                )
            weights = [f for f in CUTE_SETTINGS if f.startswith("cute_weight_")]
            if not any(settings[fname] for fname in weights):
                raise ValidationError(
                    self.env._("At least one coverage weight must be above zero.")
                )

    # Stored by hand, not with config_parameter=: Odoo deletes a parameter set to 0,
    # and a weight of 0 ("ignore this criterion") must stick.
    @api.model
    def get_values(self):
        res = super().get_values()
        res.update(self.env["crm.lead"]._get_cute_settings())
        return res

    def set_values(self):
        res = super().set_values()
        before = self.env["crm.lead"]._get_cute_settings()
        set_param = self.env["ir.config_parameter"].sudo().set_param
        for fname in CUTE_SETTINGS:
            if self[fname] != before[fname]:
                set_param(f"crm_360.{fname}", str(self[fname]))
        if self.env["crm.lead"]._get_cute_settings() != before:
            leads = (
                self.env["crm.lead"]
                .sudo()
                .with_context(active_test=False)
                .search([("type", "=", "opportunity")])
            )
            leads._recompute_cute_coverage()
        return res
