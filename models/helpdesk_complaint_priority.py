# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

# Two separate axes of a complaint (紧急程度 / 重要程度), shared with the tickets.
COMPLAINT_URGENCY = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
COMPLAINT_IMPORTANCE = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]


def shift_datetime(moment, days=0.0, hours=0.0):
    """``moment`` moved by ``days`` and ``hours`` (negative to go back), or None
    when the result is not a date Python and PostgreSQL can hold (a stored
    setting far too large): callers read None as "no such date"."""
    try:
        return moment + timedelta(days=days, hours=hours)
    except (OverflowError, ValueError):
        return None


# helpdesk_mgmt's ticket priorities.
TICKET_PRIORITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Very High"),
]


class HelpdeskComplaintPriority(models.Model):
    """One cell of the urgency × importance matrix: the priority a complaint gets
    and how long the team has to respond and to resolve it."""

    _name = "helpdesk.complaint.priority"
    _description = "Complaint Priority Matrix"
    _order = "company_id, urgency desc, importance desc, id"
    _check_company_auto = True

    urgency = fields.Selection(
        COMPLAINT_URGENCY,
        required=True,
        help="How fast the customer needs an answer (紧急程度).",
    )
    importance = fields.Selection(
        COMPLAINT_IMPORTANCE,
        required=True,
        help="How much the complaint weighs for the business (重要程度).",
    )
    priority = fields.Selection(
        TICKET_PRIORITIES,
        required=True,
        default="1",
        help="The helpdesk priority a complaint in this cell gets.",
    )
    response_hours = fields.Float(
        bounds=(0, 8760),
        string="Respond Within (Hours)",
        required=True,
        help="Hours from the complaint's registration to the first handling step.",
    )
    resolution_hours = fields.Float(
        bounds=(0, 8760),
        string="Resolve Within (Hours)",
        required=True,
        help="Hours from the complaint's registration to its closing.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to apply the cell to every company without its own matrix.",
    )

    _sql_constraints = [
        (
            "cell_uniq",
            "unique nulls not distinct (urgency, importance, company_id)",
            "The matrix already has a cell for this urgency and importance.",
        ),
        (
            "hours_positive",
            "CHECK (response_hours > 0 AND resolution_hours >= response_hours)",
            "Response time must be positive and resolution time at least as long.",
        ),
    ]

    @api.depends("urgency", "importance")
    def _compute_display_name(self):
        urgency = dict(self._fields["urgency"]._description_selection(self.env))
        importance = dict(self._fields["importance"]._description_selection(self.env))
        for cell in self:
            cell.display_name = self.env._(
                "Urgency %(urgency)s × Importance %(importance)s",
                urgency=urgency.get(cell.urgency, ""),
                importance=importance.get(cell.importance, ""),
            )

    @api.model
    def _find_cells(self, keys):
        """Return {(urgency, importance, company_id): cell} for the given keys; a
        company's own cell wins over a shared one. One query for the whole batch."""
        companies = {key[2] for key in keys}
        cells = self.search(
            [("company_id", "in", [*companies, False])],
            order="company_id nulls last",
        )
        found = {}
        for cell in cells:
            for company_id in companies:
                if cell.company_id.id in (company_id, False):
                    found.setdefault((cell.urgency, cell.importance, company_id), cell)
        return {key: found.get(key, self.browse()) for key in keys}
