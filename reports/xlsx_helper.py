# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class CrmXlsxHelper(models.AbstractModel):
    """What every XLSX export of crm_360 shares, whatever its capability: the
    checking of what a report URL may send, the rows to export (the selection,
    else the domain the report was printed with, else everything the user may
    read), the formats, and a table writer with a frozen, formatted header.

    The figures are read through the ORM as the printing user (report_xlsx
    renders without sudo): record rules apply whatever ids or domain are sent.

    The technical name is the historical one (the funnel's exports came first);
    it is kept so that add-ons inheriting it keep working.
    """

    _name = "crm.funnel.xlsx.mixin"
    _description = "XLSX Export Helpers"

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
