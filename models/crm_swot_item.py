# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Shared with the analysis report.
SWOT_QUADRANTS = [
    ("strength", "Strengths"),
    ("weakness", "Weaknesses"),
    ("opportunity", "Opportunities"),
    ("threat", "Threats"),
]


class CrmSwotItem(models.Model):
    _name = "crm.swot.item"
    _description = "Competitor SWOT Item"
    _order = "quadrant_sequence, score desc, sequence, id"
    _rec_name = "factor_id"
    _check_company_auto = True

    competitor_id = fields.Many2one(
        "crm.competitor",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    lead_competitor_id = fields.Many2one(
        "crm.lead.competitor",
        string="Competitor in Deal",
        index="btree_not_null",
        ondelete="cascade",
        help="Empty for the competitor's general SWOT.",
    )
    lead_id = fields.Many2one(
        related="lead_competitor_id.lead_id",
        store=True,
        index="btree_not_null",
        string="Opportunity",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
    )
    quadrant = fields.Selection(
        SWOT_QUADRANTS,
        required=True,
        group_expand=True,
        help="Seen from the competitor: Strength and Weakness are theirs against us; "
        "Opportunity and Threat are what the deal offers them or what endangers them.",
    )
    quadrant_sequence = fields.Integer(compute="_compute_quadrant_sequence", store=True)
    factor_id = fields.Many2one("crm.swot.factor", required=True, ondelete="restrict")
    description = fields.Text()
    score = fields.Integer(
        bounds=(1, 5),
        default=3,
        required=True,
        help="1 (minor) to 5 (decisive): how much this point weighs in the deal.",
    )
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        (
            "score_range",
            "CHECK(score BETWEEN 1 AND 5)",
            "A SWOT score goes from 1 (minor) to 5 (decisive).",
        ),
    ]

    # The deal's company through the competitor line (which stores it): a write
    # of the deal then reaches its items through the lines it holds, in one query
    # per batch, instead of one search of the items per deal written.
    @api.depends("competitor_id.company_id", "lead_competitor_id.company_id")
    def _compute_company_id(self):
        for item in self:
            item.company_id = (
                item.lead_competitor_id.company_id or item.competitor_id.company_id
            )

    @api.depends("quadrant")
    def _compute_quadrant_sequence(self):
        keys = [key for key, _label in SWOT_QUADRANTS]
        for item in self:
            item.quadrant_sequence = (
                keys.index(item.quadrant) if item.quadrant else len(keys)
            )

    @api.constrains("competitor_id", "lead_competitor_id")
    def _check_competitor(self):
        for item in self:
            if (
                item.lead_competitor_id
                and item.lead_competitor_id.competitor_id != item.competitor_id
            ):
                raise ValidationError(
                    self.env._(
                        "A SWOT item of a deal belongs to the competitor of that deal."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        LeadCompetitor = self.env["crm.lead.competitor"]
        for vals in vals_list:
            if vals.get("lead_competitor_id") and not vals.get("competitor_id"):
                vals["competitor_id"] = LeadCompetitor.browse(
                    vals["lead_competitor_id"]
                ).competitor_id.id
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if {"competitor_id", "lead_competitor_id"} & set(vals):
            # Rules are checked before a write, not after: moving an item to
            # another deal, or into the general SWOT, needs the right to edit it
            # there too.
            self.check_access("write")
        return res
