# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Months of forecast in the summary: this month and the next ones
SUMMARY_FORECAST_MONTHS = 3


class CrmFunnelSummary(models.AbstractModel):
    """Funnel and forecast summary of sales teams (PDF): per team, the funnel per
    stage and the forecast against the targets for this month and the next two,
    per salesperson. Figures come from the analysis models, read as the printing
    user: the same record rules as on screen."""

    _name = "report.crm_360.crm_funnel_summary_document"
    _description = "Funnel and Forecast Summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        teams = self.env["crm.team"].browse(docids)
        # The rows come from the analysis models, like the XLSX exports' rows:
        # the same figures by construction.
        Funnel = self.env["crm.funnel.report"]
        Forecast = self.env["crm.forecast.report"]
        month = fields.Date.context_today(self).replace(day=1)
        months = (month, month + relativedelta(months=SUMMARY_FORECAST_MONTHS, days=-1))
        summaries = {}
        for team in teams:
            summaries[team.id] = {
                "funnel": Funnel._funnel_rows(
                    Funnel._funnel_default_domain() + [("team_id", "=", team.id)],
                    ["stage_id"],
                ),
                "forecast": Forecast._forecast_lines(
                    [
                        ("team_id", "=", team.id),
                        ("month", ">=", months[0]),
                        ("month", "<=", months[1]),
                    ]
                ),
            }
        return {
            "doc_ids": teams.ids,
            "doc_model": "crm.team",
            "docs": teams,
            "summaries": summaries,
            "months": months,
        }
