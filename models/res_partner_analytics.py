# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer analytics of res.partner: RFM, value tier, value matrix and
lifecycle per company, refreshed every night with set-based SQL from the
purchases (crm.customer.purchase)."""

import logging
import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .interval_limits import clamp_days
from .res_partner_master import CUSTOMER_ASSESSMENTS

_logger = logging.getLogger(__name__)

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("new", "New"),
    ("promising", "Promising"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
VALUE_TIERS = [
    ("top", "TOP"),
    ("vip", "VIP"),
    ("normal", "Normal"),
    ("abandon", "Abandon"),
]
VALUE_MATRIX = [
    ("star", "Star"),
    ("cash_cow", "Cash Cow"),
    ("question_mark", "Question Mark"),
    ("dog", "Dog"),
]
LIFECYCLE_STAGES = [
    ("exploration", "Exploration"),
    ("formation", "Formation"),
    ("stable", "Stable"),
    ("decline", "Decline"),
]

# Customer analytics written by _refresh_customer_analytics(), one value per company
# (company-dependent columns): field name -> (column of the work table, SQL type).
# The days since the last purchase are not stored (they change every day for
# everyone): a night's refresh rewrites only the customers whose figures changed.
CUSTOMER_ANALYTICS_COLUMNS = {
    "customer_first_purchase_date": ("first_day", "date"),
    "customer_last_purchase_date": ("last_day", "date"),
    "rfm_frequency": ("frequency", "integer"),
    "rfm_monetary": ("monetary", "numeric"),
    "rfm_recency_score": ("r_score", "integer"),
    "rfm_frequency_score": ("f_score", "integer"),
    "rfm_monetary_score": ("m_score", "integer"),
    "rfm_score": ("rfm_score", "varchar"),
    "rfm_segment": ("segment", "varchar"),
    "value_tier": ("tier", "varchar"),
    "customer_margin": ("margin", "numeric"),
    "customer_growth_percent": ("growth", "numeric"),
    "customer_revenue_new": ("revenue_new", "boolean"),
    "value_matrix": ("matrix", "varchar"),
    "lifecycle_stage": ("stage", "varchar"),
    "lifecycle_previous_stage": ("previous_stage", "varchar"),
    "lifecycle_date": ("stage_date", "date"),
    "customer_assessment_company": ("assessment", "varchar"),
    "customer_analytics_digest": ("digest", "varchar"),
    "customer_analytics_date": ("refreshed", "timestamp"),
}
# A customer's suggested assessment is the strongest of his companies' (he is a
# key customer of the group when he is one of one company): strongest first.
ASSESSMENT_STRENGTH = ["key_customer", "customer", "lost", "potential"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- customer analytics: one value per company, written by SQL ----------------
    # Not indexed (Odoo indexes company-dependent columns by default): a btree on
    # the whole jsonb serves no search on one company's value, and without indexes
    # the nightly rewrite of the customers' rows stays a heap-only update.
    customer_first_purchase_date = fields.Date(
        string="First Purchase",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    customer_last_purchase_date = fields.Date(
        string="Last Purchase",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    rfm_recency_days = fields.Integer(
        string="Days Since Last Purchase",
        compute="_compute_rfm_recency_days",
        search="_search_rfm_recency_days",
        groups="sales_team.group_sale_salesman",
    )
    rfm_frequency = fields.Integer(
        string="Purchases in Window",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Confirmed sale orders, and invoices not coming from an order, in the "
        "RFM window.",
    )
    rfm_monetary = fields.Float(
        string="Revenue in Window",
        company_dependent=True,
        index=False,
        readonly=True,
        digits="Account",
        groups="sales_team.group_sale_salesman",
        help="Untaxed posted customer invoices minus credit notes in the RFM "
        "window, in the company currency.",
    )
    rfm_recency_score = fields.Integer(
        string="R Score",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    rfm_frequency_score = fields.Integer(
        string="F Score",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    rfm_monetary_score = fields.Integer(
        string="M Score",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    rfm_score = fields.Char(
        string="RFM",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Recency, frequency and monetary scores, each 1 (lowest fifth of "
        "the company's customers) to 5 (highest fifth).",
    )
    rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    value_tier = fields.Selection(
        VALUE_TIERS,
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Customers ranked by revenue in the RFM window: TOP and VIP make most "
        "of it (80/20), the tail and those without revenue are to abandon.",
    )
    customer_margin = fields.Float(
        string="Margin in Window",
        company_dependent=True,
        index=False,
        readonly=True,
        digits="Account",
        groups="sales_team.group_sale_salesman",
    )
    customer_growth_percent = fields.Float(
        string="Revenue Growth (%)",
        company_dependent=True,
        index=False,
        readonly=True,
        digits=(16, 1),
        groups="sales_team.group_sale_salesman",
        help="Revenue in the RFM window against the window before. Undefined "
        "when there was no revenue before: shown as New when there is revenue "
        "now (see New Revenue), empty otherwise; never 0 %.",
    )
    customer_revenue_new = fields.Boolean(
        string="New Revenue",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Revenue in the RFM window and none in the window before: the growth "
        "is undefined (New), and the customer counts as growing in the value "
        "matrix.",
    )
    value_matrix = fields.Selection(
        VALUE_MATRIX,
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Profit (margin) × growth: star (high, growing), cash cow (high, not "
        "growing), question mark (low, growing), dog (low, not growing). Growing: "
        "the revenue grew by at least the company's growth threshold; a customer "
        "whose revenue is new (none in the window before) counts as growing, one "
        "without revenue in either window as not growing.",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    lifecycle_previous_stage = fields.Selection(
        LIFECYCLE_STAGES,
        string="Previous Lifecycle Stage",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    lifecycle_date = fields.Date(
        string="Lifecycle Stage Since",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    customer_assessment_company = fields.Selection(
        CUSTOMER_ASSESSMENTS,
        string="Suggested Assessment in Company",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
        help="Assessment the customer analytics compute from this company's "
        "purchases; the suggested assessment is the strongest of the companies'.",
    )
    customer_analytics_digest = fields.Char(
        string="Analytics Digest",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="base.group_system",
        help="A digest of the figures above: a refresh compares it alone to find "
        "the customers whose figures changed.",
    )
    customer_analytics_date = fields.Datetime(
        string="Analytics Changed On",
        help="When the refresh last found different figures for this customer.",
        company_dependent=True,
        index=False,
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    customer_team_id = fields.Many2one(
        related="user_id.sale_team_id",
        string="Sales Team",
        help="The sales team of the customer's salesperson.",
    )
    customer_value_history_ids = fields.One2many(
        "res.partner.value.history",
        "partner_id",
        string="Value History",
        groups="sales_team.group_sale_salesman",
    )

    @api.depends("customer_last_purchase_date")
    @api.depends_context("company")
    def _compute_rfm_recency_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.customer_last_purchase_date
            partner.rfm_recency_days = (today - last).days if last else 0

    def _search_rfm_recency_days(self, operator, value):
        """Days since the last purchase, as a condition on its date.

        ``False`` (is set / is not set) is a condition on the date being set;
        a number of days beyond MAX_INTERVAL_DAYS either way is taken as that
        maximum (no purchase is that old): no date overflow.
        """
        flipped = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "!=": "!="}
        if value is False and operator in ("=", "!="):
            return [("customer_last_purchase_date", operator, False)]
        if (
            operator not in flipped
            or isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value != int(value)
        ):
            raise UserError(
                self.env._(
                    "Search the days since the last purchase with a whole number."
                )
            )
        day = fields.Date.context_today(self) - timedelta(days=clamp_days(value))
        return [("customer_last_purchase_date", flipped[operator], day)]

    # --- customer analytics refresh ------------------------------------------------
    @api.model
    def _cron_refresh_customer_analytics(self):
        companies = self.env["res.company"].search([])
        for done, company in enumerate(companies, start=1):
            self._refresh_customer_analytics(company)
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(companies) - done
            )

    @api.model
    def action_refresh_customer_analytics(self):
        """The "Refresh Now" button: the companies selected in the switcher."""
        if not self.env.user._has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only sales administrators can refresh customer analytics.")
            )
        updated = busy = 0
        for company in self.env.companies:
            result = self.sudo()._refresh_customer_analytics(company)
            updated += result["updated"]
            busy += result["busy"]
        message = self.env._(
            "Customer analytics refreshed: %(count)s customers.", count=updated
        )
        if busy:
            message += " " + self.env._(
                "%(count)s customers were being edited and keep their previous "
                "values until the next refresh.",
                count=busy,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if busy else "success",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _refresh_customer_analytics(self, company, today=None):
        """Recompute RFM, value tier, value matrix and lifecycle of every customer of
        ``company`` with a few set-based statements, and write them back in bulk.

        The measures are computed from one snapshot (the first statement) into a
        temporary work table; partners another transaction is writing are skipped
        (``SKIP LOCKED``) and keep their values until the next run. Each change of
        tier, matrix quadrant or lifecycle stage is appended to
        res.partner.value.history. Returns ``{"updated": n, "busy": n}``.
        """
        today = today or fields.Date.context_today(self.with_company(company))
        cr = self.env.cr
        self.env.flush_all()
        purchases = self.env["crm.customer.purchase"]
        params = {
            "company": company.id,
            "cid": str(company.id),
            "today": today,
            "now": fields.Datetime.now().replace(microsecond=0),
            # Any stored window is used at most MAX_INTERVAL_DAYS: no date
            # or integer out of range.
            "rfm_days": clamp_days(company.customer_rfm_window_days),
            "life_days": clamp_days(company.customer_lifecycle_window_days),
            "lapse_days": clamp_days(company.customer_lifecycle_lapse_days),
            "change": company.customer_lifecycle_change_percent / 100.0,
            "top": company.customer_tier_top_percent / 100.0,
            "vip": company.customer_tier_vip_percent / 100.0,
            "normal": company.customer_tier_normal_percent / 100.0,
            "growth": company.customer_matrix_growth_percent,
            "margin": company.customer_matrix_margin_amount,
            "orders": purchases._order_sql(),
            "invoices": purchases._invoice_sql(),
        }
        # PostgreSQL's JIT compilation misfires on these statements (their cost is
        # overestimated): measured, it took more time than the work itself. Off
        # for the refresh only, then back to what it was.
        cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        jit = cr.fetchone()[0]
        cr.execute("DROP TABLE IF EXISTS crm360_customer_value")
        for statement in self._customer_analytics_statements():
            cr.execute(SQL(statement, **params))
        cr.execute(self._customer_analytics_write_sql(params))
        updated, busy = cr.fetchone()
        cr.execute("DROP TABLE crm360_customer_value")
        cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))
        self.invalidate_model(
            [
                *CUSTOMER_ANALYTICS_COLUMNS,
                "customer_assessment",
                "customer_assessment_suggested",
            ]
        )
        self.env["res.partner.value.history"].invalidate_model()
        _logger.info(
            "customer analytics of %s: %s customers updated, %s busy",
            company.name,
            updated,
            busy,
        )
        return {"updated": updated, "busy": busy}

    @api.model
    def _customer_analytics_statements(self):
        """The measures, in one statement, into the work table.

        One pass: the purchases and revenue per customer, then every score over
        them with window functions. (Five UPDATEs of the work table, one per
        measure, cost half as much again as the whole computation.)
        """
        return [
            # Purchases and revenue per commercial partner, from one snapshot, as
            # crm.customer.purchase defines them: orders (a purchase each, their
            # margin) and invoices net of credit notes (the revenue; an invoice
            # not coming from an order is a purchase too).
            """
            CREATE TEMPORARY TABLE crm360_customer_value ON COMMIT DROP AS
            WITH event AS (
                SELECT partner_id, invoice_date AS day, purchase, amount, 0 AS margin
                  FROM (%(invoices)s) invoice
                 WHERE company_id = %(company)s
                   AND invoice_date <= %(today)s
                UNION ALL
                SELECT partner_id, date_order::date, TRUE, 0, margin
                  FROM (%(orders)s) purchase_order
                 WHERE company_id = %(company)s
                   AND date_order < %(today)s + 1
            ),
            customer AS (
                SELECT partner_id,
                       MIN(day) FILTER (WHERE purchase) AS first_day,
                       MAX(day) FILTER (WHERE purchase) AS last_day,
                       %(today)s - MAX(day) FILTER (WHERE purchase) AS recency,
                       COUNT(*) FILTER (WHERE purchase
                                          AND day > %(today)s - %(rfm_days)s)
                           AS frequency,
                       COUNT(*) FILTER (WHERE purchase) AS purchases,
                       COALESCE(SUM(amount) FILTER (
                           WHERE day > %(today)s - %(rfm_days)s), 0) AS monetary,
                       COALESCE(SUM(amount) FILTER (
                           WHERE day > %(today)s - 2 * %(rfm_days)s
                             AND day <= %(today)s - %(rfm_days)s), 0)
                           AS monetary_before,
                       COALESCE(SUM(amount) FILTER (
                           WHERE day > %(today)s - %(life_days)s), 0) AS volume,
                       COALESCE(SUM(amount) FILTER (
                           WHERE day > %(today)s - 2 * %(life_days)s
                             AND day <= %(today)s - %(life_days)s), 0)
                           AS volume_before,
                       COALESCE(SUM(margin) FILTER (
                           WHERE day > %(today)s - %(rfm_days)s), 0) AS margin
                  FROM event
                 GROUP BY partner_id
                HAVING BOOL_OR(purchase) OR SUM(amount) <> 0
            ),
            -- Value matrix: margin against the threshold, or the median margin of
            -- the customers with one.
            threshold AS (
                SELECT CASE WHEN %(margin)s > 0 THEN %(margin)s::numeric
                            ELSE (PERCENTILE_CONT(0.5) WITHIN GROUP (
                                      ORDER BY margin) FILTER (
                                      WHERE margin > 0))::numeric
                       END AS margin
                  FROM customer
            ),
            scored AS (
                SELECT c.*,
                       -- RFM: quintile scores among the company's customers (ties
                       -- share a score; no purchase or no revenue in the window
                       -- scores 1).
                       CEIL(ROUND(5 * CUME_DIST() OVER (
                           ORDER BY c.recency DESC NULLS FIRST)::numeric, 9))::integer
                           AS r,
                       CASE WHEN c.frequency > 0 THEN CEIL(ROUND(5 * CUME_DIST() OVER (
                           PARTITION BY c.frequency > 0 ORDER BY c.frequency
                       )::numeric, 9))::integer ELSE 1 END AS f,
                       CASE WHEN c.monetary > 0 THEN CEIL(ROUND(5 * CUME_DIST() OVER (
                           PARTITION BY c.monetary > 0 ORDER BY c.monetary
                       )::numeric, 9))::integer ELSE 1 END AS m,
                       -- Value tier: customers ranked by revenue; where the
                       -- revenue of those ranked before them falls in the
                       -- cumulative share decides the tier.
                       COALESCE(SUM(GREATEST(c.monetary, 0)) OVER (
                           ORDER BY c.monetary DESC, c.partner_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                           AS ranked_before,
                       SUM(GREATEST(c.monetary, 0)) OVER () AS total,
                       CASE WHEN c.monetary_before > 0
                            THEN ROUND((c.monetary - c.monetary_before)
                                       / c.monetary_before * 100, 1)
                       END AS growth,
                       COALESCE(c.margin > 0 AND c.margin >= t.margin, FALSE)
                           AS profitable,
                       CASE WHEN c.monetary_before > 0
                            THEN (c.monetary - c.monetary_before)
                                 / c.monetary_before * 100 >= %(growth)s
                            ELSE c.monetary > 0
                       END AS growing,
                       -- Lifecycle.
                       CASE
                           WHEN c.last_day IS NULL THEN NULL
                           WHEN c.recency > %(lapse_days)s THEN 'decline'
                           WHEN c.volume_before > 0
                            AND c.volume < c.volume_before * (1 - %(change)s)
                           THEN 'decline'
                           WHEN c.first_day > %(today)s - %(life_days)s
                             OR c.purchases < 2 THEN 'exploration'
                           WHEN c.volume > c.volume_before * (1 + %(change)s)
                           THEN 'formation'
                           ELSE 'stable'
                       END::varchar AS stage
                  FROM customer c, threshold t
            ),
            figures AS (
                SELECT s.partner_id, s.first_day, s.last_day, s.frequency,
                       s.monetary, s.margin, s.recency,
                       s.r AS r_score, s.f AS f_score, s.m AS m_score,
                       (s.r::text || s.f::text || s.m::text)::varchar AS rfm_score,
                       CASE
                           WHEN s.r >= 4 AND s.f >= 4 THEN 'champions'
                           WHEN s.r >= 3 AND s.f >= 3 THEN 'loyal'
                           WHEN s.r >= 4 AND s.f = 1 THEN 'new'
                           WHEN s.r >= 3 THEN 'promising'
                           WHEN s.f >= 3 THEN 'at_risk'
                           WHEN s.r = 2 THEN 'hibernating'
                           ELSE 'lost'
                       END::varchar AS segment,
                       CASE
                           WHEN s.monetary <= 0 OR s.total <= 0 THEN 'abandon'
                           WHEN s.ranked_before < %(top)s * s.total THEN 'top'
                           WHEN s.ranked_before < %(vip)s * s.total THEN 'vip'
                           WHEN s.ranked_before < %(normal)s * s.total THEN 'normal'
                           ELSE 'abandon'
                       END::varchar AS tier,
                       s.growth,
                       -- New revenue: growth undefined, TRUE or nothing stored.
                       CASE WHEN s.growth IS NULL AND s.growing THEN TRUE END
                           AS revenue_new,
                       CASE
                           WHEN s.profitable AND s.growing THEN 'star'
                           WHEN s.profitable THEN 'cash_cow'
                           WHEN s.growing THEN 'question_mark'
                           ELSE 'dog'
                       END::varchar AS matrix,
                       s.stage
                  FROM scored s
            ),
            work AS (
                SELECT f.*,
                       -- The assessment suggested to the customer master.
                       (CASE
                            WHEN f.stage = 'decline' AND f.recency > %(lapse_days)s
                            THEN 'lost'
                            WHEN f.tier IN ('top', 'vip') THEN 'key_customer'
                            WHEN f.last_day IS NOT NULL THEN 'customer'
                            ELSE 'potential'
                        END)::varchar AS assessment,
                       %(now)s::timestamp AS refreshed
                  FROM figures f
            )
            SELECT w.*,
                   -- One value to compare for "did anything change".
                   md5(ROW(w.first_day, w.last_day, w.frequency, w.monetary,
                           w.r_score, w.f_score, w.m_score, w.rfm_score, w.segment,
                           w.tier, w.margin, w.growth, w.revenue_new, w.matrix,
                           w.stage, w.assessment)::text)::varchar AS digest
              FROM work w
            """,
        ]

    @api.model
    def _customer_analytics_write_sql(self, params):
        """Write the work table back to the company-dependent columns in one
        statement, append the changes to the history, and return how many partners
        were written and how many were skipped because another transaction holds
        them. Partners that had analytics and no longer buy lose them."""

        # The stage stored so far decides the previous stage and since when.
        stage_changed = SQL(
            "v.stage IS DISTINCT FROM p.lifecycle_stage ->> %s", params["cid"]
        )

        def jsonb_value(column, sql_type):
            if column == "previous_stage":
                return SQL(
                    """CASE WHEN v.partner_id IS NULL THEN NULL
                            WHEN %(changed)s THEN p.lifecycle_stage ->> %(cid)s
                            ELSE p.lifecycle_previous_stage ->> %(cid)s END""",
                    changed=stage_changed,
                    cid=params["cid"],
                )
            if column == "stage_date":
                return SQL(
                    """CASE WHEN v.partner_id IS NULL THEN NULL
                            WHEN %(changed)s THEN to_char(%(today)s::date, 'YYYY-MM-DD')
                            ELSE p.lifecycle_date ->> %(cid)s END""",
                    changed=stage_changed,
                    today=params["today"],
                    cid=params["cid"],
                )
            if sql_type == "date":
                return SQL("to_char(v.%s, 'YYYY-MM-DD')", SQL.identifier(column))
            if sql_type == "timestamp":
                return SQL(
                    "to_char(v.%s, 'YYYY-MM-DD HH24:MI:SS')", SQL.identifier(column)
                )
            return SQL("v.%s", SQL.identifier(column))

        # A customer is rewritten when one of his figures differs (the time of the
        # refresh aside; the previous stage and its date change only with the
        # stage), or his suggested assessment does: the strongest of this
        # company's (from the work table) and the other companies' (stored).
        changed = SQL(" OR ").join(
            [
                SQL("v.partner_id IS NULL"),
                SQL(
                    "(p.customer_analytics_digest ->> %s) IS DISTINCT FROM v.digest",
                    params["cid"],
                ),
                SQL(
                    "s.suggestion IS NOT NULL AND s.suggestion IS DISTINCT FROM "
                    "p.customer_assessment_suggested"
                ),
                SQL(
                    "s.suggestion IS NOT NULL AND NOT COALESCE("
                    "p.customer_assessment_manual, FALSE) AND s.suggestion IS DISTINCT "
                    "FROM p.customer_assessment"
                ),
            ]
        )
        others = SQL(
            "jsonb_path_query_array(COALESCE(p.customer_assessment_company, "
            "'{}'::jsonb) - %s, '$.*')",
            params["cid"],
        )
        suggestion = SQL(
            "SELECT CASE %s END",
            SQL(" ").join(
                SQL(
                    "WHEN v.assessment = %(a)s OR o.others ? %(a)s THEN %(a)s",
                    a=assessment,
                )
                for assessment in ASSESSMENT_STRENGTH
            ),
        )
        assignments = SQL(", ").join(
            SQL(
                """%(field)s = CASE WHEN %(value)s IS NULL
                        THEN NULLIF(COALESCE(p.%(field)s, '{}'::jsonb) - %(cid)s,
                                    '{}'::jsonb)
                        ELSE COALESCE(p.%(field)s, '{}'::jsonb)
                             || jsonb_build_object(%(cid)s, %(value)s) END""",
                field=SQL.identifier(fname),
                value=jsonb_value(column, sql_type),
                cid=params["cid"],
            )
            for fname, (column, sql_type) in CUSTOMER_ANALYTICS_COLUMNS.items()
        )
        return SQL(
            """
            WITH target AS (
                SELECT p.id, s.suggestion
                  FROM res_partner p
                  LEFT JOIN crm360_customer_value v ON v.partner_id = p.id
                 CROSS JOIN LATERAL (SELECT %(others)s) o(others)
                 CROSS JOIN LATERAL (%(suggestion)s) s(suggestion)
                 WHERE (v.partner_id IS NOT NULL
                        OR p.customer_analytics_date ? %(cid)s)
                   AND (%(changed)s)
            ),
            locked AS (
                SELECT p.id, t.suggestion
                  FROM res_partner p
                  JOIN target t ON t.id = p.id
                 ORDER BY p.id
                   FOR NO KEY UPDATE OF p SKIP LOCKED
            ),
            history AS (
                INSERT INTO res_partner_value_history
                       (partner_id, company_id, date, old_tier, new_tier,
                        old_matrix, new_matrix, old_stage, new_stage,
                        create_uid, create_date, write_uid, write_date)
                SELECT p.id, %(company)s, %(now)s,
                       p.value_tier ->> %(cid)s, v.tier,
                       p.value_matrix ->> %(cid)s, v.matrix,
                       p.lifecycle_stage ->> %(cid)s, v.stage,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM locked l
                  JOIN res_partner p ON p.id = l.id
                  LEFT JOIN crm360_customer_value v ON v.partner_id = l.id
                 WHERE (p.value_tier ->> %(cid)s) IS DISTINCT FROM v.tier
                    OR (p.value_matrix ->> %(cid)s) IS DISTINCT FROM v.matrix
                    OR (p.lifecycle_stage ->> %(cid)s) IS DISTINCT FROM v.stage
            ),
            written AS (
                UPDATE res_partner p
                   SET %(assignments)s,
                       customer_assessment_suggested = COALESCE(
                           l.suggestion, p.customer_assessment_suggested),
                       customer_assessment = CASE
                           WHEN l.suggestion IS NULL
                             OR COALESCE(p.customer_assessment_manual, FALSE)
                           THEN p.customer_assessment
                           ELSE l.suggestion END
                  FROM locked l
                  LEFT JOIN crm360_customer_value v ON v.partner_id = l.id
                 WHERE p.id = l.id
             RETURNING p.id
            )
            SELECT (SELECT COUNT(*) FROM written),
                   (SELECT COUNT(*) FROM target) - (SELECT COUNT(*) FROM written)
            """,
            cid=params["cid"],
            changed=changed,
            suggestion=suggestion,
            others=others,
            company=params["company"],
            now=params["now"],
            uid=self.env.uid,
            assignments=assignments,
        )
