# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .base import system_write
from .helpdesk_complaint_keyword import normalize_text
from .helpdesk_complaint_priority import (
    COMPLAINT_IMPORTANCE,
    COMPLAINT_URGENCY,
    shift_datetime,
)

_logger = logging.getLogger(__name__)

# Where a complaint stands against its deadlines.
COMPLAINT_DEADLINE_STATES = [
    ("on_time", "On Time"),
    ("approaching", "Approaching"),
    ("overdue", "Overdue"),
    # Not "Met": Chinese translates that word as meeting someone (an influencer
    # met in person).
    ("met", "Deadline Met"),
]
# Share of the resolution window left when a deadline counts as approaching.
APPROACHING_SHARE = 0.25
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
# Complaint handling is internal: these fields are read by helpdesk users only,
# never by a portal customer reading his own ticket (see README Security).
HELPDESK_USER_GROUP = "helpdesk_mgmt.group_helpdesk_user_own"
# Changing these may make a product or a lot recur (see _complaint_check_recurrence).
RECURRENCE_FIELDS = {"is_complaint", "complaint_aspect_id", "product_id", "lot_id"}


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "stage.history.mixin"]
    _stage_history_model = "helpdesk.ticket.stage.history"
    _stage_history_link = "ticket_id"
    # An archived ticket is not "lost": only its stages are recorded.
    _stage_history_track_active = False

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
        groups=HELPDESK_USER_GROUP,
    )
    complaint_object = fields.Selection(
        string="Complaint Object",
        related="complaint_aspect_id.complaint_object",
        store=True,
        index="btree_not_null",
        groups=HELPDESK_USER_GROUP,
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
        groups=HELPDESK_USER_GROUP,
    )
    complaint_importance = fields.Selection(
        COMPLAINT_IMPORTANCE,
        string="Importance",
        tracking=True,
        help="How much the complaint weighs for the business (重要程度). With the "
        "urgency, it sets the priority and the deadlines.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_priority_id = fields.Many2one(
        "helpdesk.complaint.priority",
        string="Priority Rule",
        compute="_compute_complaint_priority_id",
        store=True,
        help="The cell of the urgency × importance matrix this complaint falls in.",
        groups=HELPDESK_USER_GROUP,
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
        groups=HELPDESK_USER_GROUP,
    )
    complaint_resolution_deadline = fields.Datetime(
        string="Resolve By",
        compute="_compute_complaint_deadlines",
        store=True,
        index="btree_not_null",
        help="The complaint must be closed by then (from the priority matrix).",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_responded_date = fields.Datetime(
        string="Responded On",
        copy=False,
        readonly=True,
        help="When the first handling step was logged.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_deadline_state = fields.Selection(
        COMPLAINT_DEADLINE_STATES,
        string="Deadline",
        compute="_compute_complaint_deadline_state",
        search="_search_complaint_deadline_state",
        help="Approaching: less than a quarter of the resolution time is left.",
        groups=HELPDESK_USER_GROUP,
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

    # --- automatic classification -------------------------------------------------
    complaint_suggested_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        string="Suggested Aspect",
        readonly=True,
        copy=False,
        help="What crm_360 suggests this ticket complains about, from its subject "
        "and text.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggested_urgency = fields.Selection(
        COMPLAINT_URGENCY,
        string="Suggested Urgency",
        readonly=True,
        copy=False,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggestion_confidence = fields.Float(
        string="Confidence",
        readonly=True,
        copy=False,
        help="How sure the suggestion is, from 0 to 100%.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_suggestion_source = fields.Selection(
        [
            ("keywords", "Keyword Rules"),
            ("classifier", "Classifier"),
            ("both", "Keyword Rules and Classifier"),
        ],
        string="Suggested By",
        readonly=True,
        copy=False,
        help="Keyword rules decide when one of them names an aspect; the "
        "classifier suggests alone only when no rule matches.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_classification_state = fields.Selection(
        [
            ("suggested", "Suggestion to Review"),
            ("accepted", "Suggestion Accepted"),
            ("corrected", "Suggestion Corrected"),
            ("manual", "Classified by Hand"),
        ],
        string="Classification",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="How the complaint got its aspect. Accepted, corrected and hand-made "
        "classifications of closed complaints train the classifier.",
        groups=HELPDESK_USER_GROUP,
    )

    # --- dispatch and handling ---------------------------------------------------
    complaint_step_ids = fields.One2many(
        "helpdesk.complaint.step",
        "ticket_id",
        string="Handling Log",
        help="On-site resolution, escalation, later resolution and effect "
        "evaluation: who did what, when.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalated = fields.Boolean(
        string="Escalated",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_department_id = fields.Many2one(
        "hr.department",
        string="Escalated to Department",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalated to",
        copy=False,
        readonly=True,
        tracking=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_reason = fields.Text(
        string="Escalation Reason",
        copy=False,
        readonly=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_escalation_date = fields.Datetime(
        string="Escalated On",
        copy=False,
        readonly=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_alert_level = fields.Selection(
        [("approaching", "Approaching"), ("overdue", "Overdue")],
        string="Deadline Alert Sent",
        compute="_compute_complaint_alert_level",
        store=True,
        copy=False,
        help="The last deadline alert the daily check sent; reset when the "
        "deadlines change, so each alert goes out once.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_solution_id = fields.Many2one(
        "helpdesk.complaint.solution",
        string="Solution Applied",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The solution article this complaint was resolved with.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_solution_suggestion_ids = fields.Many2many(
        "helpdesk.complaint.solution",
        string="Suggested Solutions",
        compute="_compute_complaint_solution_suggestion_ids",
        help="Solutions saved from earlier complaints of the same class and product.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_solution_suggestion_count = fields.Integer(
        compute="_compute_complaint_solution_suggestion_ids",
        groups=HELPDESK_USER_GROUP,
    )

    # --- remedies ---------------------------------------------------------------
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

    # --- root cause ---------------------------------------------------------------
    complaint_root_cause_id = fields.Many2one(
        "helpdesk.complaint.root.cause",
        string="Root Cause",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="Why the complaint happened, as the analysis found (投诉根因).",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_root_cause_object = fields.Selection(
        string="Root Cause Category",
        related="complaint_root_cause_id.cause_object",
        store=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_root_cause_description = fields.Text(
        string="Root Cause Analysis",
        help="How the cause was found and what evidence supports it.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_action_ids = fields.One2many(
        "helpdesk.complaint.action",
        "ticket_id",
        string="Corrective and Preventive Actions",
        groups=HELPDESK_USER_GROUP,
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
        # The quality owner of an investigation reads its complaints without
        # any helpdesk right (see its rules): internal users, never the portal.
        groups="base.group_user",
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
            # A window beyond the last date there can be means no deadline.
            ticket.complaint_response_deadline = shift_datetime(
                start, hours=cell.response_hours
            )
            ticket.complaint_resolution_deadline = shift_datetime(
                start, hours=cell.resolution_hours
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
        # Not stored: the ORM does not check the field's groups on a search.
        self.check_field_access_rights("read", ["complaint_deadline_state"])
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
        self.env.cr.execute(
            SQL(
                """
                SELECT ticket.id
                  FROM helpdesk_ticket ticket
                  LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                 WHERE %(state)s IN %(states)s
                """,
                state=self._complaint_deadline_state_sql(),
                states=tuple(states) or (None,),
            )
        )
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]

    @api.model
    def _complaint_deadline_state_sql(self):
        """The rule of _complaint_deadline_state as an SQL expression on the
        aliases "ticket" (helpdesk_ticket) and "stage" (its stage), for searches
        and reports."""
        return SQL(
            """
            CASE
                WHEN ticket.complaint_resolution_deadline IS NULL THEN NULL
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
            END
            """,
            now=fields.Datetime.now(),
            share=APPROACHING_SHARE,
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

    @api.depends("complaint_response_deadline", "complaint_resolution_deadline")
    def _compute_complaint_alert_level(self):
        self.complaint_alert_level = False

    @api.depends("complaint_aspect_id", "product_id", "company_id")
    @api.depends_context("uid")
    def _compute_complaint_solution_suggestion_ids(self):
        Solution = self.env["helpdesk.complaint.solution"]
        aspects = self.complaint_aspect_id
        solutions = (
            Solution.search_fetch(
                [("complaint_aspect_id", "in", aspects.ids)],
                ["complaint_aspect_id", "product_id", "company_id"],
                order="applied_count desc, id desc",
            )
            if aspects
            else Solution
        )
        for ticket in self:
            matching = solutions.filtered(
                lambda solution, ticket=ticket: solution.complaint_aspect_id
                == ticket.complaint_aspect_id
                and solution.product_id in (ticket.product_id, Solution.product_id)
                and solution.company_id in (ticket.company_id, Solution.company_id)
            )
            ticket.complaint_solution_suggestion_ids = matching[:5]
            ticket.complaint_solution_suggestion_count = len(matching)

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

    @api.model_create_multi
    def create(self, vals_list):
        # Dispatch and suggestions set fields users may not type: check what the
        # user gave, then set ours.
        self._crm360_check_typed(vals_list)
        with system_write():
            Category = self.env["helpdesk.complaint.category"]
            for vals in vals_list:
                if vals.get("complaint_aspect_id"):
                    vals.update(
                        self._complaint_dispatch_vals(
                            Category.browse(vals["complaint_aspect_id"]), vals
                        )
                    )
                    vals.setdefault("complaint_classification_state", "manual")
            tickets = super().create(vals_list)
            tickets._complaint_check_recurrence()
            tickets.filtered(
                lambda ticket: not ticket.complaint_aspect_id
            )._complaint_suggest()
            return tickets

    def write(self, vals):
        self._crm360_check_typed([vals], creating=False)
        with system_write():
            if vals.get("complaint_aspect_id") and not (
                {"team_id", "user_id"} & vals.keys()
            ):
                aspect = self.env["helpdesk.complaint.category"].browse(
                    vals["complaint_aspect_id"]
                )
                moved = self.filtered(
                    lambda ticket: ticket.complaint_aspect_id != aspect
                )
                if moved and moved != self:
                    # Only the tickets changing aspect are dispatched again.
                    (self - moved).write(vals)
                    return moved.write(vals)
                if moved:
                    vals = dict(vals, **self._complaint_dispatch_vals(aspect, vals))
            res = super().write(vals)
            if RECURRENCE_FIELDS.intersection(vals):
                self._complaint_check_recurrence()
            if "complaint_aspect_id" in vals and not vals.keys() & {
                "complaint_classification_state"
            }:
                self._complaint_update_classification_state()
            return res

    def _complaint_update_classification_state(self):
        """Keep how each complaint got its aspect: an agent choosing another
        aspect than the suggestion corrects it (and teaches the classifier)."""
        by_state = defaultdict(lambda: self.browse())
        for ticket in self.filtered("complaint_aspect_id"):
            suggested = ticket.complaint_suggested_aspect_id
            if not suggested:
                state = "manual"
            elif suggested == ticket.complaint_aspect_id:
                state = "accepted"
            else:
                state = "corrected"
            if ticket.complaint_classification_state != state:
                by_state[state] |= ticket
        # A system field: the caller has just written the tickets.
        for state, tickets in by_state.items():
            tickets.sudo().write({"complaint_classification_state": state})

    def _complaint_suggest(self):
        """Suggest aspect and urgency from the subject and text of the tickets.
        A failure is logged and never blocks the ticket's creation."""
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                suggestions = self.sudo()._complaint_suggestions()
                for ticket, values in suggestions.items():
                    ticket.sudo().write(values)
        except Exception:  # noqa: BLE001 - suggesting must never block creating
            _logger.warning(
                "crm_360: no complaint suggestion for tickets %s",
                self.ids,
                exc_info=True,
            )

    def _complaint_suggestions(self):
        """{ticket: values} of the suggestions above the minimum confidence.
        Rules and classifiers are loaded once for the whole batch."""
        Keyword = self.env["helpdesk.complaint.keyword"]
        Classifier = self.env["helpdesk.complaint.classifier"]
        minimum = self._complaint_suggestion_minimum()
        rules = Keyword.search([])
        classifiers = {}
        result = {}
        urgency_rank = {
            key: rank for rank, (key, _label) in enumerate(COMPLAINT_URGENCY)
        }
        for ticket in self:
            company = ticket.company_id
            if company not in classifiers:
                classifiers[company] = Classifier._for_company(company)
            text = normalize_text(f"{ticket.name} {ticket.description or ''}")
            company_rules = rules.filtered(
                lambda rule, company=company: rule.company_id
                in (company, Keyword.company_id)
            )
            matched = company_rules._matches(text)
            scores = defaultdict(float)
            for rule in matched.filtered("category_id"):
                scores[rule.category_id.id] += rule.weight
            total = sum(scores.values())
            keyword_share = {
                aspect: score / (total + 1.0) for aspect, score in scores.items()
            }
            classifier = classifiers[company]
            predicted = classifier._predict(text) if classifier else {}
            values = {}
            best, confidence, source = self._complaint_suggested_aspect(
                keyword_share, predicted
            )
            if best and confidence >= minimum:
                values.update(
                    complaint_suggested_aspect_id=best,
                    complaint_suggestion_confidence=confidence,
                    complaint_suggestion_source=source,
                )
            urgencies = matched.filtered("urgency").mapped("urgency")
            if urgencies:
                values["complaint_suggested_urgency"] = max(
                    urgencies, key=urgency_rank.get
                )
            if values:
                values["complaint_classification_state"] = "suggested"
                result[ticket] = values
        return result

    @api.model
    def _complaint_suggested_aspect(self, keyword_share, predicted):
        """(aspect id, confidence, source) from the keyword rules' shares and the
        classifier's probabilities, or (None, 0.0, None).

        Keyword rules are what managers wrote down: when one matches, the
        aspect comes from the rules (the classifier only breaks a tie between
        rules and, when it agrees, raises the confidence). The learnt model
        suggests alone only when no rule names an aspect, so a model over-sure
        of itself never outvotes two rules saying the same thing.
        """
        if keyword_share:
            top = max(keyword_share.values())
            tied = [aspect for aspect, share in keyword_share.items() if share == top]
            best = max(tied, key=lambda aspect: (predicted.get(aspect, 0.0), -aspect))
            confidence = keyword_share[best]
            source = "keywords"
            if predicted and max(predicted, key=predicted.get) == best:
                source = "both"
                confidence = max(confidence, (confidence + predicted[best]) / 2)
            return best, confidence, source
        if predicted:
            best = max(predicted, key=predicted.get)
            return best, predicted[best], "classifier"
        return None, 0.0, None

    @api.model
    def _complaint_suggestion_minimum(self):
        percent = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_360.complaint_suggestion_min_percent", "30")
        )
        try:
            return max(1, min(100, int(percent))) / 100
        except ValueError:
            return 0.3

    def action_accept_complaint_suggestion(self):
        """Classify the complaints as suggested."""
        for ticket in self:
            if not (
                ticket.complaint_suggested_aspect_id
                or ticket.complaint_suggested_urgency
            ):
                raise UserError(
                    self.env._(
                        "There is no suggestion to accept on %(ticket)s.",
                        ticket=ticket.display_name,
                    )
                )
            values = {"is_complaint": True}
            if ticket.complaint_suggested_aspect_id:
                values["complaint_aspect_id"] = ticket.complaint_suggested_aspect_id.id
            if ticket.complaint_suggested_urgency and not ticket.complaint_urgency:
                values["complaint_urgency"] = ticket.complaint_suggested_urgency
            ticket.write(values)
            if ticket.complaint_classification_state == "suggested":
                ticket.sudo().complaint_classification_state = "accepted"
        return True

    def action_suggest_complaint_classification(self):
        """Suggest again, from the current subject and text, for the tickets
        not classified yet."""
        tickets = self.filtered(lambda ticket: not ticket.complaint_aspect_id)
        # System fields: cleared with superuser rights for a user who may change
        # the tickets.
        tickets.check_access("write")
        tickets.sudo().write(
            {
                "complaint_suggested_aspect_id": False,
                "complaint_suggested_urgency": False,
                "complaint_suggestion_confidence": 0.0,
                "complaint_suggestion_source": False,
                "complaint_classification_state": False,
            }
        )
        tickets._complaint_suggest()
        unclassified = tickets.filtered(
            lambda ticket: not ticket.complaint_suggested_aspect_id
            and not ticket.complaint_suggested_urgency
        )
        if unclassified == tickets:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "No suggestion: nothing in the text matches."
                    ),
                },
            }
        return True

    @api.model
    def _complaint_dispatch_vals(self, aspect, vals):
        """Team and handler a complaint of this aspect goes to (the category's
        dispatch settings), without overriding what the caller chose."""
        team, user = aspect._get_dispatch()
        dispatch = {}
        if team and not vals.get("team_id"):
            dispatch["team_id"] = team.id
        if user and not vals.get("user_id"):
            dispatch["user_id"] = user.id
            dispatch["assigned_date"] = fields.Datetime.now()
        return dispatch

    def action_complaint_escalate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate Complaint"),
            "res_model": "helpdesk.complaint.escalate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_complaint_save_solution(self):
        """Open a new solution article filled from this complaint: its class,
        product, problem and the handling steps that solved it."""
        self.ensure_one()
        steps = self.complaint_step_ids.filtered(
            lambda step: step.step_type in ("on_site", "follow_up")
        )
        solution = Markup("").join(
            Markup("<p>%s</p>") % step.description for step in steps
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Save as Solution"),
            "res_model": "helpdesk.complaint.solution",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_name": self.name,
                "default_complaint_aspect_id": self.complaint_aspect_id.id,
                "default_product_id": self.product_id.id,
                "default_problem": self.description,
                "default_solution": solution,
                "default_ticket_id": self.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_complaint_solutions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.helpdesk_complaint_solution_action"
        )
        action["domain"] = [("id", "in", self.complaint_solution_suggestion_ids.ids)]
        action["context"] = {"complaint_ticket_id": self.id}
        return action

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

    @api.model
    def _cron_complaint_deadline_alerts(self, batch_size=500):
        """Daily: an activity for the handler when a complaint's deadline comes
        near, and for the handler and the team leader once it has passed. Each
        alert goes out once per deadline (complaint_alert_level); runs in
        batches and reports its progress."""
        domain = [
            ("is_complaint", "=", True),
            ("stage_id.closed", "=", False),
            "|",
            "&",
            ("complaint_deadline_state", "=", "approaching"),
            ("complaint_alert_level", "=", False),
            "&",
            ("complaint_deadline_state", "=", "overdue"),
            ("complaint_alert_level", "!=", "overdue"),
        ]
        batch = self.search(
            domain, order="complaint_resolution_deadline, id", limit=batch_size
        )
        batch._complaint_send_deadline_alerts(fields.Datetime.now())
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=self.search_count(domain)
        )
        return batch

    def _complaint_send_deadline_alerts(self, now):
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        for ticket in self:
            state = ticket._complaint_deadline_state(now)
            handler = ticket.user_id or ticket.team_id.user_id
            recipients = handler
            if state == "overdue":
                recipients |= ticket.team_id.user_id
                summary = self.env._("Complaint overdue")
                note = self.env._(
                    "The complaint %(number)s was due by %(deadline)s.",
                    number=ticket.number,
                    deadline=fields.Datetime.to_string(
                        ticket.complaint_resolution_deadline
                    ),
                )
            else:
                summary = self.env._("Complaint deadline approaching")
                note = self.env._(
                    "The complaint %(number)s must be resolved by %(deadline)s.",
                    number=ticket.number,
                    deadline=fields.Datetime.to_string(
                        ticket.complaint_resolution_deadline
                    ),
                )
            for user in recipients:
                ticket.activity_schedule(
                    activity_type_id=todo_type.id,
                    summary=summary,
                    note=note,
                    user_id=user.id,
                    date_deadline=fields.Date.context_today(ticket),
                )
            ticket.sudo().complaint_alert_level = state

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

    # --- remedies ---------------------------------------------------------------
    def action_complaint_credit_note(self):
        """Open Odoo's credit-note wizard on the invoice concerned; the credit
        note it makes is linked to the complaint."""
        self._check_complaint_remedy("account.move.reversal")
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
        self._check_complaint_remedy("stock.return.picking")
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
        self._check_complaint_remedy("sale.order")
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
        self._check_complaint_remedy("loyalty.card")
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

    def action_view_complaint_credit_notes(self):
        return self._complaint_remedy_action(
            "account.action_move_out_refund_type", self.complaint_credit_note_ids
        )

    def action_view_complaint_returns(self):
        return self._complaint_remedy_action(
            "stock.action_picking_tree_all", self.complaint_return_picking_ids
        )

    def action_view_complaint_replacement_orders(self):
        return self._complaint_remedy_action(
            "sale.action_quotations_with_onboarding",
            self.complaint_replacement_order_ids,
        )

    def action_view_complaint_coupons(self):
        return self._complaint_remedy_action(
            "loyalty.loyalty_card_action", self.complaint_coupon_ids
        )

    def _check_complaint_remedy(self, model_name):
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

    @api.constrains(
        "company_id",
        "complaint_escalation_user_id",
        "complaint_escalation_department_id",
    )
    def _check_complaint_escalation_company(self):
        for ticket in self:
            message = ticket._complaint_escalation_company_error(
                ticket.complaint_escalation_user_id,
                ticket.complaint_escalation_department_id,
            )
            if message:
                raise ValidationError(message)

    def _complaint_escalation_company_error(self, user, department):
        """Why this complaint may not be escalated to ``user`` and
        ``department``, or None: a complaint is escalated within its company,
        to a person who may work for it (or he could not open it) and to a
        department of it or shared."""
        self.ensure_one()
        company = self.company_id
        if not company:
            return None
        if user and company not in user.sudo().company_ids:
            return self.env._(
                "%(user)s does not work for %(company)s, the company of the "
                "complaint, and could not open it: escalate to someone of that "
                "company.",
                user=user.sudo().name,
                company=company.name,
            )
        department_company = department.sudo().company_id
        if department and department_company and department_company != company:
            return self.env._(
                "The department %(department)s belongs to another company than "
                "the complaint (%(company)s).",
                department=department.sudo().name,
                company=company.name,
            )
        return None

    @api.constrains("complaint_root_cause_id", "complaint_investigation_id")
    def _check_complaint_root_cause_company(self):
        # helpdesk.ticket does not check its relations' companies by itself.
        self._check_company(["complaint_root_cause_id", "complaint_investigation_id"])

    def _complaint_check_recurrence(self):
        """Look for recurring complaints about the products and lots of these
        complaints (see helpdesk.complaint.investigation)."""
        complaints = self.sudo().filtered(
            lambda ticket: ticket.is_complaint
            and (ticket.product_id or ticket.lot_id)
            and not ticket.complaint_investigation_id
        )
        if complaints:
            self.env[
                "helpdesk.complaint.investigation"
            ].sudo()._check_complaint_recurrence(complaints)

    # ------------------------------------------------------------------
    # Stage history (stage.history.mixin)
    # ------------------------------------------------------------------

    def _stage_history_values(self, event):
        self.ensure_one()
        return {"team_id": self.team_id.id, "user_id": self.user_id.id}

    def _stage_history_init_columns(self):
        return {"team_id": SQL("rec.team_id"), "user_id": SQL("rec.user_id")}

    def _stage_history_init_stage_date_sql(self):
        return SQL("rec.last_stage_update")
