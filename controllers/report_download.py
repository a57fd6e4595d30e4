# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""XLSX exports of crm_360 served by the PostgreSQL replica.

The web client downloads every report through ``/report/download``, a
read/write route in Odoo (a PDF may be saved as an attachment). crm_360's XLSX
exports only read: when Odoo runs with ``--db_replica_host``, their download is
marked read-only so that it runs on the replica. Every other report (PDF, other
modules' XLSX) keeps Odoo's read/write route on the primary.
"""

import json

import psycopg2.errors

from odoo.http import request, route

from odoo.addons.report_xlsx.controllers.main import ReportController

XLSX_URL_PREFIX = "/report/xlsx/"


def crm360_xlsx_report_name(data):
    """The report name of a download request for one of crm_360's XLSX reports,
    else None. Decided from the request alone (no database access: Odoo
    chooses the cursor before opening one)."""
    try:
        url, report_type = json.loads(data)[:2]
    except (TypeError, ValueError):
        return None
    if report_type != "xlsx" or not isinstance(url, str):
        return None
    if not url.startswith(XLSX_URL_PREFIX):
        return None
    report_name = url[len(XLSX_URL_PREFIX) :].split("?")[0].split("/")[0]
    if not report_name.startswith("crm_360."):
        return None
    return report_name


def _report_download_readonly(controller):
    data = request.httprequest.values.get("data")
    report_name = crm360_xlsx_report_name(data)
    if not report_name:
        return False
    return f"report.{report_name}" in request.registry


class Crm360ReportController(ReportController):
    @route(readonly=_report_download_readonly)
    def report_download(self, data, context=None, token=None, readonly=True):
        """Replay on the primary an export whose report was set up to be saved
        as an attachment (a write), instead of failing on the replica."""
        report_name = crm360_xlsx_report_name(data)
        if report_name and request.env.cr.readonly:
            report = request.env["ir.actions.report"]._get_report_from_name(report_name)
            if report.sudo().attachment:
                raise psycopg2.errors.ReadOnlySqlTransaction(
                    f"report {report_name} saves an attachment"
                )
        return super().report_download(data, context, token=token, readonly=readonly)
