# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

THREAT_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
# Shared with the analysis report.
COMPETITOR_STATUSES = [
    ("active", "Active"),
    ("eliminated", "Eliminated"),
    ("beaten", "Beaten"),
    ("won", "Won the Deal"),
]


class CrmLeadCompetitor(models.Model):
    _name = "crm.lead.competitor"
    _description = "Competitor in a Deal"
    _order = "lead_id, threat_sequence, id"
    _rec_name = "competitor_id"
    _check_company_auto = True

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    competitor_id = fields.Many2one(
        "crm.competitor",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="lead_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="lead_id.company_currency")
    offer = fields.Char(
        string="Their Offer", help="The product or solution they propose in this deal."
    )
    quoted_price = fields.Monetary(
        bounds=(0, 1_000_000_000_000),
        help="Their price in this deal, in the opportunity's currency.",
    )
    threat_level = fields.Selection(THREAT_LEVELS, required=True, default="medium")
    threat_sequence = fields.Integer(compute="_compute_threat_sequence", store=True)
    eliminated = fields.Boolean(
        help="The customer has dropped them from this deal.",
    )
    status = fields.Selection(
        COMPETITOR_STATUSES,
        compute="_compute_status",
        store=True,
        help="Active or Eliminated while the deal is open; Beaten when we win it; "
        "Won the Deal when the deal is lost to them. Restoring a lost deal makes "
        "them active again.",
    )
    influencer_ids = fields.Many2many(
        "crm.lead.influencer",
        string="Favoured By",
        domain="[('lead_id', '=', lead_id)]",
        help="The customer's buying influencers who favour this competitor.",
    )
    swot_item_ids = fields.One2many(
        "crm.swot.item", "lead_competitor_id", string="SWOT"
    )
    swot_count = fields.Integer(compute="_compute_swot_count", string="SWOT Items")

    _sql_constraints = [
        (
            "lead_competitor_uniq",
            "unique(lead_id, competitor_id)",
            "This competitor is already in this deal.",
        ),
    ]

    @api.depends("threat_level")
    def _compute_threat_sequence(self):
        order = {"high": 0, "medium": 1, "low": 2}
        for line in self:
            line.threat_sequence = order.get(line.threat_level, 3)

    @api.depends(
        "eliminated",
        "lead_id.active",
        "lead_id.probability",
        "lead_id.stage_id.is_won",
        "lead_id.lost_competitor_id",
    )
    def _compute_status(self):
        for line in self:
            lead = line.lead_id
            if not lead.active and not lead.probability:
                line.status = (
                    "won"
                    if lead.lost_competitor_id == line.competitor_id
                    else "eliminated"
                )
            elif lead.active and lead.stage_id.is_won:
                line.status = "beaten"
            else:
                line.status = "eliminated" if line.eliminated else "active"

    @api.depends("swot_item_ids")
    def _compute_swot_count(self):
        for line in self:
            line.swot_count = len(line.swot_item_ids)

    @api.constrains("competitor_id", "lead_id")
    def _check_not_the_customer(self):
        for line in self:
            customer = line.lead_id.partner_id.commercial_partner_id
            if customer and line.competitor_id.partner_id == customer:
                raise ValidationError(
                    self.env._(
                        "%(competitor)s is the customer of %(opportunity)s: a "
                        "company cannot compete for its own purchase.",
                        competitor=line.competitor_id.display_name,
                        opportunity=line.lead_id.display_name,
                    )
                )

    @api.constrains("influencer_ids", "lead_id")
    def _check_influencers(self):
        for line in self:
            if line.influencer_ids.lead_id - line.lead_id:
                raise ValidationError(
                    self.env._(
                        "Only the buying influencers of %(opportunity)s can favour a "
                        "competitor in it.",
                        opportunity=line.lead_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._assert_not_twice(
            [(vals.get("lead_id"), vals.get("competitor_id")) for vals in vals_list]
        )
        lines = super().create(vals_list)
        # A competitor added to a deal brings its general SWOT along; items given
        # with it are kept and their (quadrant, factor) are not copied again.
        lines.action_copy_general_swot()
        return lines

    def write(self, vals):
        if vals.get("lead_id"):
            # Record rules are checked before a write, not after: moving a line
            # needs the right to edit the opportunity it moves to.
            self.env["crm.lead"].browse(vals["lead_id"]).check_access("write")
        if "lead_id" in vals or "competitor_id" in vals:
            self._assert_not_twice(
                [
                    (
                        vals.get("lead_id", line.lead_id.id),
                        vals.get("competitor_id", line.competitor_id.id),
                    )
                    for line in self
                ],
                exclude=self,
            )
        return super().write(vals)

    def _assert_not_twice(self, pairs, exclude=None):
        """Refuse a competitor twice in a deal before the database does (its
        unique constraint would write an error to the server log)."""
        pairs = [(lead, comp) for lead, comp in pairs if lead and comp]
        if not pairs:
            return
        duplicate = next(
            (pair for index, pair in enumerate(pairs) if pair in pairs[:index]), None
        )
        if not duplicate:
            # Any line counts, also one the user may not read: one query.
            domain = [
                ("lead_id", "in", list({lead for lead, _comp in pairs})),
                ("competitor_id", "in", list({comp for _lead, comp in pairs})),
            ]
            if exclude:
                domain.append(("id", "not in", exclude.ids))
            existing = {
                (line.lead_id.id, line.competitor_id.id)
                for line in self.sudo().search(domain)
            }
            duplicate = next((pair for pair in pairs if pair in existing), None)
        if duplicate:
            lead = self.env["crm.lead"].browse(duplicate[0])
            competitor = self.env["crm.competitor"].browse(duplicate[1])
            raise ValidationError(
                self.env._(
                    "%(competitor)s is already a competitor in %(opportunity)s: "
                    "edit its line instead of adding it again.",
                    competitor=competitor.display_name,
                    opportunity=lead.display_name,
                )
            )

    def action_copy_general_swot(self):
        """Copy the competitor's general SWOT into the deal, skipping the
        (quadrant, factor) pairs the deal already has."""
        vals_list = []
        for line in self:
            present = {(item.quadrant, item.factor_id) for item in line.swot_item_ids}
            for item in line.competitor_id.swot_item_ids:
                if (item.quadrant, item.factor_id) in present:
                    continue
                vals_list.append(
                    {
                        "competitor_id": line.competitor_id.id,
                        "lead_competitor_id": line.id,
                        "quadrant": item.quadrant,
                        "factor_id": item.factor_id.id,
                        "description": item.description,
                        "score": item.score,
                    }
                )
        # The general SWOT is readable by every salesman; the copies follow the deal.
        self.env["crm.swot.item"].create(vals_list)
        return True

    @api.readonly
    def action_view_swot_matrix(self):
        return self.lead_id._action_view_swot_matrix(self.competitor_id)
