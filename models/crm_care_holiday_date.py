# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date


class CrmCareHolidayDate(models.Model):
    """The date of a holiday dated per year (lunar or movable) in one year."""

    _name = "crm.care.holiday.date"
    _description = "Care Holiday Date"
    _order = "date"

    holiday_id = fields.Many2one(
        "crm.care.holiday",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date = fields.Date(required=True)
    year = fields.Integer(
        bounds=(1900, 9998),
        compute="_compute_year",
        store=True,
        readonly=False,
        help="The year of the date. Proposed when a year is added; the date sets it.",
    )

    _sql_constraints = [
        (
            "holiday_year_uniq",
            "UNIQUE(holiday_id, year)",
            "A holiday has one date per year: change the existing date of that year.",
        ),
    ]

    @api.depends("date")
    def _compute_year(self):
        for row in self:
            row.year = row.date.year if row.date else row.year

    @api.ondelete(at_uninstall=False)
    def _unlink_except_coming_date_of_running_campaign(self):
        """A coming date of a holiday a running campaign greets is its next day
        of care: it is not deleted (past dates are history, and may go)."""
        today = fields.Date.context_today(self)
        self.filtered(lambda row: row.date >= today).holiday_id.with_env(
            self.env
        )._assert_not_used_by_running_campaign(coming_date=True)

    @api.constrains("date", "year")
    def _check_year(self):
        for row in self.filtered(lambda r: r.date.year != r.year):
            raise ValidationError(
                self.env._(
                    "The date %(date)s of %(holiday)s is not in %(year)s.",
                    date=format_date(self.env, row.date),
                    holiday=row.holiday_id.name,
                    year=row.year,
                )
            )
