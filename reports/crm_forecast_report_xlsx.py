# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmForecastReportXlsx(models.AbstractModel):
    """Forecast vs Target as a spreadsheet: one line per month × salesperson ×
    sales team (and currency), with prorated, won, forecast, target, gap and
    attainment.

    The figures are summed by the ORM as the user who prints (report_xlsx renders
    without sudo), so the file holds exactly what the report shows him.
    """

    _name = "report.crm_360.crm_forecast_report_xlsx"
    _description = "Forecast vs Target XLSX"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objs):
        # The selected lines, else the domain the report was printed with, else
        # all the lines the user may read.
        lines = self.env["crm.forecast.report"]._forecast_lines(
            self._xlsx_domain(data, objs)
        )
        sheet = workbook.add_worksheet(self.env._("Forecast vs Target"))
        formats = self._xlsx_formats(workbook)
        header, percent, bold = formats["header"], formats["percent"], formats["bold"]
        month_format = workbook.add_format({"num_format": "mmmm yyyy", "align": "left"})
        bold_percent = workbook.add_format(
            {"bold": True, "top": 1, "num_format": "0.0%"}
        )
        money_formats = {}

        def money(currency, total=False):
            key = (currency, total)
            if key not in money_formats:
                props = {"num_format": self._report_xlsx_currency_format(currency)}
                if total:
                    props.update(bold=True, top=1)
                money_formats[key] = workbook.add_format(props)
            return money_formats[key]

        columns = [
            (self.env._("Month"), 16),
            (self.env._("Salesperson"), 24),
            (self.env._("Sales Team"), 20),
            (self.env._("Prorated Revenue"), 18),
            (self.env._("Won"), 16),
            (self.env._("Forecast"), 16),
            (self.env._("Target"), 16),
            (self.env._("Gap to Target"), 16),
            (self.env._("Attainment"), 12),
        ]
        for col, (title, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, title, header)
        sheet.set_row(0, 30)
        sheet.freeze_panes(1, 0)

        amounts = ("prorated", "won", "forecast", "target", "gap")
        row = 0
        for row, line in enumerate(lines, start=1):
            if line["month"]:
                sheet.write_datetime(row, 0, line["month"], month_format)
            else:
                sheet.write_string(row, 0, self.env._("No Closing Date"))
            sheet.write_string(row, 1, line["user"].name or self.env._("Unassigned"))
            if line["team"]:
                sheet.write_string(row, 2, line["team"].name)
            for col, key in enumerate(amounts, start=3):
                sheet.write_number(row, col, line[key], money(line["currency"]))
            if line["attainment"] is not None:
                sheet.write_number(row, 8, line["attainment"], percent)
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)

        currencies = {line["currency"] for line in lines}
        if len(currencies) == 1:
            # Totals only when they add up amounts of one currency.
            (currency,) = currencies
            total_row = row + 1
            sheet.write_string(total_row, 0, self.env._("Total"), bold)
            sheet.write_blank(total_row, 1, None, bold)
            sheet.write_blank(total_row, 2, None, bold)
            totals = {key: sum(line[key] for line in lines) for key in amounts}
            for col, key in enumerate(amounts, start=3):
                sheet.write_number(total_row, col, totals[key], money(currency, True))
            if totals["target"]:
                attainment = totals["won"] / totals["target"]
                sheet.write_number(total_row, 8, attainment, bold_percent)
            else:
                sheet.write_blank(total_row, 8, None, bold)
