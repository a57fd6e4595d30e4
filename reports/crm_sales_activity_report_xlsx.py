# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class CrmSalesActivityReportXlsx(models.AbstractModel):
    """Sales activities to XLSX: planned, done, overdue and completion per
    salesperson and activity type, a subtotal per salesperson and a grand total.

    The figures are aggregated with ``_read_group`` as the requesting user, so the
    record rules of the analysis apply: nobody exports activities of leads he may
    not open, whatever ids or domain he sends.
    """

    _name = "report.crm_360.crm_sales_activity_report_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Sales Activities XLSX"

    def _activity_domain(self, data, objects):
        """The rows selected in the list, else ``data["domain"]``, else all."""
        if objects:
            return [("id", "in", objects.ids)]
        domain = (data or {}).get("domain") or []
        if not isinstance(domain, list | tuple):
            raise UserError(
                self.env._(
                    "The sales activity export expects a domain (a list), "
                    "not %(domain)r.",
                    domain=domain,
                )
            )
        return list(domain)

    def _activity_figures(self, domain):
        """[(salesperson, activity type, planned, done, overdue)], by salesperson."""
        return self.env["crm.sales.activity.report"]._read_group(
            domain,
            ["user_id", "activity_type_id"],
            ["nbr_planned:sum", "nbr_done:sum", "nbr_overdue:sum"],
            order="user_id, activity_type_id",
        )

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objects):
        figures = self._activity_figures(self._activity_domain(data, objects))
        sheet = workbook.add_worksheet(self.env._("Sales Activities"))
        header = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        text = workbook.add_format({})
        count = workbook.add_format({"num_format": "#,##0"})
        rate = workbook.add_format({"num_format": "0.0%"})
        bold_text = workbook.add_format({"bold": True, "top": 1})
        bold_count = workbook.add_format(
            {"bold": True, "top": 1, "num_format": "#,##0"}
        )
        bold_rate = workbook.add_format({"bold": True, "top": 1, "num_format": "0.0%"})

        titles = [
            self.env._("Salesperson"),
            self.env._("Activity Type"),
            self.env._("Planned"),
            self.env._("Done"),
            self.env._("Overdue"),
            self.env._("Completion (%)"),
        ]
        sheet.write_row(0, 0, titles, header)
        sheet.set_row(0, 30)
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 5, 14)
        sheet.freeze_panes(1, 0)

        def write(row, name, type_name, planned, done, overdue, formats):
            text_format, count_format, rate_format = formats
            sheet.write(row, 0, name, text_format)
            sheet.write(row, 1, type_name, text_format)
            sheet.write_row(row, 2, [planned, done, overdue], count_format)
            if planned + done:
                sheet.write_number(row, 5, done / (planned + done), rate_format)
            else:
                sheet.write_blank(row, 5, None, rate_format)

        unknown = self.env._("Unassigned")
        plain, bold = (text, count, rate), (bold_text, bold_count, bold_rate)
        row = 1
        totals = [0, 0, 0]
        subtotals = [0, 0, 0]
        for index, (user, activity_type, planned, done, overdue) in enumerate(figures):
            write(
                row,
                user.name or unknown,
                activity_type.name or "",
                planned,
                done,
                overdue,
                plain,
            )
            row += 1
            subtotals = [
                a + b for a, b in zip(subtotals, (planned, done, overdue), strict=True)
            ]
            following = figures[index + 1][0] if index + 1 < len(figures) else None
            if following != user:
                label = self.env._(
                    "Total %(salesperson)s", salesperson=user.name or unknown
                )
                write(row, label, "", *subtotals, bold)
                row += 1
                totals = [a + b for a, b in zip(totals, subtotals, strict=True)]
                subtotals = [0, 0, 0]
        write(row, self.env._("Total"), "", *totals, bold)
