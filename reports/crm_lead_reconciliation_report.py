# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class CrmLeadReconciliationReport(models.Model):
    """Sales reconciliation for finance: what sales won against what was ordered,
    delivered, invoiced and paid.

    One row per won opportunity (its confirmed orders summed), and one per confirmed
    order linked to no opportunity. Amounts are untaxed, in the company currency,
    credit notes deducted (see sale.order._erp_amounts_query). Rows are built from
    the opportunities and orders the reader may open (their own ``_search``), so the
    report never shows more than the documents behind it.
    """

    _name = "crm.lead.reconciliation.report"
    _description = "Sales Reconciliation"
    _auto = False
    _order = "date desc, id desc"

    kind = fields.Selection(
        [("deal", "Won Opportunity"), ("order", "Order Without Opportunity")],
        readonly=True,
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        help="For an order linked to no opportunity.",
    )
    name = fields.Char(string="Reference", readonly=True)
    date = fields.Date(
        readonly=True, help="When the opportunity was won, or the order placed."
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_count = fields.Integer(string="# Orders", readonly=True)
    expected_revenue = fields.Monetary(string="Expected", readonly=True)
    ordered_amount = fields.Monetary(string="Ordered", readonly=True)
    delivered_amount = fields.Monetary(string="Delivered", readonly=True)
    invoiced_amount = fields.Monetary(string="Invoiced", readonly=True)
    paid_amount = fields.Monetary(string="Paid", readonly=True)
    order_difference = fields.Monetary(string="Ordered − Expected", readonly=True)
    to_invoice_amount = fields.Monetary(string="Left to Invoice", readonly=True)
    unpaid_amount = fields.Monetary(string="Invoiced Not Paid", readonly=True)
    won_without_order = fields.Boolean(readonly=True)
    order_below_expected = fields.Boolean(
        string="Ordered Below Expected",
        readonly=True,
        help="Ordered less than the expected revenue, beyond the company's tolerance.",
    )
    order_above_expected = fields.Boolean(
        string="Ordered Above Expected",
        readonly=True,
        help="Ordered more than the expected revenue, beyond the company's "
        "tolerance.",
    )
    delivered_not_invoiced = fields.Boolean(readonly=True)
    overdue_unpaid = fields.Boolean(
        string="Invoiced, Unpaid and Overdue",
        readonly=True,
        help="An invoice is past its due date and not fully paid.",
    )
    order_without_opportunity = fields.Boolean(
        readonly=True,
        help="A confirmed order linked to no opportunity (quotations are not "
        "listed): for sales to link, shown under its own filter; not a finance "
        "exception.",
    )
    exception_count = fields.Integer(
        string="# Exceptions",
        readonly=True,
        help="What finance acts on: won without order, ordered below or above "
        "the expected revenue, delivered not invoiced, invoiced unpaid and "
        "overdue. An order without opportunity alone is no exception.",
    )

    _depends = {
        "crm.lead": [
            "type",
            "stage_id",
            "date_closed",
            "partner_id",
            "user_id",
            "team_id",
            "company_id",
            "expected_revenue",
        ],
        "sale.order": [
            "state",
            "opportunity_id",
            "partner_id",
            "amount_untaxed",
            "currency_rate",
            "date_order",
            "user_id",
            "team_id",
            "company_id",
        ],
        "sale.order.line": ["qty_delivered", "price_subtotal", "invoice_lines"],
        "account.move": ["state", "amount_residual_signed", "invoice_date_due"],
        "account.move.line": ["balance"],
        "res.company": ["crm_reconciliation_tolerance"],
    }

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        leads = self.env["crm.lead"]._search(
            [("type", "=", "opportunity"), ("stage_id.is_won", "=", True)]
        )
        orders = self.env["sale.order"]._search([("state", "=", "sale")])
        amounts = self.env["sale.order"]._erp_amounts_query(
            SQL("so.id IN (%s)", orders.subselect()), today
        )
        # An amount difference within a cent is no exception.
        return SQL(
            """
            WITH amounts AS (%(amounts)s),
            deal AS (
                SELECT lead.id AS lead_id, NULL::integer AS order_id,
                       lead.name, lead.date_closed::date AS date,
                       COALESCE(p.commercial_partner_id, lead.partner_id)
                           AS partner_id,
                       lead.user_id, lead.team_id, lead.company_id,
                       COALESCE(lead.expected_revenue, 0) AS expected_revenue,
                       COUNT(a.order_id) AS order_count,
                       COALESCE(SUM(a.ordered), 0) AS ordered,
                       COALESCE(SUM(a.delivered), 0) AS delivered,
                       COALESCE(SUM(a.invoiced), 0) AS invoiced,
                       COALESCE(SUM(a.paid), 0) AS paid,
                       COALESCE(BOOL_OR(a.overdue), FALSE) AS overdue
                  FROM crm_lead lead
                  LEFT JOIN res_partner p ON p.id = lead.partner_id
                  LEFT JOIN amounts a ON a.opportunity_id = lead.id
                 WHERE lead.id IN (%(leads)s)
                 GROUP BY lead.id, p.commercial_partner_id
            ),
            loose AS (
                SELECT NULL::integer AS lead_id, a.order_id, so.name,
                       a.date_order::date AS date, p.commercial_partner_id,
                       a.user_id, a.team_id, a.company_id,
                       0 AS expected_revenue, 1 AS order_count,
                       a.ordered, a.delivered, a.invoiced, a.paid, a.overdue
                  FROM amounts a
                  JOIN sale_order so ON so.id = a.order_id
                  JOIN res_partner p ON p.id = a.partner_id
                 WHERE a.opportunity_id IS NULL
            ),
            report_row AS (
                SELECT 'deal' AS kind, lead_id * 2 AS id, * FROM deal
                 UNION ALL
                SELECT 'order', order_id * 2 + 1, * FROM loose
            ),
            flagged AS (
                SELECT r.*, company.currency_id,
                       r.kind = 'deal' AND r.order_count = 0
                           AS won_without_order,
                       r.kind = 'deal' AND r.order_count > 0
                       AND r.ordered < r.expected_revenue
                           * (1 - company.crm_reconciliation_tolerance / 100.0) - 0.01
                           AS order_below_expected,
                       r.kind = 'deal' AND r.order_count > 0
                       AND r.ordered > r.expected_revenue
                           * (1 + company.crm_reconciliation_tolerance / 100.0) + 0.01
                           AS order_above_expected,
                       r.delivered > r.invoiced + 0.01 AS delivered_not_invoiced,
                       r.overdue AS overdue_unpaid,
                       r.kind = 'order' AS order_without_opportunity
                  FROM report_row r
                  JOIN res_company company ON company.id = r.company_id
            )
            SELECT id, kind, lead_id, order_id, name, date, partner_id, user_id,
                   team_id, company_id, currency_id, order_count,
                   expected_revenue, ordered AS ordered_amount,
                   delivered AS delivered_amount, invoiced AS invoiced_amount,
                   paid AS paid_amount,
                   CASE WHEN kind = 'deal' THEN ordered - expected_revenue ELSE 0 END
                       AS order_difference,
                   GREATEST(delivered - invoiced, 0) AS to_invoice_amount,
                   GREATEST(invoiced - paid, 0) AS unpaid_amount,
                   won_without_order, order_below_expected, order_above_expected,
                   delivered_not_invoiced, overdue_unpaid, order_without_opportunity,
                   won_without_order::int + order_below_expected::int
                   + order_above_expected::int + delivered_not_invoiced::int
                   + overdue_unpaid::int
                       AS exception_count
              FROM flagged
            """,
            amounts=amounts,
            leads=leads.subselect(),
        )
