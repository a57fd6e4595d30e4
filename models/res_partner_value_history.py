# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_partner_analytics import LIFECYCLE_STAGES, VALUE_MATRIX, VALUE_TIERS


class ResPartnerValueHistory(models.Model):
    """A change of a customer's value tier, value matrix quadrant or lifecycle stage.

    Appended by the analytics refresh (SQL), never edited: "moved from stable to
    decline this month" is a filter on these rows.
    """

    _name = "res.partner.value.history"
    _description = "Customer Value History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, index=True)
    old_tier = fields.Selection(VALUE_TIERS, string="Tier Before")
    new_tier = fields.Selection(VALUE_TIERS, string="Tier")
    old_matrix = fields.Selection(VALUE_MATRIX, string="Matrix Before")
    new_matrix = fields.Selection(VALUE_MATRIX, string="Matrix")
    old_stage = fields.Selection(LIFECYCLE_STAGES, string="Lifecycle Before")
    new_stage = fields.Selection(LIFECYCLE_STAGES, string="Lifecycle")
