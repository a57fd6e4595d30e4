# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer value and ERP settings: the customer analytics and the sales
reconciliation (company settings)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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

    def action_refresh_customer_analytics(self):
        self.execute()
        return self.env["res.partner"].action_refresh_customer_analytics()
