# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint settings of a company: goodwill coupons and recurrence detection."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Goodwill Coupon Program",
        domain=[("program_type", "=", "coupons")],
        help="The coupon program goodwill coupons offered on complaints belong "
        "to; its reward sets what a coupon is worth.",
    )

    complaint_recurrence_threshold = fields.Integer(
        bounds=(0, 1000),
        string="Complaints Before Investigation",
        default=3,
        help="When this many complaints about the same product, or the same lot, "
        "are registered within the period, a root-cause investigation opens "
        "automatically. 0 turns the detection off.",
    )
    complaint_recurrence_days = fields.Integer(
        bounds=(1, 3650),
        string="Recurrence Period (Days)",
        default=30,
        help="How many days back complaints count towards a recurrence.",
    )
    complaint_quality_user_id = fields.Many2one(
        "res.users",
        string="Quality Owner",
        domain="[('share', '=', False)]",
        help="Who owns the investigations opened automatically and is asked to "
        "start them. Without one, the leader of the complaints' helpdesk team.",
    )

    @api.constrains("complaint_coupon_program_id")
    def _check_complaint_coupon_program_id(self):
        for company in self:
            program = company.complaint_coupon_program_id
            if not program:
                continue
            if program.program_type != "coupons":
                raise ValidationError(
                    self.env._(
                        "%(program)s is not a coupon program.",
                        program=program.display_name,
                    )
                )
            if program.company_id and program.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(program)s belongs to another company.",
                        program=program.display_name,
                    )
                )

    @api.constrains("complaint_recurrence_threshold", "complaint_recurrence_days")
    def _check_complaint_recurrence(self):
        for company in self:
            if company.complaint_recurrence_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "The number of complaints before an investigation cannot be "
                        "negative (0 turns the detection off)."
                    )
                )
            if company.complaint_recurrence_days < 1:
                raise ValidationError(
                    self.env._("The recurrence period is at least one day.")
                )
