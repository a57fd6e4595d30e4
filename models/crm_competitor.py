# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

PRICE_POSITIONS = [
    ("lower", "Cheaper than Us"),
    ("similar", "Similar to Us"),
    ("higher", "More Expensive than Us"),
]


class CrmCompetitor(models.Model):
    """A company we meet in deals. It points to the company's contact instead of
    flagging partners, so the address book stays clean and searchable."""

    _name = "crm.competitor"
    _description = "Competitor"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    name = fields.Char(related="partner_id.name", store=True, index="trigram")
    website = fields.Char(related="partner_id.website", readonly=False)
    image_128 = fields.Image(related="partner_id.image_128")
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share this competitor between all companies.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    price_position = fields.Selection(
        PRICE_POSITIONS,
        string="Typical Price Position",
        tracking=True,
        help="Where their prices usually stand against ours.",
    )
    product_ids = fields.Many2many(
        "product.template",
        string="Competes With",
        help="Our products they sell against.",
    )
    their_products = fields.Text(help="What they offer against us, in their words.")
    note = fields.Html(string="Notes")
    swot_item_ids = fields.One2many(
        "crm.swot.item",
        "competitor_id",
        string="General SWOT",
        domain=[("lead_competitor_id", "=", False)],
    )
    lead_competitor_ids = fields.One2many(
        "crm.lead.competitor", "competitor_id", string="Deals"
    )
    deal_count = fields.Integer(compute="_compute_record", string="Deals Met")
    won_count = fields.Integer(compute="_compute_record", string="Won Against")
    lost_count = fields.Integer(compute="_compute_record", string="Lost To")
    closed_count = fields.Integer(
        compute="_compute_record",
        string="Closed Deals",
        help="Deals we met them in that are won or lost (whoever won).",
    )
    win_rate = fields.Float(
        compute="_compute_record",
        string="Win Rate (%)",
        digits=(16, 1),
        help="Deals we won against them out of the closed deals we met them in "
        "(won, or lost whoever won). Undefined (shown empty) while no deal with "
        "them is closed.",
    )
    lost_revenue = fields.Monetary(
        compute="_compute_record",
        currency_field="company_currency_id",
        help="Expected revenue of the deals lost to them.",
    )
    company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_company_currency_id"
    )
    battlecard_html = fields.Html(
        string="Battlecard",
        compute="_compute_battlecard_html",
        sanitize=False,
        help="Our record against this competitor, from the deals you may open.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            # A shared competitor (no company) is unique too.
            "unique nulls not distinct (partner_id, company_id)",
            "This company is already a competitor.",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_company_currency_id(self):
        for competitor in self:
            competitor.company_currency_id = (
                competitor.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_record(self):
        """Our record against each competitor, from the deals the user may open."""
        stats = {
            competitor: dict.fromkeys(
                ("deals", "won", "lost", "closed", "lost_revenue"), 0
            )
            for competitor in self
        }
        if self.ids and self.env.user._has_group("sales_team.group_sale_salesman"):
            groups = self.env["crm.competitor.report"]._read_group(
                [("competitor_id", "in", self.ids)],
                ["competitor_id"],
                [
                    "__count",
                    "won_count:sum",
                    "lost_to_count:sum",
                    "closed_count:sum",
                    "lost_revenue:sum",
                ],
            )
            for competitor, count, won, lost, closed, lost_revenue in groups:
                stats[competitor].update(
                    deals=count,
                    won=won,
                    lost=lost,
                    closed=closed,
                    lost_revenue=lost_revenue,
                )
        for competitor, values in stats.items():
            competitor.deal_count = values["deals"]
            competitor.won_count = values["won"]
            competitor.lost_count = values["lost"]
            competitor.closed_count = values["closed"]
            competitor.win_rate = (
                100.0 * values["won"] / values["closed"] if values["closed"] else 0.0
            )
            competitor.lost_revenue = values["lost_revenue"]

    @api.depends_context("uid", "allowed_company_ids", "lang")
    def _compute_battlecard_html(self):
        for competitor in self:
            if not competitor.id:
                competitor.battlecard_html = False
                continue
            competitor.battlecard_html = self.env["ir.qweb"]._render(
                "crm_360.crm_competitor_battlecard_body",
                competitor._get_battlecard_values(),
            )

    def _get_battlecard_values(self, limit=5):
        """Figures of the battlecard, read as the user (record rules apply)."""
        self.ensure_one()
        Report = self.env["crm.competitor.report"]
        items = self.env["crm.swot.item"]._read_group(
            [
                ("competitor_id", "=", self.id),
                ("lead_id", "!=", False),
                ("quadrant", "in", ("strength", "weakness")),
            ],
            ["quadrant", "factor_id"],
            ["__count", "score:sum"],
            order="score:sum desc",
        )
        reported = {"strength": [], "weakness": []}
        for quadrant, factor, count, score in items:
            if len(reported[quadrant]) < limit:
                reported[quadrant].append(
                    {"factor": factor, "count": count, "score": score}
                )
        return {
            "competitor": self,
            "strengths": reported["strength"],
            "weaknesses": reported["weakness"],
            "won_deals": Report.search(
                [("competitor_id", "=", self.id), ("outcome", "=", "won")],
                order="date_closed desc, id desc",
                limit=limit,
            ),
            "lost_deals": Report.search(
                [("competitor_id", "=", self.id), ("outcome", "=", "lost")],
                order="date_closed desc, id desc",
                limit=limit,
            ),
        }

    @api.readonly
    def action_view_swot_matrix(self):
        """The SWOT of this competitor across all the deals one may open."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_swot_item_action"
        )
        action["name"] = self.env._("SWOT of %(competitor)s", competitor=self.name)
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {
            "default_competitor_id": self.id,
            "search_default_group_quadrant": 1,
        }
        return action

    @api.readonly
    def action_view_deals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_competitor_report_action"
        )
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {}
        return action
