# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import Crm360Common


@tagged("post_install", "-at_install")
class TestCrmCareHoliday(Crm360Common):
    """The holiday calendar campaigns use as their schedule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_salesman = cls._new_user(
            "c360_care_salesman", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_care_manager = cls._new_user(
            "c360_care_manager", "base.group_user,crm_360.group_care_manager"
        )
        Holiday = cls.env["crm.care.holiday"]
        cls.fixed = Holiday.create(
            {"name": "Test Women's Day", "recurrence": "fixed", "month": "3", "day": 8}
        )
        cls.leap = Holiday.create(
            {"name": "Test Leap Day", "recurrence": "fixed", "month": "2", "day": 29}
        )
        cls.dated = Holiday.create(
            {
                "name": "Test Lunar Festival",
                "recurrence": "dated",
                "date_ids": [
                    # Created out of order: the results are sorted all the same.
                    (0, 0, {"date": "2028-01-26"}),
                    (0, 0, {"date": "2026-02-17"}),
                    (0, 0, {"date": "2027-02-06"}),
                ],
            }
        )
        cls.undated = Holiday.create(
            {"name": "Test Movable Day", "recurrence": "dated"}
        )
        cls.holidays = cls.fixed | cls.leap | cls.dated | cls.undated

    def _count_queries(self, function):
        """Run ``function`` on a cold cache; return its result and its queries."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = function()
        return result, self.env.cr.sql_log_count - before

    def test_fixed_dates_over_years(self):
        self.assertEqual(
            self.fixed._get_dates(date(2025, 6, 1), date(2028, 3, 7)),
            [date(2026, 3, 8), date(2027, 3, 8)],
            "one date per year, 2025's before the range and 2028's after it",
        )
        self.assertEqual(
            self.fixed._get_dates("2026-03-08", "2026-03-08"),
            [date(2026, 3, 8)],
            "both ends are included",
        )
        self.assertEqual(self.fixed._get_dates(date(2026, 3, 9), date(2027, 3, 7)), [])
        self.assertEqual(self.fixed._get_dates(date(2027, 1, 1), date(2026, 1, 1)), [])

    def test_29_february_only_in_leap_years(self):
        self.assertEqual(
            self.leap._get_dates(date(2023, 1, 1), date(2032, 12, 31)),
            [date(2024, 2, 29), date(2028, 2, 29), date(2032, 2, 29)],
        )
        self.assertEqual(self.leap._get_dates(date(2025, 1, 1), date(2027, 12, 31)), [])
        self.assertEqual(self.leap._get_next_date(date(2024, 2, 29)), date(2024, 2, 29))
        self.assertEqual(self.leap._get_next_date(date(2024, 3, 1)), date(2028, 2, 29))
        self.assertEqual(
            self.leap._get_next_date(date(2097, 3, 1)),
            date(2104, 2, 29),
            "2100 is not a leap year: eight years without 29 February",
        )

    def test_dated_dates_over_years(self):
        self.assertEqual(
            self.dated._get_dates(date(2026, 2, 18), date(2028, 12, 31)),
            [date(2027, 2, 6), date(2028, 1, 26)],
        )
        self.assertEqual(
            self.dated._get_dates("2020-01-01", "2040-12-31"),
            [date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26)],
        )
        self.assertEqual(
            self.undated._get_dates(date(2026, 1, 1), date(2030, 1, 1)), []
        )

    def test_next_date(self):
        self.assertEqual(self.fixed._get_next_date(date(2026, 3, 8)), date(2026, 3, 8))
        self.assertEqual(self.fixed._get_next_date(date(2026, 3, 9)), date(2027, 3, 8))
        self.assertEqual(self.dated._get_next_date("2026-02-17"), date(2026, 2, 17))
        self.assertEqual(self.dated._get_next_date(date(2026, 2, 18)), date(2027, 2, 6))
        self.assertFalse(
            self.dated._get_next_date(date(2028, 1, 27)), "after its last dated row"
        )
        self.assertFalse(self.undated._get_next_date(date(2026, 1, 1)))
        with freeze_time("2026-03-08 12:00:00"):
            self.holidays.invalidate_recordset(["next_date"])
            self.assertEqual(
                self.holidays.mapped("next_date"),
                [date(2026, 3, 8), date(2028, 2, 29), date(2027, 2, 6), False],
            )

    def test_next_date_in_user_time_zone(self):
        # 20:00 UTC on 8 March is already 9 March in Shanghai (UTC+8).
        with freeze_time("2026-03-08 20:00:00"):
            for tz, expected in (
                ("UTC", date(2026, 3, 8)),
                ("Asia/Shanghai", date(2027, 3, 8)),
            ):
                fixed = self.fixed.with_context(tz=tz)
                fixed.invalidate_recordset(["next_date"])
                self.assertEqual(fixed.next_date, expected, tz)

    def test_no_query_per_year(self):
        one_year, queries_one = self._count_queries(
            lambda: self.dated._get_dates(date(2027, 1, 1), date(2027, 12, 31))
        )
        all_years, queries_all = self._count_queries(
            lambda: self.dated._get_dates(date(1900, 1, 1), date(2199, 12, 31))
        )
        self.assertEqual((len(one_year), len(all_years)), (1, 3))
        self.assertEqual(queries_one, queries_all, "the dated rows are read once")
        self.assertLessEqual(queries_all, 3, "the holiday, its rows, their dates")
        fixed_dates, queries_fixed = self._count_queries(
            lambda: self.fixed._get_dates(date(1900, 1, 1), date(2199, 12, 31))
        )
        self.assertEqual(len(fixed_dates), 300)
        self.assertLessEqual(queries_fixed, 1, "one read of month and day")
        _next, queries_next = self._count_queries(
            lambda: self.dated._get_next_date(date(2026, 3, 1))
        )
        self.assertEqual(queries_next, queries_one)

    def test_needs_next_date(self):
        Holiday = self.env["crm.care.holiday"]
        in_test = [("id", "in", self.holidays.ids)]
        for today, needing in (
            # 2027-02-06 is within 365 days.
            ("2026-03-01", self.undated),
            ("2027-03-01", self.undated),
            # The last dated row, 2028-01-26, has passed.
            ("2028-01-27", self.dated | self.undated),
        ):
            with freeze_time(today):
                self.holidays.invalidate_recordset(["needs_next_date"])
                self.assertEqual(
                    self.holidays.filtered("needs_next_date"), needing, today
                )
                self.assertEqual(
                    Holiday.search(in_test + [("needs_next_date", "=", True)]),
                    needing,
                    today,
                )
                self.assertEqual(
                    Holiday.search(in_test + [("needs_next_date", "!=", True)]),
                    self.holidays - needing,
                    today,
                )
                self.assertEqual(
                    Holiday.search(in_test + [("needs_next_date", "=", False)]),
                    self.holidays - needing,
                    today,
                )

    def test_search_needs_next_date_refuses_other_values(self):
        Holiday = self.env["crm.care.holiday"]
        for operator, value in (
            ("=", 999999999),
            ("=", -1),
            ("=", "yes"),
            ("=", None),
            ("=", [True]),
            (">", True),
            ("in", [True, False]),
        ):
            with self.subTest(operator=operator, value=value):
                with self.assertRaises(UserError), mute_logger("odoo.osv.expression"):
                    Holiday.search([("needs_next_date", operator, value)])

    def test_add_next_year(self):
        with freeze_time("2026-03-01"):
            self.assertEqual(self.dated.year_to_add, 2029)
            self.assertEqual(self.undated.year_to_add, 2026)
            action = self.dated.action_add_next_year()
            with Form.from_action(self.env, action) as dialog:
                self.assertEqual(dialog.year, 2029)
                dialog.date = date(2029, 2, 13)
            with Form(self.undated) as form:
                with form.date_ids.new() as line:
                    self.assertEqual(line.year, 2026, "the list proposes the year")
                    line.date = date(2027, 5, 9)
                    self.assertEqual(line.year, 2027, "the date sets the year")
        self.assertEqual(self.dated.date_ids[-1].date, date(2029, 2, 13))
        self.assertEqual(self.dated.date_ids[-1].year, 2029)
        self.assertEqual(
            self.dated._get_next_date(date(2028, 1, 27)), date(2029, 2, 13)
        )
        self.assertEqual(self.undated.date_ids.year, 2027)
        with freeze_time("2028-01-27"):
            self.holidays.invalidate_recordset(["needs_next_date"])
            self.assertTrue(
                self.dated.needs_next_date, "2029-02-13 is 383 days ahead, not 365"
            )
        with freeze_time("2028-03-01"):
            self.holidays.invalidate_recordset(["needs_next_date"])
            self.assertFalse(self.dated.needs_next_date)

    def test_month_and_day_constraints(self):
        Holiday = self.env["crm.care.holiday"]
        for values in (
            {"recurrence": "fixed", "day": 1},
            {"recurrence": "fixed", "month": "1"},
            {"recurrence": "fixed", "month": "1", "day": 32},
            {"recurrence": "fixed", "month": "2", "day": 30},
            {"recurrence": "fixed", "month": "4", "day": 31},
            {"recurrence": "fixed", "month": "5", "day": -1},
            {"recurrence": "dated", "month": "5"},
            {"recurrence": "dated", "day": 10},
        ):
            with (
                self.assertRaisesRegex(ValidationError, "Bad Day|between 0 and 31"),
                self.env.cr.savepoint(),
            ):
                Holiday.create(dict(values, name="Bad Day"))
        with self.assertRaisesRegex(ValidationError, "dated per year"):
            self.dated.month = "2"
        self.assertEqual(
            Holiday.create(
                {"name": "Last Day", "recurrence": "fixed", "month": "12", "day": 31}
            )._get_next_date(date(2026, 1, 1)),
            date(2026, 12, 31),
        )

    def test_one_date_per_holiday_and_year(self):
        Date = self.env["crm.care.holiday.date"]
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Date.create({"holiday_id": self.dated.id, "date": "2027-10-01"})
        with (
            self.assertRaisesRegex(ValidationError, "not in 2031"),
            self.env.cr.savepoint(),
        ):
            Date.create(
                {"holiday_id": self.dated.id, "year": 2031, "date": "2032-02-11"}
            )
        # Another holiday may have a date the same year; deleting a holiday deletes
        # its dates.
        row = Date.create({"holiday_id": self.undated.id, "date": "2027-10-01"})
        self.undated.unlink()
        self.assertFalse(row.exists())

    def test_access(self):
        holiday = self.dated.with_user(self.user_salesman)
        self.assertEqual(holiday.date_ids.mapped("year"), [2026, 2027, 2028])
        self.assertEqual(holiday.next_date, self.dated.next_date)
        with self.assertRaises(AccessError):
            holiday.name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["crm.care.holiday.date"].with_user(self.user_salesman).create(
                {"holiday_id": self.dated.id, "date": "2029-02-13"}
            )
        with self.assertRaises(AccessError):
            holiday.date_ids[0].unlink()
        manager_holiday = self.dated.with_user(self.user_care_manager)
        manager_holiday.write(
            {"name": "Renamed", "date_ids": [(0, 0, {"date": "2029-02-13"})]}
        )
        self.assertEqual(self.dated.name, "Renamed")
        self.assertEqual(len(self.dated.date_ids), 4)
        self.env["crm.care.holiday"].with_user(self.user_care_manager).create(
            {"name": "Care Day", "month": "11", "day": 11}
        ).unlink()

    def test_seeded_calendar(self):
        spring = self.env.ref("crm_360.crm_care_holiday_spring_festival")
        self.assertEqual(spring.recurrence, "dated")
        self.assertEqual(spring.country_id, self.env.ref("base.cn"))
        self.assertEqual(
            spring._get_dates(date(2027, 1, 1), date(2027, 12, 31)), [date(2027, 2, 6)]
        )
        self.assertEqual(
            self.env.ref("crm_360.crm_care_holiday_spring_festival_2027").date,
            date(2027, 2, 6),
        )
        self.assertEqual(len(spring.date_ids), 5)
        new_year = self.env.ref("crm_360.crm_care_holiday_new_year")
        self.assertEqual(new_year._get_next_date(date(2026, 1, 2)), date(2027, 1, 1))
        self.assertFalse(new_year.country_id)
        thanksgiving = self.env.ref("crm_360.crm_care_holiday_thanksgiving")
        self.assertEqual(thanksgiving.country_id, self.env.ref("base.us"))
        self.assertEqual(
            thanksgiving._get_dates(date(2026, 1, 1), date(2030, 12, 31)),
            [
                date(y, 11, d)
                for y, d in ((2026, 26), (2027, 25), (2028, 23), (2029, 22), (2030, 28))
            ],
        )
        for xmlid, expected in (
            ("mothers_day_2026", date(2026, 5, 10)),
            ("fathers_day_2026", date(2026, 6, 21)),
            ("mid_autumn_festival_2028", date(2028, 10, 3)),
        ):
            row = self.env.ref(f"crm_360.crm_care_holiday_{xmlid}")
            self.assertEqual(row.date, expected, xmlid)
        with freeze_time("2026-01-01"):
            seeded = self.env["crm.care.holiday"].search(
                [("id", "not in", self.holidays.ids)]
            )
            self.assertGreaterEqual(len(seeded), 17)
            self.assertFalse(seeded.filtered("needs_next_date"))
