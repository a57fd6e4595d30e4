# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class CrmFunnelXlsxMixin(models.AbstractModel):
    """What the funnel spreadsheets share: the rows to export (the selection, else
    the domain the report was printed with, else everything the user may read),
    the formats, and a table writer with a frozen, formatted header.

    The figures are read through the ORM as the printing user (report_xlsx
    renders without sudo): record rules apply whatever ids or domain are sent.
    """

    _name = "crm.funnel.xlsx.mixin"
    _description = "Funnel Reports XLSX Helpers"

    def _xlsx_check_data(self, docids, data):
        """Refuse what a report URL may send malformed (``options``, ``context``,
        ids, a domain naming unknown fields or operators) with a UserError, which
        the report controller answers cleanly, instead of a crash."""
        if data is None:
            return
        if not isinstance(data, dict):
            raise UserError(self.env._("The export options must be an object."))
        context = data.get("context")
        if context is not None and not isinstance(context, dict):
            raise UserError(self.env._("The export context must be an object."))
        context = context or {}
        ids = docids or context.get("active_ids") or []
        if not isinstance(ids, list | tuple) or not all(
            isinstance(record_id, int) and not isinstance(record_id, bool)
            for record_id in ids
        ):
            raise UserError(
                self.env._("The export expects record ids (whole numbers).")
            )
        model = self.env.context.get("active_model")
        for domain in (data.get("domain"), context.get("active_domain")):
            if not domain:
                continue
            if not isinstance(domain, list | tuple):
                raise UserError(
                    self.env._(
                        "The export expects a domain (a list), not %(domain)r.",
                        domain=domain,
                    )
                )
            if model not in self.env:
                continue
            try:
                self.env[model]._search(list(domain))
            except (ValueError, KeyError, TypeError, IndexError, AssertionError) as e:
                raise UserError(
                    self.env._(
                        "The export domain is not valid: %(reason)s",
                        reason=str(e).strip().splitlines()[0]
                        if str(e).strip()
                        else type(e).__name__,
                    )
                ) from e

    def _xlsx_domain(self, data, objects):
        if objects:
            return [("id", "in", objects.ids)]
        context = (data or {}).get("context") or self.env.context
        domain = (data or {}).get("domain") or context.get("active_domain") or []
        if not isinstance(domain, list | tuple):
            raise UserError(
                self.env._(
                    "The export expects a domain (a list), not %(domain)r.",
                    domain=domain,
                )
            )
        return list(domain)

    def _xlsx_formats(self, workbook, currency=None):
        currency = currency or self.env.company.currency_id
        return {
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#714B67",
                    "font_color": "#FFFFFF",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "money": workbook.add_format(
                {"num_format": self._report_xlsx_currency_format(currency)}
            ),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "days": workbook.add_format({"num_format": "0.0"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "money_total": workbook.add_format(
                {
                    "num_format": self._report_xlsx_currency_format(currency),
                    "bold": True,
                    "top": 1,
                }
            ),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True, "top": 1}),
        }

    def _xlsx_table(self, sheet, formats, columns, rows):
        """Write ``columns`` [(title, width, format key or None)] and ``rows`` (lists
        of values; None leaves the cell empty). Returns the next free row."""
        for col, (title, width, _fmt) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, title, formats["header"])
        sheet.set_row(0, 30)
        sheet.freeze_panes(1, 0)
        row = 0
        for row, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                fmt = formats.get(columns[col][2]) if columns[col][2] else None
                if value is None or value is False:
                    continue
                if hasattr(value, "strftime"):
                    sheet.write_datetime(row, col, value, fmt)
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, fmt)
                else:
                    sheet.write_string(row, col, str(value), fmt)
        if rows:
            sheet.autofilter(0, 0, row, len(columns) - 1)
        return row + 1


class CrmFunnelReportXlsx(models.AbstractModel):
    """Sales funnel to XLSX: per stage, deals reached, went further, conversion to
    the next stage, lost here (drop-off), still here, won, conversion to won, win
    rate and amount; a second sheet per sales team and stage."""

    _name = "report.crm_360.crm_funnel_report_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Sales Funnel XLSX"

    def _funnel_domain(self, domain=None):
        """``domain`` within what the funnel counts by default (opportunities):
        the one definition of the PDF summary and of an XLSX printed without a
        selection or a domain, the same as the screen's default filter."""
        return self.env["crm.funnel.report"]._funnel_default_domain() + list(
            domain or []
        )

    def _funnel_rows(self, domain, groupby):
        groups = self.env["crm.funnel.report"]._read_group(
            domain,
            groupby,
            [
                "nbr:sum",
                "nbr_next:sum",
                "nbr_lost_here:sum",
                "nbr_open_here:sum",
                "nbr_won:sum",
                "win_rate:avg",
                "expected_revenue:sum",
            ],
        )
        rows = []
        for *keys, nbr, nbr_next, lost, still, won, win_rate, amount in groups:
            stage = keys[-1]
            rows.append(
                (
                    (
                        stage.sequence,
                        stage.id,
                        *(key.display_name or "" for key in keys),
                    ),
                    [
                        *(key.display_name or self.env._("None") for key in keys),
                        nbr,
                        nbr_next,
                        nbr_next / nbr if nbr else None,
                        lost,
                        still,
                        won,
                        won / nbr if nbr else None,
                        win_rate / 100.0 if win_rate is not None else None,
                        amount,
                    ],
                )
            )
        return [values for _key, values in sorted(rows, key=lambda row: row[0])]

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
        rows = self._funnel_rows(domain, ["stage_id"])
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
            domain = self._funnel_domain()
        formats = self._xlsx_formats(workbook)
        self._write_funnel_sheet(workbook, formats, domain)
        sheet = workbook.add_worksheet(self.env._("Funnel by Team"))
        self._xlsx_table(
            sheet,
            formats,
            self._funnel_columns(
                [(self.env._("Sales Team"), 20, None), (self.env._("Stage"), 24, None)]
            ),
            self._funnel_rows(domain, ["team_id", "stage_id"]),
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
