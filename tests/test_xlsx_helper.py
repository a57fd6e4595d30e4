# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

import xlsxwriter
from openpyxl import load_workbook

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import Crm360UserFactory

XLSX_HELPER = "crm.funnel.xlsx.mixin"


@tagged("post_install", "-at_install")
class TestXlsxHelper(Crm360UserFactory, TransactionCase):
    """The XLSX helper every export of crm_360 shares (reports/xlsx_helper.py):
    what a report URL may send, the rows to export, the table writer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._new_user(
            "xlsx_helper_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.helper = cls.env[XLSX_HELPER].with_user(cls.salesman)

    def test_every_export_uses_the_helper(self):
        """Each XLSX export of crm_360 inherits the helper, defined in the file
        named for it, not in one capability's export."""
        defined_in = {
            cls.__module__
            for cls in type(self.env[XLSX_HELPER]).__mro__
            if vars(cls).get("_name") == XLSX_HELPER
            and cls.__module__.startswith("odoo.addons.")
        }
        self.assertEqual(defined_in, {"odoo.addons.crm_360.reports.xlsx_helper"})
        reports = self.env["ir.actions.report"].search(
            [("report_type", "=", "xlsx"), ("report_name", "=like", "crm_360.%")]
        )
        self.assertGreaterEqual(len(reports), 8)
        users = self.env[XLSX_HELPER]._inherit_children
        for report in reports:
            with self.subTest(report=report.report_name):
                self.assertIn(f"report.{report.report_name}", users)
        funnel_export = {
            name
            for cls in type(self.env["report.crm_360.crm_funnel_report_xlsx"]).__mro__
            if cls.__module__ == "odoo.addons.crm_360.reports.crm_funnel_report_xlsx"
            for name in vars(cls)
        }
        self.assertFalse(
            funnel_export & {"_xlsx_table", "_xlsx_formats", "_xlsx_check_data"},
            "the funnel's export holds the funnel only",
        )

    def test_domain_to_export(self):
        leads = self.env["crm.lead"].create(
            [{"name": "Helper A"}, {"name": "Helper B"}]
        )
        self.assertEqual(self.helper._xlsx_domain({}, leads), [("id", "in", leads.ids)])
        domain = [("name", "=", "Helper A")]
        self.assertEqual(self.helper._xlsx_domain({"domain": domain}, None), domain)
        self.assertEqual(
            self.helper._xlsx_domain({"context": {"active_domain": domain}}, None),
            domain,
        )
        self.assertEqual(self.helper._xlsx_domain(None, None), [])
        with self.assertRaisesRegex(UserError, "domain"):
            self.helper._xlsx_domain({"domain": "name = 1"}, None)

    def test_check_data(self):
        helper = self.helper.with_context(active_model="crm.lead")
        helper._xlsx_check_data([], None)
        helper._xlsx_check_data([1, 2], {"domain": [("name", "=", "x")]})
        for docids, data in (
            ([], "options"),
            ([], {"context": "x"}),
            (["a"], {}),
            ([True], {}),
            ([], {"domain": "name = 1"}),
            ([], {"domain": [("no_such_field", "=", 1)]}),
            ([], {"context": {"active_domain": [("id", "resembles", 1)]}}),
        ):
            with self.subTest(docids=docids, data=data):
                with self.assertRaises(UserError):
                    helper._xlsx_check_data(docids, data)

    def test_table(self):
        # The formats use report_xlsx's currency format: on an export.
        export = self.env["report.crm_360.crm_forecast_report_xlsx"].with_user(
            self.salesman
        )
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        formats = export._xlsx_formats(workbook)
        sheet = workbook.add_worksheet("Table")
        next_row = export._xlsx_table(
            sheet,
            formats,
            [("Name", 20, None), ("Count", 10, None), ("Amount", 14, "money")],
            [["One", 1, 10.5], ["Two", None, False], ["Three", 3, 0]],
        )
        workbook.close()
        self.assertEqual(next_row, 4, "header and three rows")
        rows = list(
            load_workbook(io.BytesIO(stream.getvalue()))["Table"].iter_rows(
                values_only=True
            )
        )
        self.assertEqual(
            rows,
            [
                ("Name", "Count", "Amount"),
                ("One", 1, 10.5),
                ("Two", None, None),
                ("Three", 3, 0),
            ],
        )

    def test_exports_share_the_header_format(self):
        """The forecast export writes its header in the helper's format, like
        the funnel's."""
        Report = self.env["ir.actions.report"].with_user(self.salesman)
        for report, sheet in (
            ("crm_360.crm_forecast_report_xlsx", "Forecast vs Target"),
            ("crm_360.crm_funnel_report_xlsx", "Funnel"),
        ):
            with self.subTest(report=report):
                content, _kind = Report._render_xlsx(report, [], {})
                cell = load_workbook(io.BytesIO(content))[sheet]["A1"]
                self.assertTrue(cell.font.b)
                self.assertEqual(cell.fill.fgColor.rgb, "FF714B67")
