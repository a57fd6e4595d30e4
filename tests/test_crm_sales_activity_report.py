# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree
from openpyxl import load_workbook

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_funnel import FunnelCommon

TODAY = "2026-03-18 10:00:00"  # a Wednesday, UTC
XLSX = "crm_360.crm_sales_activity_report_xlsx"


@tagged("post_install", "-at_install")
class TestCrmSalesActivityReport(FunnelCommon):
    """Sales activities, planned against done: what the analysis and its XLSX
    export count, and for whom."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.call = ref("mail.mail_activity_data_call")
        cls.meeting = ref("mail.mail_activity_data_meeting")
        cls.todo = ref("mail.mail_activity_data_todo")
        cls.inbound = ref("crm_360.mail_activity_type_call_inbound")
        cls.demo = ref("crm_360.mail_activity_type_demonstration")
        # Done demonstrations stay as archived activities: counted once all the same.
        cls.demo.keep_done = True
        cls.user_manager.company_ids = [(4, cls.company_b.id)]
        (
            cls.user_own
            | cls.user_own_2
            | cls.user_all
            | cls.user_manager
            | cls.user_company_b
        ).tz = "UTC"

        cls.lead_lost = cls._new_lead("Lost deal")
        cls.lead_bare = cls.env["crm.lead"].create(
            {"name": "Walk-in lead", "type": "lead", "user_id": False, "team_id": False}
        )
        cls.leads = (
            cls.lead_own
            | cls.lead_other
            | cls.lead_unassigned
            | cls.lead_company_b
            | cls.lead_lost
            | cls.lead_bare
        )

        def plan(lead, activity_type, user, deadline):
            return lead.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=date.fromisoformat(deadline),
                user_id=user.id,
            )

        def done(lead, activity_type, user, deadline, when, by=None):
            activity = plan(lead, activity_type, user, deadline)
            with freeze_time(when):
                activity.with_user(by or user).action_feedback(feedback="Done.")
            return activity

        with freeze_time("2026-03-02 09:00:00"):
            # Still to do on 2026-03-18.
            plan(cls.lead_own, cls.call, cls.user_own, "2026-03-12")  # overdue
            plan(cls.lead_own, cls.call, cls.user_own, "2026-03-25")
            plan(cls.lead_own, cls.demo, cls.user_own, "2026-03-18")  # due today
            plan(cls.lead_other, cls.call, cls.user_own_2, "2026-03-01")  # overdue
            plan(cls.lead_unassigned, cls.inbound, cls.user_own_2, "2026-03-20")
            plan(cls.lead_bare, cls.todo, cls.user_own, "2026-03-30")
            plan(cls.lead_company_b, cls.call, cls.user_company_b, "2026-03-05")
            # Removed by Odoo when the deal is lost below: never counted.
            plan(cls.lead_lost, cls.call, cls.user_own, "2026-03-20")
        done(cls.lead_own, cls.call, cls.user_own, "2026-03-11", "2026-03-11 08:00")
        cls.demo_done = done(
            cls.lead_own, cls.demo, cls.user_own, "2026-03-16", "2026-03-16 15:00"
        )
        done(cls.lead_other, cls.call, cls.user_own_2, "2026-03-20", "2026-03-17 11:00")
        done(cls.lead_lost, cls.inbound, cls.user_own, "2026-03-09", "2026-03-09 16:00")
        # The manager closes the salesman's meeting: he did it, it counts for him.
        done(
            cls.lead_own,
            cls.meeting,
            cls.user_own,
            "2026-03-17",
            "2026-03-17 17:00",
            by=cls.user_manager,
        )
        done(
            cls.lead_company_b,
            cls.call,
            cls.user_company_b,
            "2026-03-15",
            "2026-03-15 09:00",
        )
        with freeze_time("2026-03-17 18:00:00"):
            cls.lead_lost.action_set_lost()

        own, own_2, manager = cls.user_own, cls.user_own_2, cls.user_manager
        # (salesperson, type): (planned, done, overdue), counted by hand.
        cls.expected = {
            (own, cls.call): (2, 1, 1),
            (own, cls.demo): (1, 1, 0),
            (own, cls.todo): (1, 0, 0),
            (own, cls.inbound): (0, 1, 0),
            (own_2, cls.call): (1, 1, 1),
            (own_2, cls.inbound): (1, 0, 0),
            (manager, cls.meeting): (0, 1, 0),
        }
        cls.expected_company_b = {
            (cls.user_company_b, cls.call): (1, 1, 1),
        }

    # ------------------------------------------------------------------ helpers

    def _report(self, user=None, **context):
        """The analysis as ``user`` reads it, the sales manager by default."""
        context.setdefault("allowed_company_ids", self.company.ids)
        Report = self.env["crm.sales.activity.report"]
        return Report.with_user(user or self.user_manager).with_context(**context)

    def _figures(self, user=None, domain=(), **context):
        rows = self._report(user, **context)._read_group(
            [("lead_id", "in", self.leads.ids), *domain],
            ["user_id", "activity_type_id"],
            ["nbr_planned:sum", "nbr_done:sum", "nbr_overdue:sum"],
        )
        return {(user, type_): tuple(figures) for user, type_, *figures in rows}

    def _expected(self, leads):
        """The hand counts restricted to the activities of ``leads``."""
        by_lead = {
            self.lead_own: {
                (self.user_own, self.call): (2, 1, 1),
                (self.user_own, self.demo): (1, 1, 0),
                (self.user_manager, self.meeting): (0, 1, 0),
            },
            self.lead_other: {(self.user_own_2, self.call): (1, 1, 1)},
            self.lead_unassigned: {(self.user_own_2, self.inbound): (1, 0, 0)},
            self.lead_bare: {(self.user_own, self.todo): (1, 0, 0)},
            self.lead_lost: {(self.user_own, self.inbound): (0, 1, 0)},
            self.lead_company_b: {(self.user_company_b, self.call): (1, 1, 1)},
        }
        expected = {}
        for lead in leads:
            for key, figures in by_lead[lead].items():
                previous = expected.get(key, (0, 0, 0))
                expected[key] = tuple(
                    a + b for a, b in zip(previous, figures, strict=True)
                )
        return expected

    @staticmethod
    def _ids(groups):
        """_read_group rows, comparable: records as ids, sorted."""
        return sorted(
            tuple(value.id if hasattr(value, "ids") else value for value in row)
            for row in groups
        )

    def _xlsx(self, user, docids=None, data=None, **context):
        context.setdefault("allowed_company_ids", self.company.ids)
        Reports = self.env["ir.actions.report"].with_user(user).with_context(**context)
        content, file_type = Reports._render(XLSX, docids or [], data or {})
        self.assertEqual(file_type, "xlsx")
        sheet = load_workbook(io.BytesIO(content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    # ------------------------------------------------------------------ data

    def test_seeded_activity_types(self):
        """The documents' types exist once each: Odoo's are reused, not copied."""
        ref = self.env.ref
        seeded = {
            "Inbound Call": "crm_360.mail_activity_type_call_inbound",
            "Correspondence": "crm_360.mail_activity_type_correspondence",
            "Outbound Fax": "crm_360.mail_activity_type_fax_outbound",
            "Presentation": "crm_360.mail_activity_type_presentation",
            "Demonstration": "crm_360.mail_activity_type_demonstration",
            "Appointment": "crm_360.mail_activity_type_appointment",
            "Milestone": "crm_360.mail_activity_type_milestone",
            "Event": "crm_360.mail_activity_type_event",
            "Research": "crm_360.mail_activity_type_research",
        }
        for name, xmlid in seeded.items():
            activity_type = ref(xmlid)
            self.assertEqual(activity_type.name, name)
            self.assertTrue(activity_type.active)
            self.assertIn(activity_type.res_model, (False, "crm.lead"))
        Type = self.env["mail.activity.type"].with_context(lang="en_US")
        for name in ("Call", "Meeting", "To-Do", "Email", *seeded):
            self.assertEqual(Type.search_count([("name", "=", name)]), 1, name)
        self.assertEqual(ref(seeded["Inbound Call"]).category, "phonecall")
        self.assertEqual(ref(seeded["Demonstration"]).category, "meeting")

    def test_calendar_meeting_keeps_the_meeting_type(self):
        """A meeting booked from the calendar on an opportunity is still a Meeting:
        the seeded calendar types come after it."""
        event = self.env["calendar.event"].create(
            {
                "name": "Kick-off",
                "start": "2026-03-20 09:00:00",
                "stop": "2026-03-20 10:00:00",
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": self.lead_own.id,
                "user_id": self.user_own.id,
            }
        )
        self.assertEqual(event.activity_ids.activity_type_id, self.meeting)

    # ------------------------------------------------------------------ figures

    @freeze_time(TODAY)
    def test_figures_per_salesperson_and_type(self):
        self.assertEqual(self._figures(), self.expected)
        self.assertEqual(
            self._figures(allowed_company_ids=(self.company | self.company_b).ids),
            {**self.expected, **self.expected_company_b},
        )

    @freeze_time(TODAY)
    def test_states_and_dates(self):
        rows = self._report().search([("lead_id", "in", self.leads.ids)])
        overdue = rows.filtered(lambda row: row.state == "overdue")
        self.assertEqual(
            sorted(overdue.mapped("date")),
            [date(2026, 3, 1), date(2026, 3, 12)],
        )
        self.assertEqual(overdue.mapped("nbr_overdue"), [1, 1])
        # Due today is not overdue yet.
        today = rows.filtered(lambda row: row.activity_type_id == self.demo)
        self.assertEqual(
            sorted((row.state, row.date) for row in today),
            [("done", date(2026, 3, 16)), ("planned", date(2026, 3, 18))],
        )
        done = rows.filtered(lambda row: row.state == "done")
        self.assertEqual(
            sorted(done.mapped("date")),
            [date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 16), date(2026, 3, 17)]
            + [date(2026, 3, 17)],
        )
        self.assertEqual(set(done.mapped("completion_rate")), {100.0})

    @freeze_time(TODAY)
    def test_kept_done_activity_counted_once(self):
        self.assertFalse(self.demo_done.active)
        figures = self._figures(domain=[("lead_id", "=", self.lead_own.id)])
        self.assertEqual(figures[self.user_own, self.demo], (1, 1, 0))

    @freeze_time(TODAY)
    def test_lost_lead_counts_its_done_activities(self):
        self.assertFalse(self.lead_lost.active)
        rows = self._report().search([("lead_id", "=", self.lead_lost.id)])
        self.assertEqual(rows.mapped("state"), ["done"])
        self.assertEqual(rows.activity_type_id, self.inbound)
        self.assertFalse(rows.lead_active)
        lost = self._report().search_count(
            [("lead_id", "in", self.leads.ids), ("lead_active", "=", False)]
        )
        self.assertEqual(lost, 1)

    @freeze_time(TODAY)
    def test_done_equal_odoo_activity_analysis(self):
        """Done activities are those of Odoo's own activity analysis; planned
        ones are the open activities."""
        for user in (self.user_own, self.user_own_2, self.user_all):
            ours = self._report(user)._read_group(
                [("lead_id", "in", self.leads.ids), ("state", "=", "done")],
                ["lead_id", "activity_type_id"],
                ["nbr_done:sum"],
            )
            odoo = (
                self.env["crm.activity.report"]
                .with_user(user)
                .with_context(active_test=False, allowed_company_ids=self.company.ids)
                ._read_group(
                    [("lead_id", "in", self.leads.ids)],
                    ["lead_id", "mail_activity_type_id"],
                    ["__count"],
                )
            )
            self.assertEqual(self._ids(ours), self._ids(odoo), user.login)
        planned = self._report()._read_group(
            [("lead_id", "in", self.leads.ids), ("state", "!=", "done")],
            ["user_id", "activity_type_id"],
            ["nbr_planned:sum"],
        )
        activities = self.env["mail.activity"]._read_group(
            [("res_model", "=", "crm.lead"), ("res_id", "in", self.leads.ids)],
            ["user_id", "activity_type_id"],
            ["__count"],
        )
        # The open activities of the second company are left out by the report.
        activities = [row for row in activities if row[0] != self.user_company_b]
        self.assertEqual(self._ids(planned), self._ids(activities))

    def test_overdue_in_the_assignee_time_zone(self):
        """Due on the 17th, it is overdue at 04:00 on the 18th in Shanghai although
        it is still the 17th in UTC; done at that moment, it is done on the 18th."""
        self.user_own.tz = "Asia/Shanghai"
        lead = self._new_lead("Shanghai deal")
        with freeze_time("2026-03-10 09:00:00"):
            lead.activity_schedule(
                activity_type_id=self.call.id,
                date_deadline=date(2026, 3, 17),
                user_id=self.user_own.id,
            )
            mine = lead.activity_schedule(
                activity_type_id=self.todo.id,
                date_deadline=date(2026, 3, 17),
                user_id=self.user_own_2.id,
            )
        with freeze_time("2026-03-17 20:00:00"):
            lead.activity_schedule(
                activity_type_id=self.demo.id,
                date_deadline=date(2026, 3, 30),
                user_id=self.user_own.id,
            ).with_user(self.user_own).action_feedback()
            rows = self._report().search([("lead_id", "=", lead.id)])
            states = {row.activity_type_id: (row.state, row.date) for row in rows}
        self.assertEqual(mine.user_tz, "UTC")
        self.assertEqual(
            states,
            {
                self.call: ("overdue", date(2026, 3, 17)),
                self.todo: ("planned", date(2026, 3, 17)),
                self.demo: ("done", date(2026, 3, 18)),
            },
        )

    def test_period_filters(self):
        """This week / month / quarter of the search view, evaluated on a date."""
        arch = self.env["crm.sales.activity.report"].get_view(view_type="search")
        filters = {
            node.get("name"): node.get("domain")
            for node in etree.fromstring(arch["arch"]).iter("filter")
        }
        for today, periods in (
            (
                date(2026, 3, 18),
                {
                    "this_week": ("2026-03-16", "2026-03-23"),
                    "this_month": ("2026-03-01", "2026-04-01"),
                    "this_quarter": ("2026-01-01", "2026-04-01"),
                },
            ),
            (
                date(2026, 11, 30),
                {
                    "this_week": ("2026-11-30", "2026-12-07"),
                    "this_month": ("2026-11-01", "2026-12-01"),
                    "this_quarter": ("2026-10-01", "2027-01-01"),
                },
            ),
        ):
            for name, (start, end) in periods.items():
                domain = safe_eval(
                    filters[name],
                    {
                        "context_today": lambda day=today: day,
                        "relativedelta": relativedelta,
                    },
                )
                self.assertEqual(
                    domain, [("date", ">=", start), ("date", "<", end)], name
                )

    # ------------------------------------------------------------------ access

    @freeze_time(TODAY)
    def test_access_matrix(self):
        """Each user aggregates the activities of exactly the leads he may open."""
        both = (self.company | self.company_b).ids
        cases = [
            (self.user_own, self.company.ids),
            (self.user_own_2, self.company.ids),
            (self.user_all, self.company.ids),
            (self.user_manager, self.company.ids),
            (self.user_manager, both),
            (self.user_company_b, self.company_b.ids),
        ]
        for user, companies in cases:
            leads = (
                self.env["crm.lead"]
                .with_user(user)
                .with_context(active_test=False, allowed_company_ids=companies)
                .search([("id", "in", self.leads.ids)])
            )
            with self.subTest(user=user.login, companies=companies):
                self.assertEqual(
                    self._figures(user, allowed_company_ids=companies),
                    self._expected(leads),
                )
        own = self._report(self.user_own).search([("lead_id", "in", self.leads.ids)])
        self.assertEqual(
            own.lead_id,
            self.lead_own | self.lead_unassigned | self.lead_bare | self.lead_lost,
        )

    def test_others_rows_are_refused(self):
        other = self._report().search([("lead_id", "=", self.lead_other.id)], limit=1)
        with self.assertRaises(AccessError):
            self._report(self.user_own).browse(other.id).read(["state"])
        with self.assertRaises(AccessError):
            self._report(self.user_internal).search([])
        b_row = self._report(allowed_company_ids=self.company_b.ids).search(
            [("lead_id", "=", self.lead_company_b.id)], limit=1
        )
        with self.assertRaises(AccessError):
            self._report(self.user_all).browse(b_row.id).read(["state"])

    # ------------------------------------------------------------------ xlsx

    @freeze_time(TODAY)
    def test_xlsx_figures(self):
        """The export of every row (others' included) reads back as what the
        salesman may see, with subtotals and completion."""
        all_rows = self._report(
            allowed_company_ids=(self.company | self.company_b).ids
        ).search([("lead_id", "in", self.leads.ids)])
        sheet = self._xlsx(self.user_own, docids=all_rows.ids)
        self.assertEqual(
            sheet[0],
            [
                "Salesperson",
                "Activity Type",
                "Planned",
                "Done",
                "Overdue",
                "Completion (%)",
            ],
        )
        visible = self.lead_own | self.lead_unassigned | self.lead_bare | self.lead_lost
        expected = {
            (user.name, type_.name): list(figures)
            for (user, type_), figures in self._expected(visible).items()
        }
        lines = {
            (name, type_name): [planned, done, overdue]
            for name, type_name, planned, done, overdue, __ in sheet[1:]
            if type_name
        }
        self.assertEqual(lines, expected)
        for *__, planned, done, ___, rate in sheet[1:]:
            self.assertAlmostEqual(rate, done / (planned + done))
        subtotal = next(row for row in sheet if row[0] == "Total C360 Own")
        self.assertEqual(subtotal[1:5], [None, 4, 3, 1])
        self.assertEqual(sheet[-1][:5], ["Total", None, 5, 4, 1])
        self.assertAlmostEqual(sheet[-1][5], 4 / 9)
        # Each salesperson's lines are together, his subtotal right after them.
        names = [row[0] for row in sheet[1:-1]]
        for name in ("C360 Own", "C360 Own 2", "C360 Manager"):
            lines = [index for index, value in enumerate(names) if value == name]
            self.assertEqual(lines, list(range(lines[0], lines[-1] + 1)), name)
            self.assertEqual(names[lines[-1] + 1], f"Total {name}")

    @freeze_time(TODAY)
    def test_xlsx_by_domain_and_for_managers(self):
        sheet = self._xlsx(
            self.user_manager,
            data={
                "domain": [("lead_id", "in", self.leads.ids), ("state", "=", "done")]
            },
            allowed_company_ids=(self.company | self.company_b).ids,
        )
        self.assertEqual(sheet[-1][:5], ["Total", None, 0, 6, 0])
        self.assertEqual(sheet[-1][5], 1)

    def test_xlsx_bad_input(self):
        with self.assertRaises(UserError):
            self._xlsx(self.user_own, data={"domain": "all of them"})
        # Ids nobody has: an empty sheet, not an error.
        sheet = self._xlsx(self.user_own, docids=[-2, 10**9])
        self.assertEqual(sheet[1:], [["Total", None, 0, 0, 0, None]])

    @freeze_time(TODAY)
    def test_done_by_a_deleted_user(self):
        """A salesperson who left: his done activities stay, without a name."""
        leaver = self._new_user(
            "c360_leaver", "base.group_user,sales_team.group_sale_salesman"
        )
        self.lead_unassigned.activity_schedule(
            activity_type_id=self.todo.id,
            date_deadline=date(2026, 3, 18),
            user_id=leaver.id,
        ).with_user(leaver).action_feedback()
        leaver.unlink()
        figures = self._figures(domain=[("lead_id", "=", self.lead_unassigned.id)])
        self.assertEqual(figures[self.env["res.users"], self.todo], (0, 1, 0))
        sheet = self._xlsx(
            self.user_all, data={"domain": [("lead_id", "=", self.lead_unassigned.id)]}
        )
        self.assertIn(["Unassigned", "To-Do", 0, 1, 0, 1], sheet)
        self.assertIn(["Total Unassigned", None, 0, 1, 0, 1], sheet)

    def test_empty_database(self):
        self.env["crm.lead"].with_context(active_test=False).search([]).unlink()
        self.assertFalse(self._report().search([]))
        sheet = self._xlsx(self.user_manager)
        self.assertEqual(len(sheet), 2)
        self.assertEqual(sheet[1], ["Total", None, 0, 0, 0, None])
