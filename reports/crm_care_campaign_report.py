# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_care_campaign import CARE_CAMPAIGN_TYPES, CARE_STATES
from ..models.interval_limits import MAX_INTERVAL_DAYS

CARE_GROUPS = [
    ("member", "Cared For"),
    ("holdout", "Hold-out"),
]


class CrmCareCampaignReport(models.Model):
    """Care campaign analysis (客户关怀效果分析): one row per campaign and group,
    the members cared for and the hold-out kept out of the care.

    The campaign's results and its XLSX read their figures here. The revenue of
    a group is the purchases (``crm.customer.purchase``: confirmed orders,
    untaxed, in the company currency at the order's rate; care gifts,
    complaint replacements and internal sales are no purchases) of its
    members' customers within the result window after their day of care, each
    order once per campaign and group; only the orders the reader may see
    count. The cost (gifts at cost, coupons used on orders the
    reader may see, resources) is on the cared-for row only. The member counts
    are those of the members the reader may see, as on the campaign; customers
    are the distinct customers (commercial entities) of all the group's
    members, as on the campaign. Excluded contacts count nowhere.

    The record rules mirror the campaign's: a salesman reads the rows of the
    campaigns he owns or that care for his customers.
    """

    _name = "crm.care.campaign.report"
    _description = "Care Campaign Analysis"
    _auto = False
    _rec_name = "campaign_id"
    _order = "date desc, campaign_id, member_group"

    campaign_id = fields.Many2one("crm.care.campaign", readonly=True)
    active = fields.Boolean(readonly=True)
    campaign_type = fields.Selection(CARE_CAMPAIGN_TYPES, string="Type", readonly=True)
    state = fields.Selection(CARE_STATES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    date = fields.Date(
        readonly=True,
        help="The campaign's first day of care; its creation date before it has one.",
    )
    member_group = fields.Selection(
        CARE_GROUPS,
        string="Group",
        readonly=True,
        help="Cared for: the members the campaign cared for (or is about to). "
        "Hold-out: the share of the target kept out of the care to measure the "
        "uplift.",
    )
    member_count = fields.Integer(
        string="# Members",
        readonly=True,
        help="Contacts in the group, among the members you may see.",
    )
    customer_count = fields.Integer(
        string="# Customers",
        readonly=True,
        help="Distinct customers (companies) of the group's members.",
    )
    ordering_customer_count = fields.Integer(
        string="# Customers Who Ordered",
        readonly=True,
        help="Customers of the group with at least one order counted in the revenue.",
    )
    order_count = fields.Integer(string="# Orders", readonly=True)
    revenue = fields.Monetary(
        readonly=True,
        help="Purchases of the group's customers within the result window after "
        "their day of care: untaxed confirmed orders, gifts, complaint "
        "replacements and internal sales excluded, each order counted once; "
        "only orders you may see.",
    )
    gift_cost = fields.Monetary(
        readonly=True, help="Cost of the gifts given (cared-for row only)."
    )
    coupon_cost = fields.Monetary(
        readonly=True,
        help="Discounts the campaign's coupons gave on confirmed orders (cared-for "
        "row only).",
    )
    resource_cost = fields.Monetary(readonly=True, help="Cared-for row only.")
    cost = fields.Monetary(
        readonly=True, help="Gifts, coupons and resources (cared-for row only)."
    )
    budget_amount = fields.Monetary(
        string="Budget", readonly=True, help="Cared-for row only."
    )

    _depends = {
        "crm.care.campaign": [
            "active",
            "campaign_type",
            "state",
            "company_id",
            "team_id",
            "user_id",
            "holdout_percent",
            "result_window_days",
            "budget_amount",
        ],
        "crm.care.campaign.occurrence": ["campaign_id", "date"],
        "crm.care.campaign.member": [
            "campaign_id",
            "state",
            "commercial_partner_id",
            "occurrence_date",
            "user_id",
        ],
        "crm.care.campaign.resource": ["campaign_id", "cost"],
        "sale.order": [
            "state",
            "partner_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
            "care_campaign_id",
            "complaint_ticket_id",
            "company_id",
            "user_id",
        ],
        "sale.order.line": [
            "order_id",
            "purchase_price",
            "product_uom_qty",
            "price_subtotal",
            "display_type",
            "coupon_id",
        ],
        "loyalty.card": ["care_campaign_id"],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["currency_id", "partner_id"],
    }

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        def members_only(expression):
            return SQL("CASE WHEN grp.holdout THEN 0 ELSE %s END", SQL(expression))

        return SQL(
            """
            SELECT campaign.id * 2 + CASE WHEN grp.holdout THEN 1 ELSE 0 END AS id,
                   campaign.id AS campaign_id,
                   campaign.active,
                   campaign.campaign_type,
                   campaign.state,
                   campaign.company_id,
                   company.currency_id,
                   campaign.team_id,
                   campaign.user_id,
                   COALESCE(first_day.date, campaign.create_date::date) AS date,
                   CASE WHEN grp.holdout THEN 'holdout' ELSE 'member' END
                       AS member_group,
                   COALESCE(visible.member_count, 0) AS member_count,
                   COALESCE(customers.customer_count, 0) AS customer_count,
                   COALESCE(hit.ordering_customer_count, 0)
                       AS ordering_customer_count,
                   COALESCE(hit.order_count, 0) AS order_count,
                   COALESCE(hit.revenue, 0) AS revenue,
                   %(gift_cost)s AS gift_cost,
                   %(coupon_cost)s AS coupon_cost,
                   %(resource_cost)s AS resource_cost,
                   %(cost)s AS cost,
                   %(budget)s AS budget_amount
            """,
            gift_cost=members_only("COALESCE(gift.cost, 0)"),
            coupon_cost=members_only("COALESCE(coupon.cost, 0)"),
            resource_cost=members_only("COALESCE(resource.cost, 0)"),
            cost=members_only(
                "COALESCE(gift.cost, 0) + COALESCE(coupon.cost, 0) "
                "+ COALESCE(resource.cost, 0)"
            ),
            budget=members_only("COALESCE(campaign.budget_amount, 0)"),
        )

    def _from(self):
        """The campaign × its two groups, and per group laterals: the first day
        of care, the members the reader may see, the group's customers, the
        orders counted (each once), and the campaign's costs."""
        visible_orders = self.env["sale.order"]._search([])
        confirmed = self.env["sale.order"]._search([("state", "=", "sale")])
        gift_orders = self.env["sale.order"]._search(
            [("care_campaign_id", "!=", False), ("state", "!=", "cancel")]
        )
        members = self.env["crm.care.campaign.member"]._search([])
        resources = self.env["crm.care.campaign.resource"]._search([])
        return SQL(
            """
            FROM crm_care_campaign campaign
            JOIN res_company company ON company.id = campaign.company_id
            CROSS JOIN (VALUES (FALSE), (TRUE)) AS grp (holdout)
            LEFT JOIN LATERAL (
                SELECT MIN(occurrence.date) AS date
                  FROM crm_care_campaign_occurrence occurrence
                 WHERE occurrence.campaign_id = campaign.id
            ) first_day ON TRUE
            LEFT JOIN LATERAL (
                SELECT COUNT(*) AS member_count
                  FROM crm_care_campaign_member member
                 WHERE member.campaign_id = campaign.id
                   AND member.state IN %(states)s
                   AND (member.state = 'holdout') = grp.holdout
                   AND member.id IN %(members)s
            ) visible ON TRUE
            LEFT JOIN LATERAL (
                SELECT COUNT(DISTINCT member.commercial_partner_id) AS customer_count
                  FROM crm_care_campaign_member member
                 WHERE member.campaign_id = campaign.id
                   AND member.state IN %(states)s
                   AND (member.state = 'holdout') = grp.holdout
            ) customers ON TRUE
            LEFT JOIN LATERAL (
                SELECT COUNT(*) AS order_count,
                       SUM(counted.amount) AS revenue,
                       COUNT(DISTINCT counted.partner_id) AS ordering_customer_count
                  FROM (
                        SELECT DISTINCT purchase.order_id, purchase.partner_id,
                               purchase.amount
                          FROM crm_care_campaign_member member
                          JOIN (%(purchases)s) purchase
                            ON purchase.partner_id = member.commercial_partner_id
                         WHERE member.campaign_id = campaign.id
                           AND member.state IN %(states)s
                           AND (member.state = 'holdout') = grp.holdout
                           AND purchase.order_id IN %(visible_orders)s
                           AND purchase.date_order >= member.occurrence_date
                           AND purchase.date_order < member.occurrence_date
                               + (LEAST(campaign.result_window_days, %(max_days)s) + 1)
                                 * INTERVAL '1 day'
                  ) counted
            ) hit ON TRUE
            LEFT JOIN LATERAL (
                SELECT SUM(line.purchase_price * line.product_uom_qty
                           / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS cost
                  FROM sale_order so
                  JOIN sale_order_line line ON line.order_id = so.id
                 WHERE so.care_campaign_id = campaign.id
                   AND so.id IN %(gift_orders)s
                   AND line.display_type IS NULL
            ) gift ON TRUE
            LEFT JOIN LATERAL (
                SELECT -SUM(line.price_subtotal
                            / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS cost
                  FROM loyalty_card card
                  JOIN sale_order_line line ON line.coupon_id = card.id
                  JOIN sale_order so ON so.id = line.order_id
                 WHERE card.care_campaign_id = campaign.id
                   AND so.id IN %(confirmed)s
            ) coupon ON TRUE
            LEFT JOIN LATERAL (
                SELECT SUM(resource.cost) AS cost
                  FROM crm_care_campaign_resource resource
                 WHERE resource.campaign_id = campaign.id
                   AND resource.id IN %(resources)s
            ) resource ON TRUE
            """,
            states=("pending", "done", "holdout"),
            members=members.subselect(),
            confirmed=confirmed.subselect(),
            purchases=self.env["crm.customer.purchase"]._order_sql(),
            visible_orders=visible_orders.subselect(),
            gift_orders=gift_orders.subselect(),
            resources=resources.subselect(),
            max_days=MAX_INTERVAL_DAYS,
        )

    def _where(self):
        """Every campaign has its cared-for row; a hold-out row when it keeps
        one out, or did."""
        return SQL(
            """
            WHERE (NOT grp.holdout
                   OR campaign.holdout_percent > 0
                   OR EXISTS (SELECT 1 FROM crm_care_campaign_member holdout
                               WHERE holdout.campaign_id = campaign.id
                                 AND holdout.state = 'holdout'))
            """
        )
