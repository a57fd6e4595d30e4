# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


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
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]

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

    def _sheet(self, workbook, formats, title, columns, rows):
        """A sheet of ``rows`` (dicts) under ``columns`` [(title, width, format
        key, dict key)]; returns the sheet and its next free row."""
        sheet = workbook.add_worksheet(title)
        next_row = self._xlsx_table(
            sheet,
            formats,
            [(label, width, fmt) for label, width, fmt, _key in columns],
            [[row[key] for _label, _width, _fmt, key in columns] for row in rows],
        )
        return sheet, next_row

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        if not (data or {}).get("figures"):
            return super().create_xlsx_report(docids, data)
        # Figures computed by the mailing; sent in a URL they may be anything.
        if not isinstance(data["figures"], dict):
            raise UserError(
                self.env._("The figures of the sales report are malformed.")
            )
        try:
            return super().create_xlsx_report(docids, data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise UserError(
                self.env._("The figures of the sales report are malformed.")
            ) from error

    def generate_xlsx_report(self, workbook, data, reports):
        for figures in self._mail_report_figures(data, reports):
            currency = self.env["res.currency"].search(
                [("name", "=", figures["currency"])], limit=1
            )
            formats = self._xlsx_formats(workbook, currency)

            sheet = workbook.add_worksheet(self.env._("Summary"))
            sheet.set_column(0, 0, 32)
            sheet.set_column(1, 2, 18)
            sheet.write(0, 0, figures["team"], formats["title"])
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
            for col, label in enumerate(
                (self.env._("Figure"), self.env._("Number"), self.env._("Amount"))
            ):
                sheet.write(3, col, label, formats["header"])
            for row, (label, count, amount) in enumerate(summary, start=4):
                sheet.write_string(row, 0, label)
                if count is not None:
                    sheet.write_number(row, 1, count)
                if amount is not None:
                    sheet.write_number(row, 2, amount, formats["money"])

            self._sheet(
                workbook,
                formats,
                self.env._("Funnel Movement"),
                [
                    (self.env._("Stage"), 24, None, "stage"),
                    (self.env._("Entered"), 12, None, "entered"),
                    (self.env._("Left"), 12, None, "left"),
                    (self.env._("Open Now"), 12, None, "open"),
                    (self.env._("Open Pipeline"), 18, "money", "open_revenue"),
                ],
                figures["funnel"],
            )
            forecast_columns = [
                (self.env._("Salesperson"), 24, None, "user"),
                (self.env._("Won"), 16, "money", "won"),
                (self.env._("Prorated Revenue"), 18, "money", "prorated"),
                (self.env._("Forecast"), 16, "money", "forecast"),
                (self.env._("Target"), 16, "money", "target"),
                (self.env._("Gap to Target"), 16, "money", "gap"),
            ]
            sheet, row = self._sheet(
                workbook,
                formats,
                self.env._("Forecast vs Target"),
                forecast_columns,
                figures["forecast"],
            )
            total = figures["forecast_total"]
            sheet.write_string(row, 0, total["user"], formats["bold"])
            for col, (_label, _width, _fmt, key) in enumerate(forecast_columns[1:], 1):
                sheet.write_number(row, col, total[key], formats["money_total"])
            self._sheet(
                workbook,
                formats,
                self.env._("Stuck Deals"),
                [
                    (self.env._("Opportunity"), 32, None, "name"),
                    (self.env._("Salesperson"), 20, None, "user"),
                    (self.env._("Stage"), 18, None, "stage"),
                    (self.env._("Days in Stage"), 12, None, "days"),
                    (self.env._("Stage Aging"), 18, None, "state"),
                    (self.env._("Expected Revenue"), 18, "money", "revenue"),
                ],
                figures["stuck"],
            )
            self._sheet(
                workbook,
                formats,
                self.env._("Overdue Activities"),
                [
                    (self.env._("Assigned to"), 24, None, "user"),
                    (self.env._("Overdue"), 12, None, "count"),
                ],
                figures["overdue_activities"],
            )
