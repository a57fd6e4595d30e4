# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer care settings of a company."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    care_budget_policy = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Care Budget Exceeded",
        default="warn",
        help="Default of new care campaigns when their gifts and resources would "
        "cost more than their budget: warn the owner, or block the gifts.",
    )
