# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LoyaltyCard(models.Model):
    """A goodwill coupon offered to remedy a complaint (see
    helpdesk_complaint_remedy_mixin.py): its value counts in the complaint's
    cost."""

    _name = "loyalty.card"
    _inherit = ["loyalty.card", "helpdesk.complaint.remedy.mixin"]

    # loyalty.card checks no company (no _check_company_auto); its link neither.
    complaint_ticket_id = fields.Many2one(
        check_company=False,
        help="The complaint this goodwill coupon was offered for.",
    )
    complaint_currency_id = fields.Many2one(
        related="complaint_ticket_id.complaint_currency_id",
        string="Complaint Currency",
    )
    complaint_value = fields.Monetary(
        string="Goodwill Value",
        currency_field="complaint_currency_id",
        copy=False,
        readonly=True,
        help="What the coupon was worth when it was issued for the complaint, in "
        "the complaint's company currency; it counts in the complaint's cost "
        "whether the coupon is used or not, until the coupon is archived.",
    )
