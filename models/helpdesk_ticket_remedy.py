# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .helpdesk_ticket import HELPDESK_USER_GROUP

# Context key carrying the complaint into Odoo's return and credit-note wizards,
# which link the document they create back to it.
COMPLAINT_TICKET_CONTEXT = "crm_360_complaint_ticket_id"
# Remedy lists and the smart-button counts of what the user may read of them.
COMPLAINT_REMEDY_COUNTS = [
    ("complaint_credit_note_ids", "complaint_credit_note_count"),
    ("complaint_return_picking_ids", "complaint_return_picking_count"),
    ("complaint_replacement_order_ids", "complaint_replacement_order_count"),
    ("complaint_coupon_ids", "complaint_coupon_count"),
]


class HelpdeskTicketRemedy(models.Model):
    """Complaint remedies: credit notes, returns, free replacement orders and
    goodwill coupons made for a complaint (helpdesk.complaint.remedy.mixin on
    each document), and what they cost the company."""

    _inherit = "helpdesk.ticket"

    complaint_credit_note_ids = fields.One2many(
        "account.move",
        "complaint_ticket_id",
        string="Credit Notes",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Credit notes issued to the customer to remedy the complaint.",
    )
    complaint_credit_note_count = fields.Integer(
        string="Credit Note Count",
        compute="_compute_complaint_remedy_counts",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    complaint_return_picking_ids = fields.One2many(
        "stock.picking",
        "complaint_ticket_id",
        string="Returns",
        groups="stock.group_stock_user",
        help="Returns of the goods delivered, made for the complaint.",
    )
    complaint_return_picking_count = fields.Integer(
        string="Return Count",
        compute="_compute_complaint_remedy_counts",
        groups="stock.group_stock_user",
    )
    complaint_replacement_order_ids = fields.One2many(
        "sale.order",
        "complaint_ticket_id",
        string="Replacement Orders",
        groups="sales_team.group_sale_salesman",
        help="Orders replacing goods free of charge for the complaint.",
    )
    complaint_replacement_order_count = fields.Integer(
        string="Replacement Order Count",
        compute="_compute_complaint_remedy_counts",
        groups="sales_team.group_sale_salesman",
    )
    complaint_coupon_ids = fields.One2many(
        "loyalty.card",
        "complaint_ticket_id",
        string="Goodwill Coupons",
        groups="sales_team.group_sale_salesman",
        help="Coupons offered to the customer as a goodwill gesture.",
    )
    complaint_coupon_count = fields.Integer(
        string="Goodwill Coupon Count",
        compute="_compute_complaint_remedy_counts",
        groups="sales_team.group_sale_salesman",
    )
    complaint_currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Company Currency",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_credit_note_amount = fields.Monetary(
        string="Credited",
        currency_field="complaint_currency_id",
        compute="_compute_complaint_cost",
        store=True,
        help="Untaxed amount of the credit notes not cancelled, drafts included.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_replacement_cost = fields.Monetary(
        string="Goods Replaced",
        currency_field="complaint_currency_id",
        compute="_compute_complaint_cost",
        store=True,
        help="Cost of the goods given away on confirmed replacement orders; "
        "quotations not confirmed yet do not count.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_coupon_value = fields.Monetary(
        string="Coupons Offered",
        currency_field="complaint_currency_id",
        compute="_compute_complaint_cost",
        store=True,
        help="Value of the goodwill coupons when they were issued, used or not; "
        "archived coupons do not count.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_cost = fields.Monetary(
        currency_field="complaint_currency_id",
        compute="_compute_complaint_cost",
        store=True,
        help="What the remedies cost the company: credit notes, goods replaced "
        "on confirmed orders and goodwill coupons. Returns cost nothing: the "
        "goods come back.",
        groups=HELPDESK_USER_GROUP,
    )

    def _compute_complaint_remedy_counts(self):
        # Each count follows what the user may read of its documents.
        for list_field, count_field in COMPLAINT_REMEDY_COUNTS:
            Document = self.env[self._fields[list_field].comodel_name]
            counts = {}
            if self.ids and Document.has_access("read"):
                counts = dict(
                    Document._read_group(
                        [("complaint_ticket_id", "in", self.ids)],
                        ["complaint_ticket_id"],
                        ["__count"],
                    )
                )
            for ticket in self:
                ticket[count_field] = counts.get(ticket._origin, 0)

    @api.depends(
        "complaint_credit_note_ids.state",
        "complaint_credit_note_ids.amount_untaxed_signed",
        "complaint_replacement_order_ids.state",
        "complaint_replacement_order_ids.complaint_goods_cost",
        "complaint_coupon_ids.active",
        "complaint_coupon_ids.complaint_value",
    )
    def _compute_complaint_cost(self):
        for ticket in self:
            credit_notes = ticket.complaint_credit_note_ids.filtered(
                lambda move: move.state != "cancel"
            )
            # A quotation gives nothing away yet: only confirmed orders cost.
            orders = ticket.complaint_replacement_order_ids.filtered(
                lambda order: order.state == "sale"
            )
            coupons = ticket.complaint_coupon_ids.filtered("active")
            # A credit note's signed amount is negative: crediting costs money.
            credited = -sum(credit_notes.mapped("amount_untaxed_signed"))
            replaced = sum(orders.mapped("complaint_goods_cost"))
            offered = sum(coupons.mapped("complaint_value"))
            ticket.complaint_credit_note_amount = credited
            ticket.complaint_replacement_cost = replaced
            ticket.complaint_coupon_value = offered
            ticket.complaint_cost = credited + replaced + offered

    def action_complaint_credit_note(self):
        """Open Odoo's credit-note wizard on the invoice concerned; the credit
        note it makes is linked to the complaint."""
        self._ensure_complaint_remedy_allowed("account.move.reversal")
        invoice = self.invoice_id
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(
                self.env._(
                    "Set the invoice concerned first: a posted customer invoice."
                )
            )
        return {
            "name": self.env._("Credit Note"),
            "type": "ir.actions.act_window",
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "views": [(self.env.ref("account.view_account_move_reversal").id, "form")],
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_id": invoice.id,
                "active_ids": invoice.ids,
                "default_reason": self._complaint_remedy_reference(),
                COMPLAINT_TICKET_CONTEXT: self.id,
            },
        }

    def action_complaint_return(self):
        """Open Odoo's return wizard on the delivery concerned; the return it
        makes is linked to the complaint."""
        self._ensure_complaint_remedy_allowed("stock.return.picking")
        picking = self.picking_id
        if picking.picking_type_code != "outgoing" or picking.state != "done":
            raise UserError(
                self.env._(
                    "Set the delivery concerned first: only a done delivery can be "
                    "returned."
                )
            )
        return {
            "name": self.env._("Return"),
            "type": "ir.actions.act_window",
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "views": [
                (self.env.ref("stock.view_stock_return_picking_form").id, "form")
            ],
            "target": "new",
            "context": {
                "active_model": "stock.picking",
                "active_id": picking.id,
                "active_ids": picking.ids,
                COMPLAINT_TICKET_CONTEXT: self.id,
            },
        }

    def action_complaint_replacement_order(self):
        """Make a free quotation replacing the product complained about, and
        open it."""
        self._ensure_complaint_remedy_allowed("sale.order")
        if not self.product_id:
            raise UserError(self.env._("Set the product concerned first."))
        customer = self.commercial_partner_id
        if not customer:
            raise UserError(self.env._("Set the customer first."))
        quantity, uom = self._complaint_replacement_quantity()
        order_values = {
            "partner_id": customer.id,
            "company_id": self.company_id.id,
            "origin": self.number,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": quantity,
                        "product_uom": uom.id,
                        "price_unit": 0.0,
                    }
                ),
                Command.create(
                    {
                        "display_type": "line_note",
                        "name": self.env._(
                            "Free replacement (%(complaint)s)",
                            complaint=self._complaint_remedy_reference(),
                        ),
                    }
                ),
            ],
        }
        if self.sale_order_id:
            order_values["partner_shipping_id"] = (
                self.sale_order_id.partner_shipping_id.id
            )
        order = self.env["sale.order"].create(order_values)
        self._complaint_link_remedy(order)
        return {
            "name": self.env._("Replacement Order"),
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": order.id,
        }

    def action_complaint_coupon(self):
        """Open the goodwill coupon wizard."""
        self._ensure_complaint_remedy_allowed("loyalty.card")
        if not self.company_id.complaint_coupon_program_id:
            raise UserError(
                self.env._(
                    "No goodwill coupon program is set for %(company)s: choose one "
                    "in Settings > Helpdesk > Complaint Remedies.",
                    company=self.company_id.name,
                )
            )
        return {
            "name": self.env._("Goodwill Coupon"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.complaint.coupon",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    @api.readonly
    def action_view_complaint_credit_notes(self):
        return self._complaint_remedy_action(
            "account.action_move_out_refund_type", self.complaint_credit_note_ids
        )

    @api.readonly
    def action_view_complaint_returns(self):
        return self._complaint_remedy_action(
            "stock.action_picking_tree_all", self.complaint_return_picking_ids
        )

    @api.readonly
    def action_view_complaint_replacement_orders(self):
        return self._complaint_remedy_action(
            "sale.action_quotations_with_onboarding",
            self.complaint_replacement_order_ids,
        )

    @api.readonly
    def action_view_complaint_coupons(self):
        return self._complaint_remedy_action(
            "loyalty.loyalty_card_action", self.complaint_coupon_ids
        )

    def _ensure_complaint_remedy_allowed(self, model_name):
        """A remedy is made for one complaint, by a user allowed to create the
        document: Odoo's access rights decide, never sudo."""
        self.ensure_one()
        if not self.is_complaint:
            raise UserError(self.env._("Remedies are offered on complaints only."))
        self.check_access("write")
        self.env[model_name].check_access("create")

    def _complaint_link_remedy(self, documents):
        """Link remedy documents to this complaint. The link is a system field
        (it sets the complaint's cost): written with superuser rights, once the
        user's right to change the complaint is checked."""
        self.ensure_one()
        self.check_access("write")
        documents.sudo().write({"complaint_ticket_id": self.id})

    def _complaint_remedy_reference(self):
        self.ensure_one()
        return self.env._(
            "Complaint %(number)s: %(title)s", number=self.number, title=self.name
        )

    def _complaint_replacement_quantity(self):
        """One unit of the product: the ticket does not say how many of the
        goods ordered are faulty, so the user sets the quantity on the
        quotation (never the whole order by default)."""
        self.ensure_one()
        return 1.0, self.product_id.uom_id

    def _complaint_remedy_action(self, xmlid, documents):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        action.update(
            domain=[("complaint_ticket_id", "=", self.id)],
            context={"create": False},
        )
        if len(documents) == 1:
            forms = [view for view in action.get("views", []) if view[1] == "form"]
            action.update(views=forms or [(False, "form")], res_id=documents.id)
        return action
