# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models

from .helpdesk_ticket import HELPDESK_USER_GROUP


class HelpdeskTicketSolution(models.Model):
    """Complaint solutions: the solution article applied, the articles of
    earlier complaints suggested, and saving a complaint's handling as one."""

    _inherit = "helpdesk.ticket"

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

    @api.readonly
    def action_view_complaint_solutions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.helpdesk_complaint_solution_action"
        )
        action["domain"] = [("id", "in", self.complaint_solution_suggestion_ids.ids)]
        action["context"] = {"complaint_ticket_id": self.id}
        return action
