# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_lead_competitor import COMPETITOR_STATUSES, THREAT_LEVELS

OUTCOMES = [
    ("open", "Open"),
    ("won", "Won"),
    ("lost", "Lost"),
]


class CrmCompetitorReport(models.Model):
    """Win/loss against competitors: one row per competitor met in a deal.

    Read through the ORM only: its record rules mirror crm.lead's, so a salesman
    aggregates exactly the deals he may open.
    """

    _name = "crm.competitor.report"
    _description = "Win/Loss by Competitor"
    _auto = False
    _rec_name = "lead_id"
    _order = "date_closed desc, id desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    competitor_id = fields.Many2one("crm.competitor", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    date_closed = fields.Datetime(string="Closed on", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    status = fields.Selection(COMPETITOR_STATUSES, readonly=True)
    threat_level = fields.Selection(THREAT_LEVELS, readonly=True)
    decisive_factor_id = fields.Many2one("crm.swot.factor", readonly=True)
    lost_to_competitor_id = fields.Many2one(
        "crm.competitor", string="Lost To", readonly=True
    )
    expected_revenue = fields.Monetary(readonly=True)
    quoted_price = fields.Monetary(string="Their Quoted Price", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    lost_to_count = fields.Integer(string="Lost to Them", readonly=True)
    closed_count = fields.Integer(string="Closed", readonly=True)
    win_rate = fields.Float(
        string="Win Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the closed deals we won (open deals do not count).",
    )
    won_revenue = fields.Monetary(readonly=True)
    lost_revenue = fields.Monetary(
        string="Revenue Lost to Them",
        readonly=True,
        help="Expected revenue of the deals lost to this competitor.",
    )

    _depends = {
        "crm.lead.competitor": [
            "lead_id",
            "competitor_id",
            "status",
            "threat_level",
            "quoted_price",
            "company_id",
        ],
        "crm.lead": [
            "active",
            "probability",
            "stage_id",
            "user_id",
            "team_id",
            "partner_id",
            "expected_revenue",
            "date_closed",
            "lost_competitor_id",
            "decisive_factor_id",
        ],
        "crm.stage": ["is_won"],
    }

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        lost = SQL("(NOT lead.active AND COALESCE(lead.probability, 0) = 0)")
        won = SQL("(lead.active AND COALESCE(stage.is_won, FALSE))")
        lost_to = SQL("(%s AND lead.lost_competitor_id = lc.competitor_id)", lost)
        return SQL(
            """
            SELECT lc.id,
                   lc.lead_id,
                   lc.competitor_id,
                   lead.partner_id,
                   lead.user_id,
                   lead.team_id,
                   lc.company_id,
                   COALESCE(company.currency_id, (SELECT currency_id FROM res_company
                       ORDER BY id LIMIT 1)) AS currency_id,
                   lead.stage_id,
                   lead.create_date,
                   lead.date_closed,
                   CASE WHEN %(won)s THEN 'won' WHEN %(lost)s THEN 'lost'
                        ELSE 'open' END AS outcome,
                   lc.status,
                   lc.threat_level,
                   lead.decisive_factor_id,
                   lead.lost_competitor_id AS lost_to_competitor_id,
                   lead.expected_revenue,
                   lc.quoted_price,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count,
                   CASE WHEN %(lost)s THEN 1 ELSE 0 END AS lost_count,
                   CASE WHEN %(lost_to)s THEN 1 ELSE 0 END AS lost_to_count,
                   CASE WHEN %(won)s OR %(lost)s THEN 1 ELSE 0 END AS closed_count,
                   CASE WHEN %(won)s THEN 100.0 WHEN %(lost)s THEN 0.0 END AS win_rate,
                   CASE WHEN %(won)s THEN lead.expected_revenue ELSE 0 END
                       AS won_revenue,
                   CASE WHEN %(lost_to)s THEN lead.expected_revenue ELSE 0 END
                       AS lost_revenue
            """,
            won=won,
            lost=lost,
            lost_to=lost_to,
        )

    def _from(self):
        return SQL(
            """
            FROM crm_lead_competitor lc
            JOIN crm_lead lead ON lead.id = lc.lead_id
            LEFT JOIN res_company company ON company.id = lc.company_id
            LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
            """
        )

    def _where(self):
        return SQL("WHERE lead.type = 'opportunity'")
