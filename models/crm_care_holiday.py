# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import calendar
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]
HOLIDAY_RECURRENCES = [
    ("fixed", "Same date every year"),
    ("dated", "Dated per year"),
]
# A dated holiday without a date in this many days from today needs next year's date.
NEXT_DATE_HORIZON_DAYS = 365
# A fixed 29 February recurs at least once in any nine consecutive years.
FIXED_LOOKAHEAD_YEARS = 9


class CrmCareHoliday(models.Model):
    """A holiday of the customer care calendar, used as a campaign's schedule.

    A holiday falls either on the same month and day every year (New Year's
    Day, Christmas) or, for lunar-calendar and movable holidays (Spring
    Festival, Mother's Day), on a date entered per year in its date rows.
    """

    _name = "crm.care.holiday"
    _description = "Care Holiday"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    recurrence = fields.Selection(
        HOLIDAY_RECURRENCES,
        required=True,
        default="fixed",
        help="Same date every year: the holiday falls on its month and day. Dated per "
        "year: lunar-calendar and movable holidays, with one date entered for each "
        "year.",
    )
    month = fields.Selection(
        MONTHS, help="Month of a holiday on the same date every year."
    )
    day = fields.Integer(
        bounds=(0, 31),
        help="Day of the month of a holiday on the same date every year. 29 February "
        "occurs in leap years only.",
    )
    country_id = fields.Many2one(
        "res.country",
        index="btree_not_null",
        help="Where the holiday is celebrated, to find the holidays of a market. "
        "Empty: international.",
    )
    date_ids = fields.One2many(
        "crm.care.holiday.date",
        "holiday_id",
        string="Dates",
        help="The date of the holiday in each year, for a holiday dated per year.",
    )
    next_date = fields.Date(
        compute="_compute_next_date",
        help="The next occurrence on or after today. Empty for a holiday dated per "
        "year without a future date.",
    )
    needs_next_date = fields.Boolean(
        string="Needs Next Year's Date",
        compute="_compute_needs_next_date",
        search="_search_needs_next_date",
        help="A holiday dated per year without a date in the next 365 days: enter "
        "next year's date so that campaigns on it keep running.",
    )
    year_to_add = fields.Integer(
        compute="_compute_year_to_add",
        help="The year a new date row proposes: the year after the last dated one, "
        "and at least the current year.",
    )
    note = fields.Text(
        translate=True,
        help="Customs of the holiday, gift ideas, what the care team should know.",
    )

    @api.depends("recurrence", "month", "day", "date_ids.date")
    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for holiday in self:
            holiday.next_date = holiday._get_next_date(today)

    @api.depends("recurrence", "date_ids.date")
    def _compute_needs_next_date(self):
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=NEXT_DATE_HORIZON_DAYS)
        for holiday in self:
            holiday.needs_next_date = holiday.recurrence == "dated" and not any(
                today <= row_date <= horizon
                for row_date in holiday.date_ids.mapped("date")
            )

    def _search_needs_next_date(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Search holidays needing a date with “is set” or “is not set”."
                )
            )
        today = fields.Date.context_today(self)
        upcoming = [
            ("date", ">=", today),
            ("date", "<=", today + timedelta(days=NEXT_DATE_HORIZON_DAYS)),
        ]
        if (operator == "=") == bool(value):
            return [("recurrence", "=", "dated"), ("date_ids", "not any", upcoming)]
        return ["|", ("recurrence", "!=", "dated"), ("date_ids", "any", upcoming)]

    @api.depends("date_ids.year")
    def _compute_year_to_add(self):
        this_year = fields.Date.context_today(self).year
        for holiday in self:
            last_year = max(holiday.date_ids.mapped("year"), default=0)
            holiday.year_to_add = max(last_year + 1, this_year)

    @api.constrains("recurrence", "month", "day")
    def _check_month_day(self):
        for holiday in self:
            if holiday.recurrence == "dated":
                if holiday.month or holiday.day:
                    raise ValidationError(
                        self.env._(
                            "The holiday %(holiday)s is dated per year: it has no "
                            "month and day of its own, enter its date for each year.",
                            holiday=holiday.name,
                        )
                    )
                continue
            month = int(holiday.month or 0)
            # 2000 is a leap year: February has its 29th.
            if not month or not 1 <= holiday.day <= calendar.monthrange(2000, month)[1]:
                raise ValidationError(
                    self.env._(
                        "The holiday %(holiday)s falls on the same date every year: "
                        "it needs a valid month and day (day %(day)s is not in "
                        "%(month)s).",
                        holiday=holiday.name,
                        day=holiday.day,
                        month=dict(
                            self._fields["month"]._description_selection(self.env)
                        ).get(holiday.month, self.env._("no month")),
                    )
                )

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._assert_not_used_by_running_campaign()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_running_campaign(self):
        self._assert_not_used_by_running_campaign()

    def action_add_next_year(self):
        """Open a small form for the date of the holiday in its next year."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(holiday)s in %(year)s", holiday=self.name, year=self.year_to_add
            ),
            "res_model": "crm.care.holiday.date",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_holiday_id": self.id,
                "default_year": self.year_to_add,
            },
        }

    def _assert_not_used_by_running_campaign(self, coming_date=False):
        """Refuse to remove holidays (``coming_date``: their coming date) that a
        running campaign greets: the campaign would run on with no day of care.
        Name only the campaigns the user may open."""
        if not self:
            return
        campaigns = (
            self.env["crm.care.campaign"]
            .sudo()
            .with_context(active_test=False)
            .search([("holiday_id", "in", self.ids), ("state", "=", "running")])
        )
        if not campaigns:
            return
        visible = campaigns.sudo(False)._filtered_access("read")
        holidays = ", ".join(campaigns.holiday_id.sudo(False).mapped("name"))
        if coming_date:
            message = self.env._(
                "The coming date of %(holidays)s cannot be deleted: it is the next "
                "day of care of a running care campaign.",
                holidays=holidays,
            )
        else:
            message = self.env._(
                "%(holidays)s cannot be deleted or archived: a running care "
                "campaign greets it.",
                holidays=holidays,
            )
        if visible:
            message += "\n" + self.env._(
                "Stop these campaigns or give them another holiday first: "
                "%(campaigns)s.",
                campaigns=", ".join(visible.mapped("name")),
            )
        else:
            message += "\n" + self.env._("Ask a customer care manager.")
        raise UserError(message)

    def _get_dates(self, date_from, date_to):
        """Return the dates of this holiday within [date_from, date_to].

        :param date_from: first day of the range (``datetime.date`` or string)
        :param date_to: last day of the range, included
        :return: sorted list of ``datetime.date``; a holiday on the same date
            every year gives one date per year of the range (29 February only in
            leap years), a holiday dated per year gives its dated rows in the
            range. The date rows are read once, whatever the number of years.
        """
        self.ensure_one()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if self.recurrence == "dated":
            return sorted(
                row_date
                for row_date in self.date_ids.mapped("date")
                if date_from <= row_date <= date_to
            )
        return [
            occurrence
            for occurrence in map(
                self._get_fixed_date, range(date_from.year, date_to.year + 1)
            )
            if occurrence and date_from <= occurrence <= date_to
        ]

    def _get_next_date(self, from_date):
        """Return the first date of this holiday on or after ``from_date``.

        :param from_date: ``datetime.date`` (or string) to start from, included
        :return: a ``datetime.date``, or False for a holiday dated per year
            without a date on or after ``from_date``
        """
        self.ensure_one()
        from_date = fields.Date.to_date(from_date)
        if self.recurrence == "dated":
            return min(
                (d for d in self.date_ids.mapped("date") if d >= from_date),
                default=False,
            )
        for year in range(from_date.year, from_date.year + FIXED_LOOKAHEAD_YEARS):
            occurrence = self._get_fixed_date(year)
            if occurrence and occurrence >= from_date:
                return occurrence
        return False

    def _get_fixed_date(self, year):
        """The date of a same-date-every-year holiday in ``year``, or None."""
        month = int(self.month or 0)
        # 29 February: monthrange gives 28 days in a common year.
        if not month or not 1 <= self.day <= calendar.monthrange(year, month)[1]:
            return None
        return date(year, month, self.day)
