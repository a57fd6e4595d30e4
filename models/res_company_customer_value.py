# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer value and ERP settings of a company: the customer analytics
(RFM, value tier, value matrix, lifecycle) and the sales reconciliation."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- customer analytics (RFM, value tier, value matrix, lifecycle) ---------------
    customer_rfm_window_days = fields.Integer(
        bounds=(1, 3650),
        string="RFM Window (Days)",
        default=365,
        help="Orders and invoices of the last this many days count towards "
        "frequency and monetary value; the value matrix compares this period with "
        "the one before.",
    )
    customer_tier_top_percent = fields.Float(
        bounds=(0, 100),
        string="TOP: First % of Revenue",
        default=50.0,
        help="Customers who, ranked by net invoiced revenue in the RFM window, make "
        "the first this-many percent of it are TOP customers.",
    )
    customer_tier_vip_percent = fields.Float(
        bounds=(0, 100),
        string="VIP: Up to % of Revenue",
        default=80.0,
        help="The next customers, up to this cumulative percentage of revenue, are "
        "VIP (the 80/20 rule: TOP and VIP together).",
    )
    customer_tier_normal_percent = fields.Float(
        bounds=(0, 100),
        string="Normal: Up to % of Revenue",
        default=95.0,
        help="The next customers, up to this cumulative percentage, are normal; the "
        "tail and customers without net revenue in the window are to abandon.",
    )
    customer_matrix_growth_percent = fields.Float(
        bounds=(-100, 1000),
        string="High Growth From (%)",
        default=10.0,
        help="Revenue growth, this RFM window against the one before, from which a "
        "customer counts as growing in the value matrix.",
    )
    customer_matrix_margin_amount = fields.Float(
        bounds=(0, 1_000_000_000_000),
        string="High Profit From",
        default=0.0,
        help="Margin in the RFM window from which a customer counts as profitable in "
        "the value matrix. 0: the median margin of the company's customers.",
    )
    customer_lifecycle_window_days = fields.Integer(
        bounds=(1, 3650),
        string="Lifecycle Window (Days)",
        default=180,
        help="The lifecycle compares purchases of the last this many days with the "
        "same period before.",
    )
    customer_lifecycle_lapse_days = fields.Integer(
        bounds=(1, 3650),
        string="Declining After (Days)",
        default=365,
        help="A customer without any purchase for this long is in decline.",
    )
    customer_lifecycle_change_percent = fields.Float(
        bounds=(0, 99),
        string="Volume Change (%)",
        default=20.0,
        help="Volume up by more than this percentage means formation, down by more "
        "than this percentage means decline; in between is stable.",
    )
    crm_reconciliation_tolerance = fields.Float(
        bounds=(0, 100),
        string="Reconciliation Tolerance (%)",
        default=5.0,
        help="In the sales reconciliation, a won opportunity whose orders differ "
        "from its expected revenue by more than this percentage is an exception.",
    )

    @api.constrains("crm_reconciliation_tolerance")
    def _check_crm_reconciliation_tolerance(self):
        if any(company.crm_reconciliation_tolerance < 0 for company in self):
            raise ValidationError(
                self.env._("The reconciliation tolerance cannot be negative.")
            )

    @api.constrains(
        "customer_rfm_window_days",
        "customer_tier_top_percent",
        "customer_tier_vip_percent",
        "customer_tier_normal_percent",
        "customer_matrix_margin_amount",
        "customer_lifecycle_window_days",
        "customer_lifecycle_lapse_days",
        "customer_lifecycle_change_percent",
    )
    def _check_customer_analytics_settings(self):
        for company in self:
            if (
                company.customer_rfm_window_days < 1
                or company.customer_lifecycle_window_days < 1
                or company.customer_lifecycle_lapse_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The RFM window, the lifecycle window and the decline delay "
                        "are at least one day."
                    )
                )
            if not (
                0
                < company.customer_tier_top_percent
                < company.customer_tier_vip_percent
                < company.customer_tier_normal_percent
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The value tier thresholds must increase, above 0 and at "
                        "most 100%: TOP < VIP < normal."
                    )
                )
            if company.customer_matrix_margin_amount < 0:
                raise ValidationError(
                    self.env._("The high-profit margin cannot be negative.")
                )
            if not 0 <= company.customer_lifecycle_change_percent < 100:
                raise ValidationError(
                    self.env._(
                        "The lifecycle volume change is a percentage from 0 to 99."
                    )
                )
