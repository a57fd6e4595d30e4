# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer care settings (company settings)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_budget_policy = fields.Selection(
        related="company_id.care_budget_policy", readonly=False
    )
