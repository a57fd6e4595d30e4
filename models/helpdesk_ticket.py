# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .helpdesk_complaint_priority import COMPLAINT_IMPORTANCE, COMPLAINT_URGENCY

# Where a complaint stands against its deadlines.
COMPLAINT_DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("approaching", "Approaching"),
    ("overdue", "Overdue"),
    ("met", "Met"),
]
# Share of the resolution window left when a deadline counts as approaching.
APPROACHING_SHARE = 0.25
# Changing these may make a product or a lot recur (see _complaint_check_recurrence).
RECURRENCE_FIELDS = {"is_complaint", "complaint_aspect_id", "product_id", "lot_id"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # --- classification ---------------------------------------------------------
    is_complaint = fields.Boolean(
        string="Complaint",
        compute="_compute_is_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The customer complains (投诉), as opposed to asking for help.",
    )
    complaint_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="What exactly is complained about: a category of the complaint "
        "classification.",
    )
    complaint_object = fields.Selection(
        string="Complaint Object",
        related="complaint_aspect_id.complaint_object",
        store=True,
        index="btree_not_null",
    )

    # --- intake -----------------------------------------------------------------
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
    complaint_urgency = fields.Selection(
        COMPLAINT_URGENCY,
        string="Urgency",
        tracking=True,
        help="How fast the customer needs an answer (紧急程度). With the "
        "importance, it sets the priority and the deadlines.",
    )
    complaint_importance = fields.Selection(
        COMPLAINT_IMPORTANCE,
        string="Importance",
        tracking=True,
        help="How much the complaint weighs for the business (重要程度). With the "
        "urgency, it sets the priority and the deadlines.",
    )
    complaint_priority_id = fields.Many2one(
        "helpdesk.complaint.priority",
        string="Priority Rule",
        compute="_compute_complaint_priority_id",
        store=True,
        help="The cell of the urgency × importance matrix this complaint falls in.",
    )
    # The matrix sets a complaint's priority; the computed "Medium" replaces
    # helpdesk_mgmt's default, which would otherwise pre-empt the matrix.
    priority = fields.Selection(
        compute="_compute_priority",
        store=True,
        readonly=False,
        default=None,
    )
    complaint_response_deadline = fields.Datetime(
        string="Respond By",
        compute="_compute_complaint_deadlines",
        store=True,
        help="The first handling step is due by then (from the priority matrix).",
    )
    complaint_resolution_deadline = fields.Datetime(
        string="Resolve By",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
        help="The complaint must be closed by then (from the priority matrix).",
    )
    complaint_responded_date = fields.Datetime(
        string="Responded On",
        copy=False,
        readonly=True,
        help="When the first handling step was logged.",
    )
    complaint_deadline_state = fields.Selection(
        COMPLAINT_DEADLINE_STATES,
        string="Deadline",
        compute="_compute_complaint_deadline_state",
        search="_search_complaint_deadline_state",
        help="Approaching: less than a quarter of the resolution time is left.",
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
        help="Products of the order concerned.",
    )
    complaint_order_picking_ids = fields.Many2many(
        "stock.picking",
        compute="_compute_complaint_order_documents",
        help="Deliveries of the order concerned.",
    )
    complaint_order_invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_complaint_order_documents",
        help="Invoices of the order concerned.",
    )
    complaint_employee_id = fields.Many2one(
        "hr.employee",
        string="Employee Concerned",
        check_company=True,
        help="For complaints about staff: the employee complained about.",
    )
    complaint_staff_user_id = fields.Many2one(
        "res.users",
        string="User Concerned",
        compute="_compute_complaint_staff_user_id",
        store=True,
        readonly=False,
        help="For complaints about staff: the user complained about.",
    )

    @api.depends("complaint_aspect_id")
    def _compute_is_complaint(self):
        # Classifying a ticket as a complaint makes it one; clearing the
        # classification does not turn a complaint back into a question.
        for ticket in self:
            ticket.is_complaint = (
                bool(ticket.complaint_aspect_id) or ticket.is_complaint
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

    @api.depends("complaint_urgency", "complaint_importance", "company_id")
    def _compute_complaint_priority_id(self):
        keys = {
            ticket: (
                ticket.complaint_urgency,
                ticket.complaint_importance,
                ticket.company_id.id,
            )
            for ticket in self
        }
        cells = self.env["helpdesk.complaint.priority"]._find_cells(
            {key for key in keys.values() if key[0] and key[1]}
        )
        for ticket, key in keys.items():
            ticket.complaint_priority_id = cells.get(key, False)

    @api.depends("complaint_priority_id")
    def _compute_priority(self):
        for ticket in self:
            # Without a matrix cell the priority stays what the user chose.
            ticket.priority = (
                ticket.complaint_priority_id.priority or ticket.priority or "1"
            )

    @api.depends(
        "is_complaint",
        "create_date",
        "complaint_priority_id.response_hours",
        "complaint_priority_id.resolution_hours",
    )
    def _compute_complaint_deadlines(self):
        for ticket in self:
            cell = ticket.complaint_priority_id
            if not (ticket.is_complaint and cell):
                ticket.complaint_response_deadline = False
                ticket.complaint_resolution_deadline = False
                continue
            start = ticket.create_date or fields.Datetime.now()
            ticket.complaint_response_deadline = start + timedelta(
                hours=cell.response_hours
            )
            ticket.complaint_resolution_deadline = start + timedelta(
                hours=cell.resolution_hours
            )

    @api.depends(
        "complaint_response_deadline",
        "complaint_resolution_deadline",
        "complaint_responded_date",
        "closed",
        "closed_date",
    )
    def _compute_complaint_deadline_state(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_deadline_state = ticket._complaint_deadline_state(now)

    def _complaint_deadline_state(self, now):
        self.ensure_one()
        deadline = self.complaint_resolution_deadline
        if not deadline:
            return False
        if self.closed:
            return "met" if (self.closed_date or now) <= deadline else "overdue"
        if now > deadline or (
            not self.complaint_responded_date
            and self.complaint_response_deadline
            and now > self.complaint_response_deadline
        ):
            return "overdue"
        window = deadline - (self.create_date or now)
        if deadline - now <= window * APPROACHING_SHARE:
            return "approaching"
        return "on_time"

    def _search_complaint_deadline_state(self, operator, value):
        if operator not in ("=", "in"):
            raise ValidationError(
                self.env._("Deadlines can only be searched by their state.")
            )
        states = [value] if operator == "=" else list(value)
        self.flush_model(
            [
                "complaint_response_deadline",
                "complaint_resolution_deadline",
                "complaint_responded_date",
                "stage_id",
                "closed_date",
            ]
        )
        # The same rule as _complaint_deadline_state, in one statement.
        self.env.cr.execute(
            SQL(
                """
                SELECT ticket.id
                  FROM helpdesk_ticket ticket
                  LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                 WHERE ticket.complaint_resolution_deadline IS NOT NULL
                   AND CASE
                       WHEN stage.closed THEN
                           CASE WHEN COALESCE(ticket.closed_date, %(now)s)
                                     <= ticket.complaint_resolution_deadline
                                THEN 'met' ELSE 'overdue' END
                       WHEN %(now)s > ticket.complaint_resolution_deadline
                         OR (ticket.complaint_responded_date IS NULL
                             AND %(now)s > ticket.complaint_response_deadline)
                           THEN 'overdue'
                       WHEN ticket.complaint_resolution_deadline - %(now)s
                            <= (ticket.complaint_resolution_deadline
                                - COALESCE(ticket.create_date, %(now)s)) * %(share)s
                           THEN 'approaching'
                       ELSE 'on_time'
                   END IN %(states)s
                """,
                now=fields.Datetime.now(),
                share=APPROACHING_SHARE,
                states=tuple(states) or (None,),
            )
        )
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]

    @api.depends("sale_order_id")
    def _compute_complaint_order_documents(self):
        for ticket in self:
            order = ticket.sale_order_id
            ticket.complaint_order_product_ids = order.order_line.product_id
            ticket.complaint_order_picking_ids = order.picking_ids
            ticket.complaint_order_invoice_ids = order.invoice_ids

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
        for ticket in self:
            order = ticket.sale_order_id
            customer = ticket.commercial_partner_id
            documents = [
                (order, order.partner_id),
                (ticket.picking_id, ticket.picking_id.partner_id),
                (ticket.invoice_id, ticket.invoice_id.partner_id),
            ]
            for document, partner in documents:
                if document and customer and partner.commercial_partner_id != customer:
                    raise ValidationError(
                        self.env._(
                            "%(document)s is not a document of %(customer)s.",
                            document=document.display_name,
                            customer=customer.display_name,
                        )
                    )
            if ticket.invoice_id and ticket.invoice_id.move_type not in (
                "out_invoice",
                "out_refund",
            ):
                raise ValidationError(
                    self.env._(
                        "%(move)s is not a customer invoice.",
                        move=ticket.invoice_id.display_name,
                    )
                )
            if order:
                if ticket.product_id and ticket.product_id not in (
                    order.order_line.product_id
                ):
                    raise ValidationError(
                        self.env._(
                            "%(product)s was not sold on %(order)s.",
                            product=ticket.product_id.display_name,
                            order=order.display_name,
                        )
                    )
                if ticket.picking_id and ticket.picking_id not in order.picking_ids:
                    raise ValidationError(
                        self.env._(
                            "%(picking)s is not a delivery of %(order)s.",
                            picking=ticket.picking_id.display_name,
                            order=order.display_name,
                        )
                    )
                if ticket.invoice_id and ticket.invoice_id not in order.invoice_ids:
                    raise ValidationError(
                        self.env._(
                            "%(invoice)s is not an invoice of %(order)s.",
                            invoice=ticket.invoice_id.display_name,
                            order=order.display_name,
                        )
                    )
            if (
                ticket.lot_id
                and ticket.product_id
                and ticket.lot_id.product_id != ticket.product_id
            ):
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=ticket.lot_id.display_name,
                        product=ticket.product_id.display_name,
                    )
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

    # --- root cause ---------------------------------------------------------------
    complaint_root_cause_id = fields.Many2one(
        "helpdesk.complaint.root.cause",
        string="Root Cause",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="Why the complaint happened, as the analysis found (投诉根因).",
    )
    complaint_root_cause_object = fields.Selection(
        string="Root Cause Category",
        related="complaint_root_cause_id.cause_object",
        store=True,
    )
    complaint_root_cause_description = fields.Text(
        string="Root Cause Analysis",
        help="How the cause was found and what evidence supports it.",
    )
    complaint_action_ids = fields.One2many(
        "helpdesk.complaint.action",
        "ticket_id",
        string="Corrective and Preventive Actions",
    )
    complaint_investigation_id = fields.Many2one(
        "helpdesk.complaint.investigation",
        string="Investigation",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        check_company=True,
        copy=False,
        help="The investigation of recurring complaints this complaint is part of; "
        "set automatically when its product or lot reaches the recurrence "
        "threshold.",
    )

    @api.constrains("complaint_root_cause_id", "complaint_investigation_id")
    def _check_complaint_root_cause_company(self):
        # helpdesk.ticket does not check its relations' companies by itself.
        self._check_company(["complaint_root_cause_id", "complaint_investigation_id"])

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._complaint_check_recurrence()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if RECURRENCE_FIELDS.intersection(vals):
            self._complaint_check_recurrence()
        return res

    def _complaint_check_recurrence(self):
        """Look for recurring complaints about the products and lots of these
        complaints (see helpdesk.complaint.investigation)."""
        complaints = self.filtered(
            lambda ticket: ticket.is_complaint
            and (ticket.product_id or ticket.lot_id)
            and not ticket.complaint_investigation_id
        )
        if complaints:
            self.env[
                "helpdesk.complaint.investigation"
            ].sudo()._check_complaint_recurrence(complaints.sudo())
