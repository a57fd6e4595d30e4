# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmLeadReconciliationReportXlsx(models.AbstractModel):
    """Sales reconciliation to XLSX: one line per won opportunity or loose order,
    with its amounts and exceptions, and a total line per company currency.

    Read through the ORM as the printing user: the file holds what the report
    shows him."""

    _name = "report.crm_360.crm_lead_reconciliation_report_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Sales Reconciliation XLSX"

    def _reconciliation_exceptions(self, line):
        # As on screen (# Exceptions): an order without opportunity says so in
        # its kind, it is no exception.
        Report = self.env["crm.lead.reconciliation.report"]
        flags = [
            "won_without_order",
            "order_below_expected",
            "order_above_expected",
            "delivered_not_invoiced",
            "overdue_unpaid",
        ]
        return ", ".join(
            Report._fields[flag].get_description(self.env)["string"]
            for flag in flags
            if line[flag]
        )

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objects):
        Report = self.env["crm.lead.reconciliation.report"]
        lines = Report.search(self._xlsx_domain(data, objects), order="date desc, id")
        formats = self._xlsx_formats(workbook)
        formats["date"] = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet = workbook.add_worksheet(self.env._("Sales Reconciliation"))
        label = {
            fname: Report._fields[fname].get_description(self.env)["string"]
            for fname in Report._fields
        }
        money_fields = [
            "expected_revenue",
            "ordered_amount",
            "delivered_amount",
            "invoiced_amount",
            "paid_amount",
            "to_invoice_amount",
            "unpaid_amount",
        ]
        columns = [
            (label["kind"], 22, None),
            (label["name"], 28, None),
            (label["date"], 12, "date"),
            (label["partner_id"], 28, None),
            (label["user_id"], 18, None),
            (label["team_id"], 18, None),
            *((label[fname], 14, "money") for fname in money_fields),
            (self.env._("Exceptions"), 40, None),
        ]
        kinds = dict(Report._fields["kind"]._description_selection(self.env))
        rows = [
            [
                kinds[line.kind],
                line.name or "",
                line.date or None,
                line.partner_id.display_name or "",
                line.user_id.display_name or "",
                line.team_id.display_name or "",
                *(line[fname] for fname in money_fields),
                self._reconciliation_exceptions(line),
            ]
            for line in lines
        ]
        row = self._xlsx_table(sheet, formats, columns, rows)
        if rows:
            sheet.write(row, 0, self.env._("Total"), formats["bold"])
            for offset, fname in enumerate(money_fields):
                sheet.write_number(
                    row, 6 + offset, sum(lines.mapped(fname)), formats["money_total"]
                )
