# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import HELPDESK_USER_GROUP


class HelpdeskTicketIntake(models.Model):
    """Complaint intake: who complains, when and where, the documents
    concerned (order, delivery, lot, invoice, product) and the employee
    complained about; the open complaints of a customer."""

    _inherit = "helpdesk.ticket"

    complainant_id = fields.Many2one(
        "res.partner",
        compute="_compute_complainant_id",
        store=True,
        readonly=False,
        help="The person who complains, when not the ticket's contact itself.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant_phone",
        store=True,
        readonly=False,
        help="Where to call the complainant back.",
    )
    complaint_date = fields.Datetime(
        string="Occurred On",
        help="When the problem happened, as the complainant reports it.",
    )
    complaint_location = fields.Char(
        string="Place",
        help="Where the problem happened: site, shop, address...",
    )

    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        help="The product complained about.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        help="The order concerned; it narrows products, deliveries and invoices.",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        help="The delivery concerned.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        check_company=True,
        help="The lot or serial number of the product complained about.",
    )
    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        check_company=True,
        help="The customer invoice concerned.",
    )
    complaint_order_product_ids = fields.Many2many(
        "product.product",
        compute="_compute_complaint_order_documents",
        compute_sudo=True,
        help="Products of the order concerned.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_order_picking_ids = fields.Many2many(
        "stock.picking",
        compute="_compute_complaint_order_documents",
        compute_sudo=True,
        help="Deliveries of the order concerned.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_order_invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_complaint_order_documents",
        compute_sudo=True,
        help="Invoices of the order concerned.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_employee_id = fields.Many2one(
        "hr.employee",
        string="Employee Concerned",
        check_company=True,
        help="For complaints about staff: the employee complained about.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_staff_user_id = fields.Many2one(
        "res.users",
        string="User Concerned",
        compute="_compute_complaint_staff_user_id",
        store=True,
        readonly=False,
        help="For complaints about staff: the user complained about.",
        groups=HELPDESK_USER_GROUP,
    )

    @api.depends("partner_id")
    def _compute_complainant_id(self):
        for ticket in self:
            ticket.complainant_id = ticket.complainant_id or ticket.partner_id

    @api.depends("complainant_id")
    def _compute_complainant_phone(self):
        for ticket in self:
            ticket.complainant_phone = (
                ticket.complainant_id.phone
                or ticket.complainant_id.mobile
                or ticket.complainant_phone
            )

    @api.depends("sale_order_id")
    @api.depends_context("uid")
    def _compute_complaint_order_documents(self):
        # Read as superuser (the agent may not open the order), offered only as
        # far as the reader may open the deliveries and invoices himself.
        # One access check for all the tickets' documents, not one per ticket.
        reader = self.env(su=False)
        orders = self.sale_order_id
        pickings = orders.picking_ids.with_env(reader)._filtered_access("read")
        invoices = orders.invoice_ids.with_env(reader)._filtered_access("read")
        for ticket in self:
            order = ticket.sale_order_id
            ticket.complaint_order_product_ids = order.order_line.product_id
            ticket.complaint_order_picking_ids = order.picking_ids & pickings.sudo()
            ticket.complaint_order_invoice_ids = order.invoice_ids & invoices.sudo()

    @api.depends("complaint_employee_id")
    def _compute_complaint_staff_user_id(self):
        for ticket in self:
            ticket.complaint_staff_user_id = (
                ticket.complaint_employee_id.user_id or ticket.complaint_staff_user_id
            )

    @api.constrains(
        "sale_order_id",
        "product_id",
        "picking_id",
        "invoice_id",
        "lot_id",
        "partner_id",
    )
    def _check_complaint_documents(self):
        # The documents must agree whoever registers the complaint: an agent
        # without sales or accounting rights included. The checks read them with
        # superuser rights; a message names only what the user may read himself.
        def fail(records, message):
            if all(
                record.with_env(self.env).has_access("read")
                for record in records
                if record
            ):
                raise ValidationError(message())
            raise ValidationError(
                self.env._(
                    "The documents of this complaint do not agree: check that its "
                    "order, delivery, invoice, product and lot belong together and "
                    "to its customer."
                )
            )

        for ticket in self.sudo():
            order = ticket.sale_order_id
            customer = ticket.commercial_partner_id
            documents = [
                (order, order.partner_id),
                (ticket.picking_id, ticket.picking_id.partner_id),
                (ticket.invoice_id, ticket.invoice_id.partner_id),
            ]
            for document, partner in documents:
                if document and customer and partner.commercial_partner_id != customer:
                    fail(
                        [document, customer],
                        lambda document=document, customer=customer: self.env._(
                            "%(document)s is not a document of %(customer)s.",
                            document=document.display_name,
                            customer=customer.display_name,
                        ),
                    )
            invoice = ticket.invoice_id
            if invoice and invoice.move_type not in ("out_invoice", "out_refund"):
                fail(
                    [invoice],
                    lambda invoice=invoice: self.env._(
                        "%(move)s is not a customer invoice.",
                        move=invoice.display_name,
                    ),
                )
            if order:
                product = ticket.product_id
                if product and product not in order.order_line.product_id:
                    fail(
                        [product, order],
                        lambda product=product, order=order: self.env._(
                            "%(product)s was not sold on %(order)s.",
                            product=product.display_name,
                            order=order.display_name,
                        ),
                    )
                picking = ticket.picking_id
                if picking and picking not in order.picking_ids:
                    fail(
                        [picking, order],
                        lambda picking=picking, order=order: self.env._(
                            "%(picking)s is not a delivery of %(order)s.",
                            picking=picking.display_name,
                            order=order.display_name,
                        ),
                    )
                if invoice and invoice not in order.invoice_ids:
                    fail(
                        [invoice, order],
                        lambda invoice=invoice, order=order: self.env._(
                            "%(invoice)s is not an invoice of %(order)s.",
                            invoice=invoice.display_name,
                            order=order.display_name,
                        ),
                    )
            lot = ticket.lot_id
            if lot and ticket.product_id and lot.product_id != ticket.product_id:
                fail(
                    [lot, ticket.product_id],
                    lambda lot=lot, product=ticket.product_id: self.env._(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=lot.display_name,
                        product=product.display_name,
                    ),
                )

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        if self.product_id not in order.order_line.product_id:
            products = order.order_line.product_id
            self.product_id = products if len(products) == 1 else False
        if self.picking_id not in order.picking_ids:
            self.picking_id = (
                order.picking_ids if len(order.picking_ids) == 1 else False
            )
        if self.invoice_id not in order.invoice_ids:
            invoices = order.invoice_ids.filtered(
                lambda move: move.move_type == "out_invoice"
            )
            self.invoice_id = invoices if len(invoices) == 1 else False

    @api.onchange("product_id")
    def _onchange_product_id_lot(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.model
    def _complaint_open_domain(self, commercial_partners):
        return [
            ("is_complaint", "=", True),
            ("stage_id.closed", "=", False),
            ("commercial_partner_id", "in", commercial_partners.ids),
        ]

    @api.model
    def _complaint_open_counts(self, commercial_partners):
        """{commercial partner: open complaints the current user may open}."""
        if not commercial_partners.ids:
            return {}
        # _read_group applies the record rules of the current user.
        return dict(
            self._read_group(
                self._complaint_open_domain(commercial_partners),
                ["commercial_partner_id"],
                ["__count"],
            )
        )

    @api.model
    def _complaint_action_for(self, commercial_partner):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["name"] = self.env._(
            "Open Complaints of %(customer)s", customer=commercial_partner.display_name
        )
        action["domain"] = self._complaint_open_domain(commercial_partner)
        action["context"] = {
            "default_partner_id": commercial_partner.id,
            "default_is_complaint": True,
        }
        return action
