# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    """What a confirmed order brings to the ERP side of a deal: ordered,
    delivered, invoiced and paid amounts."""

    _inherit = "sale.order"

    @api.model
    def _erp_amounts_query(self, where, today):
        """One row per confirmed order matching ``where`` (an SQL condition on
        ``so``): what was ordered, delivered, invoiced and paid, untaxed, in the
        company currency, refunds netted.

        - ordered: the order's untaxed amount at the order's currency rate;
        - delivered: each line's untaxed amount × delivered ÷ ordered quantity;
        - invoiced: posted customer invoice lines linked to the order's lines,
          minus the credit notes' (down payments and their deduction included);
        - paid: the invoiced amount × the paid share of each invoice or credit
          note (1 − residual ÷ total);
        - overdue: an invoice of the order is past due and not fully paid.

        The caller applies the access rules: ``where`` comes from ``_search``.
        """
        return SQL(
            """
            WITH erp_order AS (
                SELECT so.id, so.opportunity_id, so.partner_id, so.company_id,
                       so.user_id, so.team_id, so.date_order,
                       COALESCE(NULLIF(so.currency_rate, 0), 1) AS rate,
                       so.amount_untaxed
                  FROM sale_order so
                 WHERE so.state = 'sale' AND %(where)s
            ),
            erp_delivered AS (
                SELECT sol.order_id,
                       SUM(sol.price_subtotal * sol.qty_delivered
                           / sol.product_uom_qty) AS amount
                  FROM sale_order_line sol
                  JOIN erp_order o ON o.id = sol.order_id
                 WHERE sol.display_type IS NULL
                   AND NOT COALESCE(sol.is_downpayment, FALSE)
                   AND sol.product_uom_qty <> 0
                 GROUP BY sol.order_id
            ),
            erp_invoice_line AS (
                SELECT DISTINCT sol.order_id, aml.id, -aml.balance AS amount,
                       m.amount_total_signed, m.amount_residual_signed,
                       m.move_type, m.invoice_date_due
                  FROM sale_order_line sol
                  JOIN erp_order o ON o.id = sol.order_id
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move m ON m.id = aml.move_id
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
            ),
            erp_invoiced AS (
                SELECT order_id,
                       SUM(amount) AS invoiced,
                       SUM(CASE WHEN amount_total_signed = 0 THEN 0
                                ELSE amount * (1 - amount_residual_signed
                                                   / amount_total_signed)
                           END) AS paid,
                       BOOL_OR(move_type = 'out_invoice'
                               AND amount_residual_signed > 0
                               AND invoice_date_due < %(today)s) AS overdue
                  FROM erp_invoice_line
                 GROUP BY order_id
            )
            SELECT o.id AS order_id, o.opportunity_id, o.partner_id, o.company_id,
                   o.user_id, o.team_id, o.date_order,
                   o.amount_untaxed / o.rate AS ordered,
                   COALESCE(d.amount, 0) / o.rate AS delivered,
                   COALESCE(i.invoiced, 0) AS invoiced,
                   COALESCE(i.paid, 0) AS paid,
                   COALESCE(i.overdue, FALSE) AS overdue
              FROM erp_order o
              LEFT JOIN erp_delivered d ON d.order_id = o.id
              LEFT JOIN erp_invoiced i ON i.order_id = o.id
            """,
            where=where,
            today=today,
        )
