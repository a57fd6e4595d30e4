# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmFunnelReportXlsx(models.AbstractModel):
    """Sales funnel to XLSX: per stage, deals reached, went further, conversion to
    the next stage, lost here (drop-off), still here, won, conversion to won, win
    rate and amount; a second sheet per sales team and stage."""

    _name = "report.crm_360.crm_funnel_report_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Sales Funnel XLSX"

    def _funnel_columns(self, first):
        return [
            *first,
            (self.env._("# Reached"), 11, None),
            (self.env._("# Went Further"), 11, None),
            (self.env._("Conversion to Next"), 12, "percent"),
            (self.env._("# Lost Here"), 11, None),
            (self.env._("# Still Here"), 11, None),
            (self.env._("# Won"), 10, None),
            (self.env._("Conversion to Won"), 12, "percent"),
            (self.env._("Win Rate"), 10, "percent"),
            (self.env._("Amount"), 16, "money"),
        ]

    def _write_funnel_sheet(self, workbook, formats, domain):
        """The funnel per stage, on a new sheet of ``workbook``."""
        sheet = workbook.add_worksheet(self.env._("Funnel"))
        rows = self.env["crm.funnel.report"]._funnel_rows(domain, ["stage_id"])
        self._xlsx_table(
            sheet,
            formats,
            self._funnel_columns([(self.env._("Stage"), 24, None)]),
            rows,
        )
        return rows

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objects):
        domain = self._xlsx_domain(data, objects)
        if not domain:
            # Printed from the list without a selection: what the screen shows
            # by default.
            domain = self.env["crm.funnel.report"]._funnel_default_domain()
        formats = self._xlsx_formats(workbook)
        self._write_funnel_sheet(workbook, formats, domain)
        sheet = workbook.add_worksheet(self.env._("Funnel by Team"))
        self._xlsx_table(
            sheet,
            formats,
            self._funnel_columns(
                [(self.env._("Sales Team"), 20, None), (self.env._("Stage"), 24, None)]
            ),
            self.env["crm.funnel.report"]._funnel_rows(domain, ["team_id", "stage_id"]),
        )


class CrmStageTimeReportXlsx(models.AbstractModel):
    """Time in stage to XLSX: every row of the analysis (per stage, per stage and
    team, per stage and salesperson) with its statistics in days."""

    _name = "report.crm_360.crm_stage_time_report_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Time in Stage XLSX"

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objects):
        formats = self._xlsx_formats(workbook)
        records = self.env["crm.stage.time.report"].search(
            self._xlsx_domain(data, objects)
        )
        scopes = dict(records._fields["scope"]._description_selection(self.env))

        def label(fname):
            # The labels of the screen, so that the two never disagree.
            return records._fields[fname]._description_string(self.env)

        sheet = workbook.add_worksheet(self.env._("Time in Stage"))
        self._xlsx_table(
            sheet,
            formats,
            [
                (self.env._("Per"), 14, None),
                (label("stage_id"), 22, None),
                (label("team_id"), 18, None),
                (label("user_id"), 20, None),
                (label("nbr_stays"), 11, None),
                (label("mean_days"), 11, "days"),
                (label("median_days"), 11, "days"),
                (label("p75_days"), 12, "days"),
                (label("max_days"), 11, "days"),
                (label("nbr_current"), 10, None),
                (label("current_mean_days"), 12, "days"),
            ],
            [
                [
                    scopes.get(row.scope, ""),
                    row.stage_id.display_name,
                    row.team_id.display_name,
                    row.user_id.display_name,
                    row.nbr_stays,
                    row.mean_days if row.nbr_stays else None,
                    row.median_days if row.nbr_stays else None,
                    row.p75_days if row.nbr_stays else None,
                    row.max_days if row.nbr_stays else None,
                    row.nbr_current,
                    row.current_mean_days if row.nbr_current else None,
                ]
                for row in records
            ],
        )


class CrmLeadStageHistoryXlsx(models.AbstractModel):
    """Stage history to XLSX: one line per recorded transition."""

    _name = "report.crm_360.crm_lead_stage_history_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Stage History XLSX"

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objects):
        formats = self._xlsx_formats(workbook)
        entries = self.env["crm.lead.stage.history"].search(
            self._xlsx_domain(data, objects), order="date, id"
        )
        events = dict(entries._fields["event"]._description_selection(self.env))
        sheet = workbook.add_worksheet(self.env._("Stage History"))
        self._xlsx_table(
            sheet,
            formats,
            [
                (self.env._("Date"), 17, "datetime"),
                (self.env._("Opportunity"), 30, None),
                (self.env._("Event"), 14, None),
                (self.env._("From Stage"), 18, None),
                (self.env._("To Stage"), 18, None),
                (self.env._("Changed By"), 18, None),
                (self.env._("Sales Team"), 18, None),
                (self.env._("Salesperson"), 18, None),
                (self.env._("Expected Revenue"), 16, "money"),
                (self.env._("Probability (%)"), 11, None),
            ],
            [
                [
                    fields.Datetime.context_timestamp(entry, entry.date).replace(
                        tzinfo=None
                    ),
                    entry.lead_id.display_name,
                    events.get(entry.event, ""),
                    entry.stage_from_id.display_name,
                    entry.stage_to_id.display_name,
                    entry.changed_by_id.display_name,
                    entry.team_id.display_name,
                    entry.user_id.display_name,
                    entry.expected_revenue,
                    entry.probability,
                ]
                for entry in entries
            ],
        )
