# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    """A gift order of a customer care campaign."""

    _inherit = "sale.order"

    care_campaign_id = fields.Many2one(
        "crm.care.campaign",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer care campaign this gift order was given for; gift "
        "orders do not count in campaign results.",
    )
