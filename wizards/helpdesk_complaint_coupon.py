# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from math import floor

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context


class HelpdeskComplaintCoupon(models.TransientModel):
    """Offer a goodwill coupon on a complaint: a loyalty.card of a coupon
    program, reserved for the customer and linked back to the complaint."""

    _name = "helpdesk.complaint.coupon"
    _inherit = ["helpdesk.complaint.wizard.mixin"]
    _description = "Goodwill Coupon for a Complaint"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    currency_id = fields.Many2one(related="ticket_id.company_id.currency_id")
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id")
    complainant_id = fields.Many2one(related="ticket_id.complainant_id")
    program_id = fields.Many2one(
        "loyalty.program",
        compute="_compute_program_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('program_type', '=', 'coupons'), "
        "('company_id', 'in', (False, company_id))]",
        help="The coupon program; by default the one set for complaints in the "
        "settings.",
    )
    point_name = fields.Char(related="program_id.portal_point_name")
    partner_id = fields.Many2one(
        "res.partner",
        string="For",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="['|', ('id', '=', complainant_id), "
        "('id', 'child_of', commercial_partner_id or [])]",
        help="Who the coupon is reserved for: the customer, or the complainant.",
    )
    points = fields.Float(
        bounds=(0, 1_000_000),
        compute="_compute_points",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Points granted on the coupon; the program's reward turns them into "
        "a discount.",
    )
    expiration_date = fields.Date(string="Valid Until")
    value = fields.Monetary(
        string="Goodwill Value",
        compute="_compute_value",
        help="What the coupon is worth, counted in the complaint's cost: the best "
        "reward the points can buy (fixed discounts, the maximum of a percentage "
        "discount, the cost of free products).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        compute="_compute_mail_template_id",
        help="The program's e-mail sent when a coupon is created.",
    )
    send_mail = fields.Boolean(
        string="Send by E-mail",
        default=True,
        help="Send the coupon with the program's e-mail to the customer.",
    )

    @api.depends("ticket_id")
    def _compute_program_id(self):
        for wizard in self:
            wizard.program_id = (
                wizard.program_id or wizard.company_id.complaint_coupon_program_id
            )

    @api.depends("ticket_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = (
                wizard.partner_id
                or wizard.commercial_partner_id
                or wizard.complainant_id
            )

    @api.depends("program_id")
    def _compute_points(self):
        # One claim of the cheapest reward.
        for wizard in self:
            wizard.points = (
                min(wizard.program_id.reward_ids.mapped("required_points"), default=0)
                or 1.0
            )

    @api.depends("program_id", "points", "company_id")
    def _compute_value(self):
        for wizard in self:
            wizard.value = wizard._coupon_value()

    @api.depends("program_id")
    def _compute_mail_template_id(self):
        for wizard in self:
            wizard.mail_template_id = wizard.program_id.communication_plan_ids.filtered(
                lambda plan: plan.trigger == "create"
            ).mail_template_id[:1]

    def action_issue(self):
        self.ensure_one()
        program = self.program_id
        ticket = self.ticket_id
        ticket.check_access("write")
        if self.points <= 0:
            raise UserError(self.env._("A goodwill coupon needs some points."))
        if program.program_type != "coupons":
            raise UserError(
                self.env._("%(program)s is not a coupon program.", program=program.name)
            )
        if program.company_id and program.company_id != ticket.company_id:
            raise UserError(
                self.env._(
                    "%(program)s belongs to another company than the complaint.",
                    program=program.name,
                )
            )
        send = self.send_mail and bool(self.mail_template_id)
        if send and not self.partner_id.email:
            raise UserError(
                self.env._(
                    "%(partner)s has no e-mail address: set one, pick another "
                    "person or do not send the coupon by e-mail.",
                    partner=self.partner_id.display_name,
                )
            )
        # Without the wizard's defaults; loyalty sends the program's "at
        # creation" e-mail itself unless told not to.
        env = self.env(context=clean_context(self.env.context))
        coupon = (
            env["loyalty.card"]
            .with_context(loyalty_no_mail=not send)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": self.partner_id.id,
                    "points": self.points,
                    "expiration_date": self.expiration_date,
                }
            )
        )
        # The link and the value are system fields (they set the complaint's
        # cost): written with superuser rights once the user's right to change
        # the complaint is checked.
        coupon.sudo().write(
            {"complaint_ticket_id": ticket.id, "complaint_value": self.value}
        )
        env["loyalty.history"].create(
            {
                "card_id": coupon.id,
                "description": self.env._(
                    "Goodwill for %(complaint)s",
                    complaint=ticket._complaint_remedy_reference(),
                ),
                "issued": self.points,
            }
        )
        return {
            "name": self.env._("Goodwill Coupon"),
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": coupon.id,
        }

    def _coupon_value(self):
        """The coupon's worth in the complaint's currency: the best of what its
        points buy with each reward of the program."""
        self.ensure_one()
        program = self.program_id
        if not program or self.points <= 0 or not self.currency_id:
            return 0.0
        date = fields.Date.context_today(self)
        values = [0.0]
        for reward in program.reward_ids:
            claims = floor(self.points / reward.required_points)
            if reward.reward_type == "product":
                # Free products cost what the company paid for them.
                products = reward.reward_product_ids.with_company(self.company_id)
                unit_cost = max(products.mapped("standard_price"), default=0.0)
                values.append(claims * reward.reward_product_qty * unit_cost)
                continue
            if reward.reward_type != "discount":
                continue
            cap = reward.discount_max_amount
            if reward.discount_mode == "per_point":
                amount = self.points * reward.discount
                amount = min(amount, cap) if cap else amount
            elif reward.discount_mode == "per_order":
                amount = claims * (
                    min(reward.discount, cap) if cap else reward.discount
                )
            else:
                # A percentage is worth nothing known, except its maximum.
                amount = claims * cap
            values.append(
                program.currency_id._convert(
                    amount, self.currency_id, self.company_id, date
                )
            )
        return self.currency_id.round(max(values))
