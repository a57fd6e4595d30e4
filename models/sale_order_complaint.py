# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    """A replacement order made to remedy a complaint (see
    helpdesk_complaint_remedy_mixin.py): goods given away free of charge, whose
    cost counts in the complaint's cost."""

    _name = "sale.order"
    _inherit = ["sale.order", "helpdesk.complaint.remedy.mixin"]

    complaint_ticket_id = fields.Many2one(
        help="The complaint this order replaces goods for, free of charge.",
    )
    complaint_currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Company Currency",
    )
    complaint_goods_cost = fields.Monetary(
        string="Replacement Cost",
        currency_field="complaint_currency_id",
        compute="_compute_complaint_goods_cost",
        store=True,
        help="What the goods given away cost the company: product cost × quantity, "
        "taken when the lines are set.",
    )

    # Like sale_margin's purchase_price, the cost is read when the lines change
    # and is not recomputed when the product's cost changes later: the goods were
    # given away at the cost of that day.
    @api.depends(
        "complaint_ticket_id",
        "company_id",
        "order_line.product_id",
        "order_line.product_uom",
        "order_line.product_uom_qty",
    )
    def _compute_complaint_goods_cost(self):
        for order in self:
            if not order.complaint_ticket_id:
                order.complaint_goods_cost = 0.0
                continue
            cost = 0.0
            for line in order.order_line.filtered("product_id"):
                product = line.product_id.with_company(order.company_id)
                quantity = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                cost += product.standard_price * quantity
            order.complaint_goods_cost = order.complaint_currency_id.round(cost)
