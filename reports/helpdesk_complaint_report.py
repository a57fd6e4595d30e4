# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.helpdesk_complaint_category import COMPLAINT_OBJECTS
from ..models.helpdesk_ticket_deadline import COMPLAINT_DEADLINE_STATES

# Groups of these fields without a value are complaints nobody classified yet.
UNCLASSIFIED_GROUPS = ("complaint_category_id", "complaint_aspect_id", "root_cause_id")


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

    cumulative_share = fields.Float(
        string="Cumulative %",
        readonly=True,
        # Not a sum of rows: the grouped reads fill it in (the largest share
        # reached by the group in the ranking).
        aggregator="max",
        help="Pareto: the share of the complaints in this group and in every "
        "larger group, largest first (ties by name, not classified last), out "
        "of the complaints shown. Grouped by several fields, the groups of the "
        "first field are ranked within each group of the others. Meaningful in "
        "grouped views only; sort by # Complaints, largest first, to read it.",
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
                   0.0 AS cumulative_share,
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

    @api.model
    @api.readonly
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """The views' grouped reads: the cumulative share of the Pareto filled
        in, and the complaints without a class or root cause named "Not
        classified" (not "None")."""
        groups = super().read_group(
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        if lazy:
            groupby = groupby[:1]
        if any(spec.split(":")[0] == "cumulative_share" for spec in fields):
            self._fill_cumulative_share(domain, groups, groupby)
        for spec in groupby:
            if spec in UNCLASSIFIED_GROUPS:
                for group in groups:
                    if group.get(spec) is False:
                        group[spec] = (False, self.env._("Not classified"))
        return groups

    @api.model
    def _fill_cumulative_share(self, domain, groups, groupby):
        """Set the cumulative share (%) of each group: its groups of the first
        groupby ranked by number of complaints, largest first, within each
        combination of the other groupbys; the group without a value (not
        classified) comes last, as it is no cause. Counted over every group of
        the domain the user may read, not only the page read."""
        if not groupby:
            for group in groups:
                group["cumulative_share"] = 100.0 if group.get("__count") else 0.0
            return

        def key(group):
            return tuple(
                value[0] if isinstance(value, list | tuple) else value
                for value in (group.get(spec) for spec in groupby)
            )

        every = super().read_group(domain, ["nbr:sum"], groupby, lazy=False)
        ranked = defaultdict(list)
        for group in every:
            values = key(group)
            label = group.get(groupby[0])
            label = label[1] if isinstance(label, list | tuple) else label
            ranked[values[1:]].append(
                (values[0] is False, -group["__count"], str(label), values)
            )
        shares = {}
        for rows in ranked.values():
            total = -sum(row[1] for row in rows)
            running = 0
            for _unclassified, count, _label, values in sorted(
                rows, key=lambda row: row[:3]
            ):
                running -= count
                shares[values] = 100.0 * running / total if total else 0.0
        for group in groups:
            group["cumulative_share"] = shares.get(key(group), 0.0)
