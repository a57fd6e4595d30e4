# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint settings: goodwill coupons, recurrence detection and the
classifier."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
