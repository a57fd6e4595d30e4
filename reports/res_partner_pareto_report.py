# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.res_partner_analytics import VALUE_TIERS


class ResPartnerParetoReport(models.Model):
    """Pareto curve of revenue by customer (80/20): customers of the current company
    ranked by their revenue in the RFM window (from the customer analytics), with
    the share of all revenue made by them and every customer ranked before.

    Grouped by decile of customers (the best 10 %, 20 %, ...), the maximum of the
    cumulative share draws the curve. Built on the customers the reader may open.
    """

    _name = "res.partner.pareto.report"
    _description = "Customer Revenue Pareto"
    _auto = False
    _order = "rank"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The sales team of the customer's salesperson.",
    )
    value_tier = fields.Selection(VALUE_TIERS, readonly=True)
    rank = fields.Integer(readonly=True, aggregator="max")
    decile = fields.Integer(
        string="Best Customers (%)",
        readonly=True,
        aggregator=None,
        help="The customer is among the best this-many percent by revenue.",
    )
    revenue = fields.Float(readonly=True, digits="Account")
    revenue_percent = fields.Float(
        string="Share of Revenue (%)", readonly=True, digits=(16, 2)
    )
    cumulative_percent = fields.Float(
        string="Cumulative Share (%)",
        readonly=True,
        aggregator="max",
        digits=(16, 2),
        help="Share of all revenue made by this customer and the ones ranked "
        "before.",
    )
    customer_count = fields.Integer(string="# Customers", readonly=True)

    @property
    def _table_query(self):
        cid = str(self.env.company.id)
        visible = self.env["res.partner"]._search(
            [("customer_analytics_date", "!=", False)]
        )
        return SQL(
            """
            WITH customer AS (
                SELECT p.id AS partner_id, p.user_id, u.sale_team_id AS team_id,
                       p.value_tier ->> %(cid)s AS value_tier,
                       GREATEST((p.rfm_monetary ->> %(cid)s)::numeric, 0) AS revenue
                  FROM res_partner p
                  LEFT JOIN res_users u ON u.id = p.user_id
                 WHERE p.id IN (%(visible)s)
                   AND (p.rfm_monetary ->> %(cid)s)::numeric > 0
            ),
            ranked AS (
                SELECT customer.*,
                       ROW_NUMBER() OVER (ORDER BY revenue DESC, partner_id) AS rank,
                       COUNT(*) OVER () AS total_count,
                       SUM(revenue) OVER () AS total,
                       SUM(revenue) OVER (ORDER BY revenue DESC, partner_id)
                           AS cumulative
                  FROM customer
            )
            SELECT partner_id AS id, partner_id, user_id, team_id, value_tier, rank,
                   (CEIL(10.0 * rank / total_count) * 10)::integer AS decile,
                   revenue, 100.0 * revenue / total AS revenue_percent,
                   100.0 * cumulative / total AS cumulative_percent,
                   1 AS customer_count
              FROM ranked
            """,
            cid=cid,
            visible=visible.subselect(),
        )
