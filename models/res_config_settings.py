# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    complaint_coupon_program_id = fields.Many2one(
        related="company_id.complaint_coupon_program_id",
        readonly=False,
        domain="[('program_type', '=', 'coupons'), "
        "('company_id', 'in', (False, company_id))]",
    )

    # --- complaint recurrence -------------------------------------------------------
    complaint_recurrence_threshold = fields.Integer(
        related="company_id.complaint_recurrence_threshold", readonly=False
    )
    complaint_recurrence_days = fields.Integer(
        related="company_id.complaint_recurrence_days", readonly=False
    )
    complaint_quality_user_id = fields.Many2one(
        related="company_id.complaint_quality_user_id", readonly=False
    )

    # --- customer value -------------------------------------------------------------
    customer_rfm_window_days = fields.Integer(
        related="company_id.customer_rfm_window_days", readonly=False
    )
    customer_lifecycle_window_days = fields.Integer(
        related="company_id.customer_lifecycle_window_days", readonly=False
    )
    customer_lifecycle_lapse_days = fields.Integer(
        related="company_id.customer_lifecycle_lapse_days", readonly=False
    )
    customer_tier_top_percent = fields.Float(
        related="company_id.customer_tier_top_percent", readonly=False
    )
    customer_tier_vip_percent = fields.Float(
        related="company_id.customer_tier_vip_percent", readonly=False
    )
    customer_tier_normal_percent = fields.Float(
        related="company_id.customer_tier_normal_percent", readonly=False
    )
    customer_matrix_growth_percent = fields.Float(
        related="company_id.customer_matrix_growth_percent", readonly=False
    )
    customer_matrix_margin_amount = fields.Float(
        related="company_id.customer_matrix_margin_amount", readonly=False
    )
    customer_lifecycle_change_percent = fields.Float(
        related="company_id.customer_lifecycle_change_percent", readonly=False
    )
    crm_reconciliation_tolerance = fields.Float(
        related="company_id.crm_reconciliation_tolerance", readonly=False
    )
    care_budget_policy = fields.Selection(
        related="company_id.care_budget_policy", readonly=False
    )

    def action_refresh_customer_analytics(self):
        self.execute()
        return self.env["res.partner"].action_refresh_customer_analytics()

    # --- complaint classification ---------------------------------------------------
    complaint_suggestion_min_percent = fields.Integer(
        bounds=(1, 100),
        string="Minimum Confidence (%)",
        config_parameter="crm_360.complaint_suggestion_min_percent",
        default=30,
        help="A suggested aspect is shown only when its confidence reaches this "
        "percentage (1 to 100).",
    )
    complaint_classifier_accuracy = fields.Float(
        string="Accuracy on Held-Out Complaints",
        compute="_compute_complaint_classifier",
        help="Share of the held-out closed complaints (one in five) whose aspect "
        "the classifier found, trained on the others.",
    )
    complaint_classifier_samples = fields.Integer(
        string="Complaints Learnt From", compute="_compute_complaint_classifier"
    )
    complaint_classifier_heldout = fields.Integer(
        string="Held-Out Complaints", compute="_compute_complaint_classifier"
    )
    complaint_classifier_trained = fields.Datetime(
        string="Last Trained", compute="_compute_complaint_classifier"
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

    @api.depends("company_id")
    def _compute_complaint_classifier(self):
        Classifier = self.env["helpdesk.complaint.classifier"].sudo()
        for settings in self:
            classifier = Classifier._for_company(settings.company_id)
            settings.complaint_classifier_accuracy = classifier.accuracy
            settings.complaint_classifier_samples = classifier.sample_count
            settings.complaint_classifier_heldout = classifier.heldout_count
            settings.complaint_classifier_trained = classifier.trained_date

    @api.constrains("complaint_suggestion_min_percent")
    def _check_complaint_suggestion_min_percent(self):
        for settings in self:
            if not 1 <= settings.complaint_suggestion_min_percent <= 100:
                raise ValidationError(
                    self.env._("The minimum confidence is a percentage from 1 to 100.")
                )

    def action_train_complaint_classifier(self):
        self.ensure_one()
        failed = (
            self.env["helpdesk.complaint.classifier"]
            .sudo()
            ._train_companies(self.company_id)
        )
        if failed:
            raise UserError(
                self.env._(
                    "The complaint classifier could not be trained; the previous "
                    "one is kept. The server log tells why."
                )
            )
        return {"type": "ir.actions.client", "tag": "reload"}
