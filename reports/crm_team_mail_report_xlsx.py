# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmTeamMailReportXlsx(models.AbstractModel):
    """The sales report mailed to managers, as a spreadsheet: a summary sheet and
    one sheet each for the funnel movement, the forecast, the stuck deals and the
    overdue activities.

    It presents the figures given in ``data["figures"]`` (computed with the
    recipient's rights by ``crm.team.mail.report._get_report_figures``); printed
    from the menu, it computes them for the printing user and the last completed
    period.
    """

    _name = "report.crm_360.crm_team_mail_report_xlsx"
    _description = "Mailed Sales Report XLSX"
    _inherit = "report.report_xlsx.abstract"

    def _mail_report_figures(self, data, reports):
        if (data or {}).get("figures"):
            return [data["figures"]]
        figures = []
        for report in reports:
            date_from, date_to = report._get_period(
                report.periodicity, fields.Date.context_today(report)
            )
            figures.append(report._get_report_figures(date_from, date_to))
        return figures

    def generate_xlsx_report(self, workbook, data, reports):
        header = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#714B67",
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True})
        for figures in self._mail_report_figures(data, reports):
            currency = self.env["res.currency"].search(
                [("name", "=", figures["currency"])], limit=1
            )
            money = workbook.add_format(
                {"num_format": self._report_xlsx_currency_format(currency)}
            )
            money_total = workbook.add_format(
                {
                    "num_format": self._report_xlsx_currency_format(currency),
                    "bold": True,
                    "top": 1,
                }
            )

            def table(sheet, columns, rows, start=0):
                """Write a header row and the rows; returns the next free row."""
                for col, (label, width, _key, _fmt) in enumerate(columns):
                    sheet.set_column(col, col, width)
                    sheet.write(start, col, label, header)
                sheet.set_row(start, 30)
                sheet.freeze_panes(start + 1, 0)
                row = start
                for row, values in enumerate(rows, start=start + 1):
                    for col, (_label, _width, key, fmt) in enumerate(columns):
                        value = values[key]
                        if isinstance(value, int | float):
                            sheet.write_number(row, col, value, fmt)
                        else:
                            sheet.write_string(row, col, value or "")
                return row + 1

            sheet = workbook.add_worksheet(self.env._("Summary"))
            sheet.set_column(0, 0, 32)
            sheet.set_column(1, 2, 18)
            sheet.write(0, 0, figures["team"], title)
            sheet.write(1, 0, figures["period"])
            summary = [
                (self.env._("New leads"), figures["new_leads"], None),
                (self.env._("New opportunities"), figures["new_opportunities"], None),
                (
                    self.env._("Expected revenue of new deals"),
                    None,
                    figures["new_revenue"],
                ),
                (self.env._("Won"), figures["won_count"], figures["won_revenue"]),
                (self.env._("Lost"), figures["lost_count"], figures["lost_revenue"]),
                (
                    self.env._("Orders confirmed"),
                    figures["order_count"],
                    figures["order_amount"],
                ),
                (self.env._("Stuck deals"), figures["stuck_count"], None),
                (self.env._("Overdue activities"), figures["overdue_count"], None),
            ]
            sheet.write(3, 0, self.env._("Figure"), header)
            sheet.write(3, 1, self.env._("Number"), header)
            sheet.write(3, 2, self.env._("Amount"), header)
            for row, (label, count, amount) in enumerate(summary, start=4):
                sheet.write_string(row, 0, label, bold)
                if count is not None:
                    sheet.write_number(row, 1, count)
                if amount is not None:
                    sheet.write_number(row, 2, amount, money)

            sheet = workbook.add_worksheet(self.env._("Funnel Movement"))
            table(
                sheet,
                [
                    (self.env._("Stage"), 24, "stage", None),
                    (self.env._("Entered"), 12, "entered", None),
                    (self.env._("Left"), 12, "left", None),
                    (self.env._("Open Now"), 12, "open", None),
                    (self.env._("Open Pipeline"), 18, "open_revenue", money),
                ],
                figures["funnel"],
            )

            sheet = workbook.add_worksheet(self.env._("Forecast vs Target"))
            forecast_columns = [
                (self.env._("Salesperson"), 24, "user", None),
                (self.env._("Won"), 16, "won", money),
                (self.env._("Prorated Revenue"), 18, "prorated", money),
                (self.env._("Forecast"), 16, "forecast", money),
                (self.env._("Target"), 16, "target", money),
                (self.env._("Gap to Target"), 16, "gap", money),
            ]
            row = table(sheet, forecast_columns, figures["forecast"])
            total = figures["forecast_total"]
            sheet.write_string(row, 0, total["user"], bold)
            for col, (_label, _width, key, _fmt) in enumerate(forecast_columns):
                if col:
                    sheet.write_number(row, col, total[key], money_total)

            sheet = workbook.add_worksheet(self.env._("Stuck Deals"))
            table(
                sheet,
                [
                    (self.env._("Opportunity"), 32, "name", None),
                    (self.env._("Salesperson"), 20, "user", None),
                    (self.env._("Stage"), 18, "stage", None),
                    (self.env._("Days in Stage"), 12, "days", None),
                    (self.env._("Stage Aging"), 18, "state", None),
                    (self.env._("Expected Revenue"), 18, "revenue", money),
                ],
                figures["stuck"],
            )

            sheet = workbook.add_worksheet(self.env._("Overdue Activities"))
            table(
                sheet,
                [
                    (self.env._("Assigned to"), 24, "user", None),
                    (self.env._("Overdue"), 12, "count", None),
                ],
                figures["overdue_activities"],
            )
