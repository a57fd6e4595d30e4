# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CrmCustomerPurchase(models.AbstractModel):
    """What a customer's purchase is (客户购买), defined once for every figure
    of crm_360 that counts purchases or revenue: the customer analytics (RFM,
    tiers, value matrix, lifecycle), the results of care campaigns (campaign,
    members, analysis), and the team reports mailed to managers.

    - **Orders**: confirmed sale orders (``state = 'sale'``), untaxed, in the
      company currency at the order's own rate.
    - **Invoices**: posted customer invoices net of customer credit notes,
      untaxed product lines, in the company currency at the invoice's rate
      (the accounting balance). An invoice not coming from an order is a
      purchase of its own.
    - Never purchases: gift orders of care campaigns and replacement orders of
      complaints (given, not bought) and their invoices; sales to one of the
      database's own companies (internal, not a customer's).

    Each method returns one row per document, keyed by the customer's
    commercial entity; callers add their own period, company and visibility
    conditions. Integrators who count purchases differently override these
    two methods and every figure follows.
    """

    _name = "crm.customer.purchase"
    _description = "Customer Purchase (definition)"

    @api.model
    def _order_sql(self):
        """Rows ``order_id, company_id, partner_id, date_order, amount,
        margin`` of the sale orders that are purchases; ``partner_id`` is the
        customer's commercial entity, ``amount`` and ``margin`` untaxed in the
        company currency at the order's rate."""
        return SQL(
            """
            SELECT so.id AS order_id, so.company_id,
                   customer.commercial_partner_id AS partner_id,
                   so.date_order,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       AS amount,
                   COALESCE(so.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       AS margin
              FROM sale_order so
              JOIN res_partner customer ON customer.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.care_campaign_id IS NULL
               AND so.complaint_ticket_id IS NULL
               AND customer.commercial_partner_id NOT IN (
                   SELECT own.partner_id FROM res_company own)
            """
        )

    @api.model
    def _invoice_sql(self):
        """Rows ``move_id, company_id, partner_id, invoice_date, amount,
        purchase`` of the posted customer invoices and credit notes that count
        (credit notes negative); ``purchase`` is true for an invoice that does
        not come from an order (the order is the purchase otherwise)."""
        return SQL(
            """
            SELECT m.id AS move_id, m.company_id,
                   m.commercial_partner_id AS partner_id, m.invoice_date,
                   (SELECT COALESCE(SUM(-ml.balance), 0)
                      FROM account_move_line ml
                     WHERE ml.move_id = m.id AND ml.display_type = 'product'
                   ) AS amount,
                   m.move_type = 'out_invoice' AND NOT EXISTS (
                       SELECT 1
                         FROM account_move_line ml
                         JOIN sale_order_line_invoice_rel rel
                           ON rel.invoice_line_id = ml.id
                        WHERE ml.move_id = m.id
                   ) AS purchase
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.commercial_partner_id IS NOT NULL
               AND m.commercial_partner_id NOT IN (
                   SELECT own.partner_id FROM res_company own)
               AND NOT EXISTS (
                   SELECT 1
                     FROM account_move_line ml
                     JOIN sale_order_line_invoice_rel rel
                       ON rel.invoice_line_id = ml.id
                     JOIN sale_order_line sol ON sol.id = rel.order_line_id
                     JOIN sale_order given ON given.id = sol.order_id
                    WHERE ml.move_id = m.id
                      AND (given.care_campaign_id IS NOT NULL
                           OR given.complaint_ticket_id IS NOT NULL)
               )
            """
        )
