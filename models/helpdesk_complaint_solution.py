# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskComplaintSolution(models.Model):
    """A reusable solution extracted from a resolved complaint (提炼解决方案):
    searchable by agents, suggested on new complaints of the same class, and
    readable by sales as a self-help FAQ."""

    _name = "helpdesk.complaint.solution"
    _description = "Complaint Solution"
    _inherit = ["mail.thread"]
    _order = "applied_count desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    complaint_aspect_id = fields.Many2one(
        "helpdesk.complaint.category",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        help="The complaints this solution answers.",
    )
    complaint_object = fields.Selection(
        string="Complaint Object",
        related="complaint_aspect_id.complaint_object",
        store=True,
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        help="Leave empty when the solution applies to every product.",
    )
    problem = fields.Html(
        help="The problem as customers describe it.",
    )
    solution = fields.Html(
        required=True,
        help="What solved it, step by step.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Source Complaint",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        readonly=True,
        help="The resolved complaint the solution was extracted from.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        default=lambda self: self.env.user,
        required=True,
    )
    applied_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "complaint_solution_id",
        string="Applied On",
    )
    applied_count = fields.Integer(
        string="Times Applied",
        compute="_compute_applied_count",
        store=True,
        help="How many complaints were resolved with this solution.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the solution between companies.",
    )

    @api.depends("applied_ticket_ids")
    def _compute_applied_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [("complaint_solution_id", "in", self.ids)],
                ["complaint_solution_id"],
                ["__count"],
            )
        )
        for solution in self:
            solution.applied_count = counts.get(solution._origin, 0)

    def action_apply(self):
        """Apply this solution to the complaint the agent came from."""
        self.ensure_one()
        ticket = self.env["helpdesk.ticket"].browse(
            self.env.context.get("complaint_ticket_id")
        )
        if not ticket.exists():
            raise UserError(self.env._("Open a complaint to apply a solution to it."))
        ticket.complaint_solution_id = self
        ticket.message_post(
            body=self.env._(
                "Solution applied: %(solution)s", solution=self.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "target": "current",
        }
