# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Customer value and ERP on the opportunity: what the deal became in sales,
    stock and accounting, the customer's credit risk and the stock for its
    quotations."""

    _inherit = "crm.lead"

    ordered_amount = fields.Monetary(
        string="Ordered",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed amount of the deal's confirmed sale orders, in the company "
        "currency.",
    )
    delivered_amount = fields.Monetary(
        string="Delivered",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed value of the quantities delivered on those orders.",
    )
    invoiced_amount = fields.Monetary(
        string="Invoiced",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="Untaxed amount of the posted invoices of those orders, credit notes "
        "deducted.",
    )
    paid_amount = fields.Monetary(
        string="Paid",
        currency_field="company_currency",
        compute="_compute_erp_amounts",
        help="The invoiced amount in proportion to what the customer has paid of "
        "each invoice (credit notes deducted).",
    )
    erp_delivery_count = fields.Integer(
        string="Deliveries", compute="_compute_erp_documents"
    )
    erp_invoice_count = fields.Integer(
        string="Invoices", compute="_compute_erp_documents"
    )
    overdue_receivable_amount = fields.Monetary(
        string="Overdue Receivables",
        currency_field="company_currency",
        compute="_compute_customer_risk",
        help="What the customer owes and should already have paid, all documents "
        "of the company together.",
    )
    credit_limit_amount = fields.Monetary(
        string="Credit Limit",
        currency_field="company_currency",
        compute="_compute_customer_risk",
    )
    credit_used_percent = fields.Float(
        string="Credit Used (%)",
        compute="_compute_customer_risk",
        help="The customer's total receivable as a percentage of its credit limit.",
    )
    stock_shortage_html = fields.Html(
        string="Stock for Quotations",
        compute="_compute_stock_shortage",
        sanitize=False,
    )
    stock_short = fields.Boolean(
        compute="_compute_stock_shortage",
        help="A product quoted on this deal is not available in the quantity quoted.",
    )

    @api.depends_context("uid", "company")
    def _compute_erp_amounts(self):
        self.ordered_amount = self.delivered_amount = 0.0
        self.invoiced_amount = self.paid_amount = 0.0
        leads = self.filtered("id")
        if not leads or not self.env.user._has_group("sales_team.group_sale_salesman"):
            return
        # The orders the user may open, through sale.order's own rules.
        orders = self.env["sale.order"]._search(
            [("opportunity_id", "in", leads.ids), ("state", "=", "sale")]
        )
        query = self.env["sale.order"]._erp_amounts_query(
            SQL("so.id IN %s", orders.subselect()), fields.Date.context_today(self)
        )
        self.env.cr.execute(
            SQL(
                """SELECT opportunity_id, SUM(ordered), SUM(delivered),
                          SUM(invoiced), SUM(paid)
                     FROM (%s) amounts GROUP BY opportunity_id""",
                query,
            )
        )
        for lead_id, ordered, delivered, invoiced, paid in self.env.cr.fetchall():
            lead = self.browse(lead_id)
            lead.ordered_amount = ordered
            lead.delivered_amount = delivered
            lead.invoiced_amount = invoiced
            lead.paid_amount = paid

    @api.depends_context("uid")
    def _compute_erp_documents(self):
        self.erp_delivery_count = self.erp_invoice_count = 0
        if not self.filtered("id") or not self.env.user._has_group(
            "sales_team.group_sale_salesman"
        ):
            return
        for lead in self.filtered("id"):
            lead.erp_delivery_count = len(lead._erp_deliveries())
            lead.erp_invoice_count = len(lead._erp_invoices())

    def _erp_orders(self):
        return self.env["sale.order"].search(
            [("opportunity_id", "in", self.ids), ("state", "=", "sale")]
        )

    def _erp_deliveries(self):
        return self.env["stock.picking"].search(
            [("sale_id", "in", self._erp_orders().ids)]
        )

    def _erp_invoices(self):
        return self.env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("line_ids.sale_line_ids.order_id", "in", self._erp_orders().ids),
                ("state", "!=", "cancel"),
            ]
        )

    def _erp_document_action(self, xmlid, records, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["name"] = name
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {"create": False}
        if len(records) == 1:
            action["view_mode"] = "form"
            action["views"] = [
                (view_id, mode) for view_id, mode in action["views"] if mode == "form"
            ] or [(False, "form")]
            action["res_id"] = records.id
        return action

    @api.readonly
    def action_view_erp_deliveries(self):
        return self._erp_document_action(
            "stock.action_picking_tree_all",
            self._erp_deliveries(),
            self.env._("Deliveries of %(deal)s", deal=self.name),
        )

    @api.readonly
    def action_view_erp_invoices(self):
        return self._erp_document_action(
            "account.action_move_out_invoice_type",
            self._erp_invoices(),
            self.env._("Invoices of %(deal)s", deal=self.name),
        )

    @api.depends("partner_id.commercial_partner_id", "company_id")
    @api.depends_context("company")
    def _compute_customer_risk(self):
        self.overdue_receivable_amount = self.credit_limit_amount = 0.0
        self.credit_used_percent = 0.0
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        today = fields.Date.context_today(self)
        # Finance figures shown as a warning, like Odoo's own credit warning on
        # quotations: read as superuser, for the deal's customer only.
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id, aml.company_id,
                          SUM(aml.amount_residual)
                     FROM account_move_line aml
                     JOIN res_partner p ON p.id = aml.partner_id
                     JOIN account_account acc ON acc.id = aml.account_id
                    WHERE p.commercial_partner_id IN %(customers)s
                      AND acc.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted'
                      AND NOT aml.reconciled
                      AND aml.date_maturity < %(today)s
                    GROUP BY 1, 2""",
                customers=tuple(customers.ids),
                today=today,
            )
        )
        overdue = {(row[0], row[1]): row[2] for row in self.env.cr.fetchall()}
        for lead in self:
            customer = lead.partner_id.commercial_partner_id
            company = lead.company_id or self.env.company
            if not customer:
                continue
            lead.overdue_receivable_amount = overdue.get((customer.id, company.id), 0.0)
            partner = customer.with_company(company).sudo()
            if company.account_use_credit_limit and partner.credit_limit > 0:
                lead.credit_limit_amount = partner.credit_limit
                lead.credit_used_percent = 100.0 * partner.credit / partner.credit_limit

    @api.depends("order_ids.state", "order_ids.order_line.product_uom_qty")
    def _compute_stock_shortage(self):
        self.stock_shortage_html = False
        self.stock_short = False
        if not self.env.user._has_group("sales_team.group_sale_salesman"):
            return
        for lead in self.filtered("id"):
            quoted = defaultdict(float)
            quotations = lead.order_ids.filtered(lambda o: o.state in ("draft", "sent"))
            for line in quotations.order_line:
                product = line.product_id
                if not product.is_storable or line.display_type:
                    continue
                qty = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                quoted[product, line.order_id.warehouse_id] += qty
            if not quoted:
                continue
            rows = []
            for (product, warehouse), qty in sorted(
                quoted.items(), key=lambda item: item[0][0].display_name
            ):
                free = product.with_context(warehouse_id=warehouse.id).free_qty
                short = free < qty
                lead.stock_short = lead.stock_short or short
                rows.append(
                    Markup(
                        "<tr class='%s'><td>%s</td><td class='text-end'>%s</td>"
                        "<td class='text-end'>%s</td><td>%s</td></tr>"
                    )
                    % (
                        "text-danger" if short else "",
                        product.display_name,
                        f"{qty:g}",
                        f"{free:g}",
                        product.uom_id.name,
                    )
                )
            lead.stock_shortage_html = Markup(
                "<table class='table table-sm o_crm360_stock_shortage'><thead><tr>"
                "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Product"),
                self.env._("Quoted"),
                self.env._("Available"),
                self.env._("Unit"),
                Markup("").join(rows),
            )
