# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
