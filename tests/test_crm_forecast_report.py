# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, datetime

from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_funnel import FunnelCommon

# Odoo's open opportunities (crm.lead._get_lead_duplicates' "not won"), active ones
# through active_test; and its won ones.
OPEN_DOMAIN = [
    ("type", "=", "opportunity"),
    "|",
    ("stage_id", "=", False),
    ("stage_id.is_won", "=", False),
]
WON_DOMAIN = [("type", "=", "opportunity"), ("stage_id.is_won", "=", True)]
XLSX_REPORT = "crm_360.crm_forecast_report_xlsx"
XLSX_HEADER = (
    "Month",
    "Salesperson",
    "Sales Team",
    "Prorated Revenue",
    "Won",
    "Forecast",
    "Target",
    "Gap to Target",
    "Attainment",
)
MARCH, APRIL, MAY = date(2031, 3, 1), date(2031, 4, 1), date(2031, 5, 1)


@tagged("post_install", "-at_install")
class TestCrmForecastReport(FunnelCommon):
    """Forecast vs target: Odoo's prorated revenue by expected closing month,
    revenue won by closing month, monthly targets; for whom, and in XLSX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.company_ids = [(4, cls.company_b.id)]
        cls.team_b = cls.env["crm.team"].create({"name": "Export Team"})
        nobody, no_team = cls.env["res.users"], cls.env["crm.team"]

        def deal(name, user, team, revenue, probability, deadline, **vals):
            return cls._new_lead(
                name,
                user_id=user.id,
                team_id=team.id,
                expected_revenue=revenue,
                probability=probability,
                date_deadline=deadline,
                **vals,
            )

        # Open deals (dates in 2031: no demo opportunity closes then).
        cls.o_march = deal("March", cls.user_own, cls.team, 10000, 30, "2031-03-15")
        cls.o_march_2 = deal("March 2", cls.user_own, cls.team, 5000, 45, "2031-03-28")
        cls.o_team_b = deal(
            "April export", cls.user_own, cls.team_b, 8000, 50, "2031-04-02"
        )
        cls.o_other = deal(
            "Other's", cls.user_own_2, cls.team, 12345.67, 33.33, "2031-03-10"
        )
        cls.o_no_deadline = deal("Someday", cls.user_own, cls.team, 7000, 10, False)
        cls.o_nobody = deal("Nobody's", nobody, no_team, 4000, 25, "2031-03-01")
        cls.o_no_stage = deal(
            "Stageless", cls.user_own_2, cls.team, 3000, 20, "2031-04-20"
        )
        cls.o_no_stage.stage_id = False
        cls.o_company_b = deal(
            "Branch B",
            cls.user_company_b,
            no_team,
            9000,
            40,
            "2031-03-05",
            company_id=cls.company_b.id,
        )
        # Lost (archived), a plain lead: never in the forecast.
        cls.o_lost = deal("Lost", cls.user_own, cls.team, 50000, 60, "2031-03-20")
        cls.o_lost.action_set_lost()
        cls.lead = deal("Lead", cls.user_own, cls.team, 6000, 50, "2031-03-20")
        cls.lead.type = "lead"
        # Won: late on 31 March UTC, which is already April in Shanghai.
        cls.o_won = deal("Won", cls.user_own, cls.team, 20000, 70, "2031-02-10")
        cls.o_won.stage_id = cls.stage_won
        cls.o_won.date_closed = datetime(2031, 3, 31, 20, 0)
        cls.o_won_2 = deal("Won 2", cls.user_own_2, cls.team, 15000, 90, "2031-04-10")
        cls.o_won_2.stage_id = cls.stage_won
        cls.o_won_2.date_closed = datetime(2031, 4, 12, 9, 0)

        Target = cls.env["crm.sales.target"]
        cls.t_own = Target.create(
            {
                "user_id": cls.user_own.id,
                "team_id": cls.team.id,
                "month": "2031-03-01",
                "target_amount": 50000,
            }
        )
        cls.t_own_no_team = Target.create(
            {"user_id": cls.user_own.id, "month": "2031-04-01", "target_amount": 8000}
        )
        cls.t_other = Target.create(
            {
                "user_id": cls.user_own_2.id,
                "team_id": cls.team.id,
                "month": "2031-03-01",
                "target_amount": 30000,
            }
        )
        cls.t_company_b = Target.create(
            {
                "user_id": cls.user_company_b.id,
                "month": "2031-03-01",
                "target_amount": 20000,
                "company_id": cls.company_b.id,
            }
        )

    # ------------------------------------------------------------------ helpers
    def _env(self, user, companies=None, **context):
        companies = companies or self.company
        return self.env(
            user=user, context=dict(context, allowed_company_ids=companies.ids)
        )

    def _report(self, user, domain=(), companies=None):
        Report = self._env(user, companies)["crm.forecast.report"]
        return Report.search([("month", ">=", MARCH), ("month", "<", MAY), *domain])

    @staticmethod
    def _sums(groups):
        """{(month, user, team): amount} of a _read_group; a datetime field's month
        as a date."""
        return {
            (
                month.date() if isinstance(month, datetime) else month,
                *others,
            ): amount
            for month, *others, amount in groups
        }

    def _xlsx(self, user, docids, data=None, companies=None):
        content, kind = (
            self._env(user, companies)["ir.actions.report"]
            .with_context(active_model="crm.forecast.report")
            ._render(XLSX_REPORT, docids, data or {})
        )
        self.assertEqual(kind, "xlsx")
        rows = list(
            load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        )
        return [tuple(self._cell(value) for value in row) for row in rows]

    @staticmethod
    def _cell(value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, float):
            return round(value, 6)  # XLSX keeps 15 significant digits
        return value

    # ------------------------------------------------------- (a) Odoo's figures
    def test_prorated_revenue_equals_crm_lead(self):
        """By month × salesperson × team, for each reader, the report's prorated
        revenue is crm.lead's read_group of prorated_revenue over Odoo's open
        opportunities, demo data included."""
        readers = [
            (self.env.user, self.company | self.company_b),
            (self.user_manager, self.company | self.company_b),
            (self.user_manager, self.company),
            (self.user_all, self.company),
            (self.user_own, self.company),
            (self.user_own_2, self.company),
            (self.user_company_b, self.company_b),
        ]
        for user, companies in readers:
            env = self._env(user, companies)
            expected = self._sums(
                env["crm.lead"]._read_group(
                    OPEN_DOMAIN,
                    ["date_deadline:month", "user_id", "team_id"],
                    ["prorated_revenue:sum"],
                )
            )
            Report = env["crm.forecast.report"]
            self.assertEqual(
                self._sums(
                    Report._read_group(
                        [("line_type", "=", "open")],
                        ["month:month", "user_id", "team_id"],
                        ["prorated_revenue:sum"],
                    )
                ),
                expected,
                f"{user.login} in {companies.mapped('name')}",
            )
            # Won lines and targets add nothing to it.
            self.assertEqual(
                Report._read_group([], [], ["prorated_revenue:sum"]),
                env["crm.lead"]._read_group(OPEN_DOMAIN, [], ["prorated_revenue:sum"]),
            )
            expected_revenue = env["crm.lead"]._read_group(
                OPEN_DOMAIN, [], ["expected_revenue:sum"]
            )[0][0]
            self.assertEqual(
                Report._read_group([], [], ["expected_revenue:sum"])[0][0],
                expected_revenue,
            )

    def test_open_lines(self):
        own = self._report(self.user_manager, [("line_type", "=", "open")])
        self.assertEqual(
            own.lead_id,
            self.o_march
            | self.o_march_2
            | self.o_team_b
            | self.o_other
            # no_deadline: no month, company_b: not allowed, lost/lead/won: not open
            | self.o_nobody
            | self.o_no_stage,
        )
        line = own.filtered(lambda line: line.lead_id == self.o_other)
        self.assertEqual(line.month, MARCH)
        self.assertEqual(line.prorated_revenue, 4114.81)  # Odoo's rounding
        self.assertEqual(line.prorated_revenue, self.o_other.prorated_revenue)
        self.assertEqual(line.currency_id, self.company.currency_id)
        someday = self.env["crm.forecast.report"].search(
            [("lead_id", "=", self.o_no_deadline.id)]
        )
        self.assertFalse(someday.month)
        self.assertEqual(someday.prorated_revenue, 700)
        self.assertFalse(
            self.env["crm.forecast.report"].search(
                [("lead_id", "in", (self.o_lost | self.lead).ids)]
            )
        )

    def test_odoo_forecast_total_is_prorated_plus_won(self):
        """Odoo's Forecast (crm_lead_action_forecast: type opportunity, active)
        counts won deals at 100 %: here they count in Won instead."""
        Lead = self.env["crm.lead"]
        deals = [("partner_id", "=", self.customer.id)]
        odoo_forecast = Lead._read_group(
            [("type", "=", "opportunity"), *deals], [], ["prorated_revenue:sum"]
        )[0][0]
        lines = self.env["crm.forecast.report"].search(
            [("lead_id.partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            odoo_forecast,
            sum(lines.mapped("prorated_revenue")) + sum(lines.mapped("won_revenue")),
        )
        self.assertNotIn(self.o_lost, lines.lead_id)

    # ---------------------------------------------------------- (b) won to date
    def test_won_by_closing_month(self):
        for tz, won_month in ((False, MARCH), ("Asia/Shanghai", APRIL)):
            env = self._env(self.user_all, tz=tz)
            Report = env["crm.forecast.report"]
            self.assertEqual(
                self._sums(
                    Report._read_group(
                        [("line_type", "=", "won")],
                        ["month:month", "user_id", "team_id"],
                        ["won_revenue:sum"],
                    )
                ),
                self._sums(
                    env["crm.lead"]._read_group(
                        WON_DOMAIN,
                        ["date_closed:month", "user_id", "team_id"],
                        ["expected_revenue:sum"],
                    )
                ),
                tz,
            )
            line = Report.search([("lead_id", "=", self.o_won.id)])
            self.assertEqual(line.line_type, "won")
            self.assertEqual(line.month, won_month)
            self.assertEqual(line.won_revenue, 20000)
            self.assertEqual(line.prorated_revenue, 0)
            self.assertEqual(line.won_count, 1)

    def test_forecast_against_target(self):
        groups = self._env(self.user_manager)["crm.forecast.report"]._read_group(
            [("month", "=", MARCH), ("user_id", "=", self.user_own.id)],
            ["team_id"],
            [
                "prorated_revenue:sum",
                "won_revenue:sum",
                "forecast_revenue:sum",
                "target_amount:sum",
                "gap_amount:sum",
                "opportunity_count:sum",
            ],
        )
        self.assertEqual(groups, [(self.team, 5250, 20000, 25250, 50000, 24750, 2)])

    # -------------------------------------------------------------- (c) targets
    def test_target_form_normalises_the_month(self):
        Target = self._env(self.user_manager)["crm.sales.target"]
        with Form(Target) as form:
            form.user_id = self.user_own_2
            form.month = date(2031, 5, 17)
            form.target_amount = 12000
        target = form.record
        self.assertEqual(target.month, MAY)
        self.assertEqual(target.company_id, self.company)
        self.assertEqual(target.currency_id, self.company.currency_id)
        self.assertIn("May 2031", target.display_name)
        target.month = "2031-06-30"
        self.assertEqual(target.month, date(2031, 6, 1))
        # The report shows it at once.
        line = Target.env["crm.forecast.report"].search([("target_id", "=", target.id)])
        self.assertEqual((line.line_type, line.target_amount), ("target", 12000))
        self.assertEqual(line.gap_amount, 12000)

    def test_target_amount_must_be_positive(self):
        Target = self._env(self.user_manager)["crm.sales.target"]
        for amount in (0, -500):
            with self.assertRaises(ValidationError):
                Target.create(
                    {
                        "user_id": self.user_own.id,
                        "month": "2031-07-01",
                        "target_amount": amount,
                    }
                )
        with self.assertRaises(ValidationError):
            self.t_own.with_env(Target.env).target_amount = -1

    def test_target_in_another_currency(self):
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        Target = self._env(self.user_manager)["crm.sales.target"]
        with self.assertRaisesRegex(ValidationError, "company's currency"):
            Target.create(
                {
                    "user_id": self.user_own.id,
                    "month": "2031-07-01",
                    "target_amount": 100,
                    "currency_id": other.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "company's currency"):
            self.t_own.with_env(Target.env).currency_id = other

    def test_one_target_per_salesperson_team_and_month(self):
        Target = self._env(self.user_manager)["crm.sales.target"]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Target.create(
                    {
                        "user_id": self.user_own.id,
                        "team_id": self.team.id,
                        "month": "2031-03-20",  # normalised: same month
                        "target_amount": 1,
                    }
                )
        with self.assertRaisesRegex(ValidationError, "without a sales team"):
            Target.create(
                {
                    "user_id": self.user_own.id,
                    "month": "2031-04-09",
                    "target_amount": 1,
                }
            )
        # Another team, another month, another company: fine.
        Target.create(
            {
                "user_id": self.user_own.id,
                "team_id": self.team_b.id,
                "month": "2031-03-01",
                "target_amount": 1,
            }
        )
        Target.create(
            {"user_id": self.user_own.id, "month": "2031-05-01", "target_amount": 1}
        )
        self.user_own.company_ids = [(4, self.company_b.id)]
        Target.with_company(self.company_b).create(
            {"user_id": self.user_own.id, "month": "2031-04-01", "target_amount": 1}
        )

    def test_target_team_of_another_company(self):
        team_b = self.env["crm.team"].create(
            {"name": "Branch B Team", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError):
            self._env(self.user_manager)["crm.sales.target"].create(
                {
                    "user_id": self.user_own.id,
                    "team_id": team_b.id,
                    "month": "2031-07-01",
                    "target_amount": 100,
                }
            )

    # ---------------------------------------------------------- (d) access matrix
    def test_salesman_sees_own_and_unassigned(self):
        lines = self._report(self.user_own)
        self.assertEqual(lines.user_id, self.user_own)  # and unassigned ones
        self.assertEqual(
            lines.lead_id,
            self.o_march | self.o_march_2 | self.o_team_b | self.o_nobody | self.o_won,
        )
        self.assertEqual(lines.target_id, self.t_own | self.t_own_no_team)
        # The same as the opportunities he may open.
        Lead = self._env(self.user_own)["crm.lead"]
        self.assertEqual(
            lines.lead_id,
            Lead.search(
                [
                    ("type", "=", "opportunity"),
                    ("partner_id", "=", self.customer.id),
                    "|",
                    ("date_deadline", ">=", MARCH),
                    ("date_closed", ">=", MARCH),
                ]
            ),
        )
        other_line = self._report(
            self.user_manager, [("lead_id", "=", self.o_other.id)]
        )
        with self.assertRaises(AccessError):
            other_line.with_env(lines.env).read(["prorated_revenue"])
        # His targets only, read-only.
        Target = self._env(self.user_own)["crm.sales.target"]
        self.assertEqual(
            Target.search([("month", ">=", MARCH)]), self.t_own | self.t_own_no_team
        )
        with self.assertRaises(AccessError):
            self.t_own.with_env(Target.env).target_amount = 99999
        with self.assertRaises(AccessError):
            Target.create(
                {"user_id": self.user_own.id, "month": MAY, "target_amount": 1}
            )

    def test_all_leads_and_manager_see_all(self):
        everything = self.env["crm.forecast.report"].search(
            [("month", ">=", MARCH), ("month", "<", MAY)]
        )
        of_company = everything.filtered(lambda line: line.company_id != self.company_b)
        self.assertEqual(self._report(self.user_all), of_company)
        self.assertEqual(self._report(self.user_manager), of_company)
        self.assertEqual(
            self._report(self.user_manager, companies=self.company | self.company_b),
            everything,
        )
        self.assertEqual(
            self._env(self.user_all)["crm.sales.target"].search(
                [("month", ">=", MARCH)]
            ),
            self.t_own | self.t_own_no_team | self.t_other,
        )

    def test_other_company_invisible(self):
        # Leads without a company (nobody's, no team) show in every company.
        self.assertFalse(self.o_nobody.company_id)
        lines = self._report(self.user_company_b, companies=self.company_b)
        self.assertEqual(lines.lead_id, self.o_company_b | self.o_nobody)
        self.assertEqual(lines.target_id, self.t_company_b)
        self.assertNotIn(self.o_company_b, self._report(self.user_all).lead_id)
        self.assertNotIn(
            self.t_company_b,
            self._env(self.user_manager)["crm.sales.target"].search([]),
        )

    def test_no_sales_group_no_report(self):
        env = self._env(self.user_internal)
        with self.assertRaises(AccessError):
            env["crm.forecast.report"].search([])
        with self.assertRaises(AccessError):
            env["crm.sales.target"].search([])

    # ------------------------------------------------------------------ (e) XLSX
    def test_xlsx_of_a_salesman(self):
        lines = self._report(self.user_own)
        rows = self._xlsx(self.user_own, lines.ids)
        self.assertEqual(rows[0], XLSX_HEADER)
        own, team, team_b = self.user_own.name, self.team.name, self.team_b.name
        attainment = round(20000 / 58000, 6)
        self.assertEqual(
            rows[1:],
            [
                # month, salesperson, team, prorated, won, forecast, target, gap, %
                (MARCH, own, team, 5250, 20000, 25250, 50000, 24750, 0.4),
                (MARCH, "Unassigned", None, 1000, 0, 1000, 0, -1000, None),
                (APRIL, own, team_b, 4000, 0, 4000, 0, -4000, None),
                (APRIL, own, None, 0, 0, 0, 8000, 8000, 0),
                ("Total", None, None, 10250, 20000, 30250, 58000, 27750, attainment),
            ],
        )
        # Even given the ids of other salesmen's lines, he gets only his own.
        everything = self._report(self.user_manager)
        self.assertEqual(self._xlsx(self.user_own, everything.ids), rows)
        self.assertNotIn(self.user_own_2.name, {value for row in rows for value in row})

    def test_xlsx_of_a_manager(self):
        rows = self._xlsx(self.user_manager, [], {"domain": [("month", "=", MARCH)]})
        self.assertEqual(rows[0], XLSX_HEADER)
        by_user = {(row[1], row[2]): row[3:] for row in rows[1:] if row[0] == MARCH}
        self.assertEqual(
            by_user[(self.user_own_2.name, self.team.name)],
            (4114.81, 0, 4114.81, 30000, 25885.19, 0),
        )
        self.assertEqual(by_user[(self.user_own.name, self.team.name)][0], 5250)
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        Report = self._env(self.user_manager)["crm.forecast.report"]
        sums = Report._read_group(
            [("month", "=", MARCH)],
            [],
            ["prorated_revenue:sum", "won_revenue:sum", "target_amount:sum"],
        )[0]
        self.assertEqual(total[3:5] + total[6:7], tuple(round(x, 6) for x in sums))

    # ----------------------------------------------------------- (f) empty base
    def test_empty_database(self):
        self.env["crm.lead"].with_context(active_test=False).search([]).unlink()
        self.env["crm.sales.target"].search([]).unlink()
        Report = self._env(self.user_manager)["crm.forecast.report"]
        self.assertFalse(Report.search([]))
        self.assertEqual(
            Report._read_group([], ["month:month"], ["prorated_revenue:sum"]), []
        )
        self.assertEqual(self._xlsx(self.user_manager, []), [XLSX_HEADER])
        self.assertEqual(self._xlsx(self.user_own, []), [XLSX_HEADER])
