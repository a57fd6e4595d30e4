# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from unittest.mock import patch

from openpyxl import load_workbook

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_funnel import FunnelCommon


class FunnelExportCase(FunnelCommon):
    """Five deals of one team through stages of their own: A won, B lost in
    Proposal, C open in Proposal, D (another salesperson) open in New, E
    unassigned in New."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_team = cls.env["crm.team"].create(
            {"name": "Export Team", "user_id": cls.user_manager.id}
        )
        Stage = cls.env["crm.stage"]
        team = cls.export_team.id
        cls.x1 = Stage.create({"name": "X1 New", "sequence": 31, "team_id": team})
        cls.x2 = Stage.create({"name": "X2 Proposal", "sequence": 32, "team_id": team})
        cls.xw = Stage.create(
            {"name": "X Won", "sequence": 39, "is_won": True, "team_id": team}
        )
        Lead = cls.env["crm.lead"]

        def deal(name, user, revenue):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": team,
                    "stage_id": cls.x1.id,
                    "user_id": user.id,
                    "expected_revenue": revenue,
                }
            )

        cls.a = deal("Export A", cls.user_own, 1000)
        cls.b = deal("Export B", cls.user_own, 2000)
        cls.c = deal("Export C", cls.user_own, 3000)
        cls.d = deal("Export D", cls.user_own_2, 4000)
        cls.e = deal("Export E", cls.env["res.users"], 500)
        (cls.a | cls.b | cls.c).stage_id = cls.x2
        cls.a.stage_id = cls.xw
        cls.b.action_set_lost()
        cls.deals = cls.a | cls.b | cls.c | cls.d | cls.e
        cls.domain = [("lead_id", "in", cls.deals.ids)]
        # Shared stages of lower sequence count as reached too: keep the team's.
        cls.funnel_domain = cls.domain + [
            ("stage_id", "in", (cls.x1 | cls.x2 | cls.xw).ids)
        ]

    def _xlsx(self, report, user, data=None, ids=()):
        if data is None:
            domain = self.domain
            if report == "crm_360.crm_funnel_report_xlsx":
                domain = self.funnel_domain
            data = {"domain": domain}
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(report, list(ids), data)
        )
        self.assertEqual(report_type, "xlsx")
        return load_workbook(io.BytesIO(content))

    @staticmethod
    def _rows(sheet):
        rows = sheet.iter_rows(values_only=True)
        header = next(rows)
        return header, [row for row in rows if any(cell is not None for cell in row)]


@tagged("post_install", "-at_install")
class TestCrmFunnelExport(FunnelExportCase):
    def test_funnel_xlsx_per_user(self):
        for user, reached in (
            (self.user_manager, {"X1 New": 5, "X2 Proposal": 3, "X Won": 1}),
            (self.user_own, {"X1 New": 4, "X2 Proposal": 3, "X Won": 1}),
            (self.user_own_2, {"X1 New": 2}),
        ):
            with self.subTest(user=user.login):
                book = self._xlsx("crm_360.crm_funnel_report_xlsx", user)
                self.assertEqual(book.sheetnames, ["Funnel", "Funnel by Team"])
                header, rows = self._rows(book["Funnel"])
                self.assertEqual(header[:3], ("Stage", "# Reached", "# Went Further"))
                self.assertEqual({row[0]: row[1] for row in rows}, reached)
                self.assertEqual(
                    [row[0] for row in rows], list(reached), "in stage order"
                )
        _header, rows = self._rows(
            self._xlsx("crm_360.crm_funnel_report_xlsx", self.user_manager)["Funnel"]
        )
        new, proposal, won = rows
        # X1: 5 reached, 3 went further (60 %), D and E still there; won 1 of 5,
        # win rate: 1 won of the 2 closed (A won, B lost).
        self.assertEqual(new[2:9], (3, 0.6, 0, 2, 1, 0.2, 0.5))
        self.assertEqual(new[9], 10500)
        # X2: 3 reached, A went further, B lost here, C still here.
        self.assertEqual(proposal[1:7], (3, 1, 1 / 3, 1, 1, 1))
        self.assertEqual(won[1], 1)
        _header, by_team = self._rows(
            self._xlsx("crm_360.crm_funnel_report_xlsx", self.user_manager)[
                "Funnel by Team"
            ]
        )
        self.assertEqual({row[0] for row in by_team}, {"Export Team"})

    def test_funnel_xlsx_equals_the_report(self):
        groups = (
            self.env["crm.funnel.report"]
            .with_user(self.user_own)
            ._read_group(
                self.funnel_domain, ["stage_id"], ["nbr:sum", "expected_revenue:sum"]
            )
        )
        _header, rows = self._rows(
            self._xlsx("crm_360.crm_funnel_report_xlsx", self.user_own)["Funnel"]
        )
        self.assertEqual(
            {row[0]: (row[1], row[9]) for row in rows},
            {stage.name: (nbr, amount) for stage, nbr, amount in groups},
        )

    def test_selected_rows_and_bad_domain(self):
        rows = self.env["crm.funnel.report"].search(
            [("lead_id", "=", self.d.id), ("stage_id", "=", self.x1.id)]
        )
        book = self._xlsx(
            "crm_360.crm_funnel_report_xlsx", self.user_manager, data={}, ids=rows.ids
        )
        _header, lines = self._rows(book["Funnel"])
        self.assertEqual([(line[0], line[1]) for line in lines], [("X1 New", 1)])
        # The salesman selecting another's rows gets nothing of them.
        book = self._xlsx(
            "crm_360.crm_funnel_report_xlsx", self.user_own, data={}, ids=rows.ids
        )
        self.assertEqual(self._rows(book["Funnel"])[1], [])
        with self.assertRaisesRegex(UserError, "domain"):
            self._xlsx(
                "crm_360.crm_funnel_report_xlsx",
                self.user_manager,
                data={"domain": "lead_id = 1"},
            )

    def test_malformed_options_refused_cleanly(self):
        """Every XLSX export of crm_360 answers malformed options, context, ids
        or domains with a UserError (the controller's clean 400), never a
        KeyError, AssertionError or ValueError."""
        reports = (
            self.env["ir.actions.report"]
            .search(
                [("report_type", "=", "xlsx"), ("report_name", "=like", "crm_360.%")]
            )
            .mapped("report_name")
        )
        self.assertGreaterEqual(len(reports), 8)
        malformed = [
            ((), {"domain": "lead_id = 1"}),
            ((), {"domain": [("no_such_field", "=", 1)]}),
            ((), {"domain": [("id", "resembles", 1)]}),
            ((), {"domain": [("id", "=")]}),
            ((), {"domain": [1]}),
            ((), {"domain": ["|"]}),
            ((), {"context": "active_ids"}),
            ((), {"context": {"active_ids": ["a", None]}}),
            ((), {"context": {"active_ids": 7}}),
            ((), {"context": {"active_domain": [("nope", "=", 1)]}}),
            ((), [1, 2]),
            ((), "options"),
            (("x",), {}),
        ]
        Report = self.env["ir.actions.report"].with_user(self.user_manager)
        for report in reports:
            for ids, data in malformed:
                with self.subTest(report=report, ids=ids, data=data):
                    with self.assertRaises(UserError):
                        Report._render_xlsx(report, list(ids), data)
        for figures in ("figures", {"team": "Forged"}, {"currency": 5}):
            with self.subTest(figures=figures), self.assertRaises(UserError):
                Report._render_xlsx(
                    "crm_360.crm_team_mail_report_xlsx", [], {"figures": figures}
                )

    def test_time_in_stage_xlsx(self):
        domain = [("stage_id", "in", (self.x1 | self.x2).ids)]
        for user in (self.user_manager, self.user_own):
            with self.subTest(user=user.login):
                records = (
                    self.env["crm.stage.time.report"].with_user(user).search(domain)
                )
                book = self._xlsx(
                    "crm_360.crm_stage_time_report_xlsx", user, {"domain": domain}
                )
                header, rows = self._rows(book["Time in Stage"])
                self.assertEqual(header[1], "Stage")
                self.assertEqual(len(rows), len(records))
                per_stage = {
                    row[1]: row
                    for row in rows
                    if row[0] == "Stage" and row[1] == "X1 New"
                }
                record = records.filtered(
                    lambda rec: rec.scope == "stage" and rec.stage_id == self.x1
                )
                self.assertEqual(
                    (per_stage["X1 New"][4], per_stage["X1 New"][9]),
                    (record.nbr_stays, record.nbr_current),
                )

    def test_stage_history_xlsx(self):
        for user, deals in (
            (self.user_manager, self.deals),
            (self.user_own, self.a | self.b | self.c | self.e),
        ):
            with self.subTest(user=user.login):
                book = self._xlsx("crm_360.crm_lead_stage_history_xlsx", user)
                header, rows = self._rows(book["Stage History"])
                self.assertEqual(header[:3], ("Date", "Opportunity", "Event"))
                entries = (
                    self.env["crm.lead.stage.history"]
                    .with_user(user)
                    .search(self.domain)
                )
                self.assertEqual(len(rows), len(entries))
                self.assertEqual({row[1] for row in rows}, set(deals.mapped("name")))
        _header, rows = self._rows(
            self._xlsx("crm_360.crm_lead_stage_history_xlsx", self.user_manager)[
                "Stage History"
            ]
        )
        events_of_b = [row[2] for row in rows if row[1] == "Export B"]
        self.assertEqual(events_of_b, ["Created", "Stage Change", "Lost"])

    def test_summary_html_per_user(self):
        Report = self.env["ir.actions.report"]
        html, _format = Report.with_user(self.user_manager)._render_qweb_html(
            "crm_360.crm_funnel_summary_report", self.export_team.ids
        )
        html = html.decode()
        self.assertIn("Export Team", html)
        for stage in ("X1 New", "X2 Proposal", "X Won"):
            self.assertIn(stage, html)
        html_own_2, _format = Report.with_user(self.user_own_2)._render_qweb_html(
            "crm_360.crm_funnel_summary_report", self.export_team.ids
        )
        html_own_2 = html_own_2.decode()
        self.assertIn("X1 New", html_own_2)
        self.assertNotIn("X Won", html_own_2, "A is not his")

    def test_summary_counts_what_the_xlsx_counts(self):
        """The PDF summary and the XLSX share one definition of what the funnel
        counts by default (opportunities, like the screen's default filter): a
        lead of the team counts in neither."""
        self.env["crm.lead"].create(
            {
                "name": "Export plain lead",
                "type": "lead",
                "team_id": self.export_team.id,
                "stage_id": self.x1.id,
                "user_id": self.user_own.id,
            }
        )
        self.assertIn(
            "lead",
            self.env["crm.funnel.report"]
            .search([("team_id", "=", self.export_team.id)])
            .mapped("lead_type"),
        )
        summary = (
            self.env["report.crm_360.crm_funnel_summary_document"]
            .with_user(self.user_manager)
            ._get_report_values(self.export_team.ids)
        )
        pdf_rows = [
            list(row) for row in summary["summaries"][self.export_team.id]["funnel"]
        ]
        # The XLSX printed from the list without selection, its team sheet.
        _header, by_team = self._rows(
            self._xlsx("crm_360.crm_funnel_report_xlsx", self.user_manager, data={})[
                "Funnel by Team"
            ]
        )
        xlsx_rows = [list(row[1:]) for row in by_team if row[0] == "Export Team"]
        self.assertEqual(pdf_rows, xlsx_rows)
        team_stages = {"X1 New", "X2 Proposal", "X Won"}
        self.assertEqual(
            {row[0]: row[1] for row in pdf_rows if row[0] in team_stages},
            {"X1 New": 5, "X2 Proposal": 3, "X Won": 1},
        )

    def test_pivot_totals_count_each_deal_once(self):
        """Per stage, the deals reached/went further/won; the total row counts
        each deal once instead of adding up the stages."""
        Report = self.env["crm.funnel.report"].with_user(self.user_manager)
        measures = ["deal_reached", "deal_further", "deal_won", "nbr_lost_here"]
        per_stage = {
            stage.name: values
            for stage, *values in Report._read_group(
                self.funnel_domain,
                ["stage_id"],
                [f"{fname}:count_distinct" for fname in measures[:3]]
                + ["nbr_lost_here:sum"],
            )
        }
        self.assertEqual(
            per_stage,
            {
                "X1 New": [5, 3, 1, 0],
                "X2 Proposal": [3, 1, 1, 1],
                "X Won": [1, 0, 1, 0],
            },
        )
        # What the pivot asks for its Total row: each field's own aggregator.
        fields_info = Report.fields_get(measures, ["aggregator"])
        total = Report.read_group(
            self.funnel_domain,
            [f"{f}:{fields_info[f]['aggregator']}" for f in measures],
            [],
        )[0]
        self.assertEqual(
            [total[f] for f in measures], [5, 3, 1, 1], "5 deals, 1 won, 1 lost"
        )
        for fname in ("nbr", "nbr_next", "nbr_won"):
            self.assertNotIn("aggregator", Report.fields_get([fname])[fname])

    def test_xlsx_files_named_by_their_content(self):
        """report_xlsx names the file after the action: no "(XLSX)" in it."""
        for xmlid, name in (
            ("crm_360.crm_funnel_report_xlsx", "Sales Funnel"),
            ("crm_360.crm_stage_time_report_xlsx", "Time in Stage"),
            ("crm_360.crm_lead_stage_history_xlsx", "Stage History"),
            ("crm_360.crm_forecast_report_xlsx", "Forecast vs Target"),
        ):
            with self.subTest(report=xmlid):
                self.assertEqual(self.env.ref(xmlid).name, name)

    def test_time_in_stage_labels_as_on_screen(self):
        """One label per figure: the XLSX headers are the fields' labels."""
        _header, _rows = self._rows(
            self._xlsx(
                "crm_360.crm_stage_time_report_xlsx", self.user_manager, data={}
            )["Time in Stage"]
        )
        Report = self.env["crm.stage.time.report"]
        self.assertIn("# Finished Stays", _header)
        self.assertEqual(Report._fields["nbr_stays"].string, "# Finished Stays")
        self.assertIn(Report._fields["nbr_current"].string, _header)

    def test_summary_and_xlsx_rows_from_the_analysis_models(self):
        """The PDF summary and the XLSX exports take their rows from one source,
        the analysis models (``crm.funnel.report._funnel_rows``,
        ``crm.forecast.report._forecast_lines``), not from each other."""
        Funnel = type(self.env["crm.funnel.report"])
        Forecast = type(self.env["crm.forecast.report"])
        with (
            patch.object(
                Funnel, "_funnel_rows", autospec=True, side_effect=Funnel._funnel_rows
            ) as funnel_rows,
            patch.object(
                Forecast,
                "_forecast_lines",
                autospec=True,
                side_effect=Forecast._forecast_lines,
            ) as forecast_lines,
        ):
            self.env["report.crm_360.crm_funnel_summary_document"].with_user(
                self.user_own
            )._get_report_values(self.export_team.ids)
            self.assertEqual(
                (funnel_rows.call_count, forecast_lines.call_count), (1, 1)
            )
            self._xlsx("crm_360.crm_funnel_report_xlsx", self.user_own)
            self.assertEqual(funnel_rows.call_count, 3, "the XLSX's two sheets")
            self._xlsx("crm_360.crm_forecast_report_xlsx", self.user_own, data={})
            self.assertEqual(forecast_lines.call_count, 2)
        for report in ("crm_funnel_report_xlsx", "crm_forecast_report_xlsx"):
            with self.subTest(report=report):
                export = self.env[f"report.crm_360.{report}"]
                self.assertFalse(hasattr(export, "_funnel_rows"))
                self.assertFalse(hasattr(export, "_forecast_lines"))

    def test_summary_forecast_equals_the_xlsx(self):
        """The summary's forecast lines are the XLSX's for the same team and
        months: C due this month, a target of 5000 for its salesperson."""
        today = fields.Date.context_today(self.c)
        self.c.date_deadline = today
        self.env["crm.sales.target"].create(
            {
                "user_id": self.user_own.id,
                "team_id": self.export_team.id,
                "month": today,
                "target_amount": 5000,
            }
        )
        summary = (
            self.env["report.crm_360.crm_funnel_summary_document"]
            .with_user(self.user_manager)
            ._get_report_values(self.export_team.ids)
        )
        lines = summary["summaries"][self.export_team.id]["forecast"]
        months = summary["months"]
        _header, rows = self._rows(
            self._xlsx(
                "crm_360.crm_forecast_report_xlsx",
                self.user_manager,
                data={
                    "domain": [
                        ("team_id", "=", self.export_team.id),
                        ("month", ">=", months[0]),
                        ("month", "<=", months[1]),
                    ]
                },
            )["Forecast vs Target"]
        )
        self.assertEqual(
            [
                (line["user"].name, line["prorated"], line["won"], line["target"])
                for line in lines
            ],
            [(row[1], row[3], row[4], row[6]) for row in rows[: len(lines)]],
        )
        self.assertEqual(
            [(line["user"], line["target"]) for line in lines],
            [(self.user_own, 5000)],
        )
        self.assertEqual(rows[len(lines)][0], "Total")


@tagged("post_install", "-at_install")
class TestCrmFunnelSummaryPdf(HttpCase, FunnelExportCase):
    """The PDF itself: wkhtmltopdf fetches the report assets from the test
    server, hence an HttpCase."""

    def test_summary_pdf(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, content_type = Report.with_user(self.user_own)._render_qweb_pdf(
            "crm_360.crm_funnel_summary_report", self.export_team.ids
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_malformed_options_answer_400(self):
        """Through the report URL, malformed options answer a clean 400."""
        self.authenticate("c360_manager", "c360_manager")
        for report, options in (
            (
                "crm_360.crm_funnel_report_xlsx",
                '{"domain": [["no_such_field", "=", 1]]}',
            ),
            ("crm_360.crm_forecast_report_xlsx", '{"domain": "lead_id = 1"}'),
            (
                "crm_360.crm_sales_activity_report_xlsx",
                '{"domain": [1]}',
            ),
            ("crm_360.crm_team_mail_report_xlsx", '{"figures": {"team": "Forged"}}'),
        ):
            with self.subTest(report=report, options=options):
                with mute_logger("odoo.http"):
                    response = self.url_open(f"/report/xlsx/{report}?options={options}")
                self.assertEqual(response.status_code, 400, response.text[:200])
