# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

CARE_RESOURCE_TYPES = [
    ("people", "People"),
    ("venue", "Venue"),
    ("equipment", "Equipment"),
    ("material", "Materials"),
    ("partner", "Partner"),
    ("other", "Other"),
]


class CrmCareCampaignResource(models.Model):
    _name = "crm.care.campaign.resource"
    _description = "Customer Care Campaign Resource"
    _order = "campaign_id, sequence, id"

    campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Care Campaign",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    sequence = fields.Integer(default=10)
    resource_type = fields.Selection(
        CARE_RESOURCE_TYPES, string="Type", required=True, default="people"
    )
    name = fields.Char(string="Description", required=True)
    user_id = fields.Many2one(
        "res.users", string="Person", help="The colleague who takes part."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier / Partner",
        help="The venue, supplier or partner company providing the resource.",
    )
    date = fields.Date()
    cost = fields.Monetary(
        bounds=(0, 1_000_000_000_000),
        help="What the resource costs the campaign, in the company currency.",
    )

    _sql_constraints = [
        ("cost_positive", "CHECK (cost >= 0)", "A resource cannot cost less than 0."),
    ]
