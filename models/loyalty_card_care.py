# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LoyaltyCard(models.Model):
    """A coupon given by a customer care campaign."""

    _inherit = "loyalty.card"

    care_campaign_id = fields.Many2one(
        "crm.care.campaign",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer care campaign that gave this coupon.",
    )
