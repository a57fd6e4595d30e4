# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.helpdesk_complaint_category import COMPLAINT_OBJECTS
from ..models.helpdesk_ticket import COMPLAINT_DEADLINE_STATES


class HelpdeskComplaintReport(models.Model):
    """Complaint analysis (投诉分析): one row per complaint, to rank classes, root
    causes, products and customers by number of complaints (Pareto).

    Read through the ORM only: its record rules mirror helpdesk.ticket's, so an
    agent aggregates exactly the complaints he may open.
    """

    _name = "helpdesk.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    date = fields.Datetime(string="Registered On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned User", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)
    complaint_object = fields.Selection(COMPLAINT_OBJECTS, readonly=True)
    complaint_category_id = fields.Many2one(
        "helpdesk.complaint.category",
        string="Complaint Class",
        readonly=True,
        help="The top category of the complaint's aspect.",
    )
    complaint_aspect_id = fields.Many2one("helpdesk.complaint.category", readonly=True)
    root_cause_id = fields.Many2one("helpdesk.complaint.root.cause", readonly=True)
    root_cause_object = fields.Selection(
        COMPLAINT_OBJECTS, string="Root Cause Category", readonly=True
    )
    investigation_id = fields.Many2one(
        "helpdesk.complaint.investigation", readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    priority = fields.Selection(selection="_selection_priority", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    deadline_state = fields.Selection(
        COMPLAINT_DEADLINE_STATES, string="Deadline", readonly=True
    )
    nbr = fields.Integer(string="# Complaints", readonly=True)
    overdue_count = fields.Integer(
        string="# Overdue",
        readonly=True,
        help="Complaints closed after, or still open past, their deadline.",
    )

    currency_id = fields.Many2one("res.currency", readonly=True)
    cost = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="What the complaint's remedies cost: credit notes, goods replaced and "
        "goodwill coupons, in the company's currency.",
    )

    _depends = {
        "helpdesk.ticket": [
            "active",
            "is_complaint",
            "create_date",
            "company_id",
            "team_id",
            "user_id",
            "commercial_partner_id",
            "product_id",
            "lot_id",
            "complaint_object",
            "complaint_aspect_id",
            "complaint_root_cause_id",
            "complaint_root_cause_object",
            "complaint_investigation_id",
            "stage_id",
            "priority",
            "closed_date",
            "complaint_response_deadline",
            "complaint_resolution_deadline",
            "complaint_responded_date",
            "complaint_cost",
        ],
        "res.company": ["currency_id"],
        "helpdesk.ticket.stage": ["closed"],
        "helpdesk.complaint.category": ["parent_path"],
    }

    def _selection_priority(self):
        return self.env["helpdesk.ticket"]._fields["priority"].selection

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        return SQL(
            """
            SELECT ticket.id,
                   ticket.id AS ticket_id,
                   ticket.create_date AS date,
                   ticket.company_id,
                   ticket.team_id,
                   ticket.user_id,
                   ticket.commercial_partner_id AS partner_id,
                   ticket.product_id,
                   ticket.lot_id,
                   ticket.complaint_object,
                   NULLIF(split_part(aspect.parent_path, '/', 1), '')::integer
                       AS complaint_category_id,
                   ticket.complaint_aspect_id,
                   ticket.complaint_root_cause_id AS root_cause_id,
                   ticket.complaint_root_cause_object AS root_cause_object,
                   ticket.complaint_investigation_id AS investigation_id,
                   ticket.stage_id,
                   ticket.priority,
                   COALESCE(stage.closed, FALSE) AS is_closed,
                   %(deadline_state)s AS deadline_state,
                   1 AS nbr,
                   CASE WHEN %(deadline_state)s = 'overdue' THEN 1 ELSE 0 END
                       AS overdue_count,
                   COALESCE(ticket.complaint_cost, 0) AS cost,
                   company.currency_id
            """,
            deadline_state=self._deadline_state_sql(),
        )

    def _from(self):
        return SQL(
            """
            FROM helpdesk_ticket ticket
            JOIN res_company company ON company.id = ticket.company_id
            LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
            LEFT JOIN helpdesk_complaint_category aspect
                   ON aspect.id = ticket.complaint_aspect_id
            """
        )

    def _where(self):
        return SQL("WHERE ticket.is_complaint AND ticket.active")

    def _deadline_state_sql(self):
        return self.env["helpdesk.ticket"]._complaint_deadline_state_sql()
