# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import api, fields, models
from odoo.tools import SQL

LINE_TYPES = [
    ("open", "Open Opportunity"),
    ("won", "Won Opportunity"),
    ("target", "Target"),
]


class CrmForecastReport(models.Model):
    """Forecast against target (销售预测与目标), by month, salesperson and team.

    Three kinds of rows, summed by the pivot:

    - one per open opportunity, in its expected closing month (``date_deadline``,
      no month without one), with Odoo's prorated revenue (expected revenue ×
      probability). Open is Odoo's own definition: an active opportunity whose
      stage is not a won one, i.e. on crm.lead
      ``[('type', '=', 'opportunity'), ('active', '=', True),
      '|', ('stage_id', '=', False), ('stage_id.is_won', '=', False)]``.
      Odoo's Forecast (``crm.crm_lead_action_forecast``) sums ``prorated_revenue``
      over ``[('type', '=', 'opportunity')]`` (active ones), which also counts won
      deals at 100 % in their expected closing month; here they count in Won
      instead, in the month they were actually won;
    - one per won opportunity (active, in a won stage), in the month of
      ``date_closed`` (in the reader's time zone, as Odoo groups it), with its
      expected revenue as won revenue;
    - one per sales target, with its amount.

    Lost opportunities (archived) count nowhere. Read through the ORM only: the
    record rules mirror crm.lead's on the row's salesperson (a lead's current one),
    so a salesman sums his own and unassigned deals and his own targets.
    """

    _name = "crm.forecast.report"
    _description = "Forecast vs Target"
    _auto = False
    _rec_name = "lead_id"
    _order = "month desc, user_id, team_id, id"

    line_type = fields.Selection(LINE_TYPES, string="Type", readonly=True)
    month = fields.Date(
        readonly=True,
        # the month a deal was won is taken in the reader's time zone
        depends_context=("tz",),
        help="First day of the month: the expected closing month of an open "
        "opportunity, the month a won one was won, the month of a target.",
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    target_id = fields.Many2one(
        "crm.sales.target", string="Sales Target", readonly=True
    )
    stage_id = fields.Many2one("crm.stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    prorated_revenue = fields.Monetary(
        readonly=True,
        help="Expected revenue × probability of the open opportunities expected "
        "to close in the month: Odoo's prorated revenue.",
    )
    expected_revenue = fields.Monetary(
        string="Open Pipeline",
        readonly=True,
        help="Expected revenue of the open opportunities expected to close in the "
        "month, not weighted by their probability.",
    )
    won_revenue = fields.Monetary(
        readonly=True, help="Expected revenue of the opportunities won in the month."
    )
    forecast_revenue = fields.Monetary(
        string="Forecast",
        readonly=True,
        help="Won revenue plus prorated revenue of the open opportunities.",
    )
    target_amount = fields.Monetary(string="Target", readonly=True)
    gap_amount = fields.Monetary(
        string="Gap to Target",
        readonly=True,
        help="Target minus forecast: what is still missing (negative: the "
        "forecast exceeds the target).",
    )
    opportunity_count = fields.Integer(string="# Open Opportunities", readonly=True)
    won_count = fields.Integer(string="# Won", readonly=True)

    _depends = {
        "crm.lead": [
            "type",
            "active",
            "stage_id",
            "date_deadline",
            "date_closed",
            "user_id",
            "team_id",
            "company_id",
            "expected_revenue",
            "prorated_revenue",
        ],
        "crm.stage": ["is_won"],
        "crm.sales.target": [
            "month",
            "user_id",
            "team_id",
            "company_id",
            "target_amount",
        ],
        "res.company": ["currency_id"],
    }

    @property
    def _table_query(self):
        return SQL(
            "(%s) UNION ALL (%s)",
            SQL("%s %s %s", self._select_leads(), self._from_leads(), self._where()),
            self._select_targets(),
        )

    def _select_leads(self):
        """Open opportunities in their expected closing month, won ones in the
        month they were won. Row ids: even for leads, odd for targets."""
        won = SQL("COALESCE(stage.is_won, FALSE)")
        closed = SQL.identifier("lead", "date_closed")
        tz = self.env.context.get("tz")
        if tz in pytz.all_timezones_set:
            closed = SQL("timezone(%s, timezone('UTC', %s))", tz, closed)
        return SQL(
            """
            SELECT lead.id * 2 AS id,
                   CASE WHEN %(won)s THEN 'won' ELSE 'open' END AS line_type,
                   CASE WHEN %(won)s THEN date_trunc('month', %(closed)s)::date
                        ELSE date_trunc('month', lead.date_deadline)::date
                   END AS month,
                   lead.id AS lead_id,
                   NULL::integer AS target_id,
                   lead.stage_id,
                   lead.user_id,
                   lead.team_id,
                   lead.company_id,
                   COALESCE(company.currency_id, %(currency)s) AS currency_id,
                   CASE WHEN %(won)s THEN 0
                        ELSE COALESCE(lead.prorated_revenue, 0) END
                       AS prorated_revenue,
                   CASE WHEN %(won)s THEN 0
                        ELSE COALESCE(lead.expected_revenue, 0) END
                       AS expected_revenue,
                   CASE WHEN %(won)s THEN COALESCE(lead.expected_revenue, 0)
                        ELSE 0 END AS won_revenue,
                   CASE WHEN %(won)s THEN COALESCE(lead.expected_revenue, 0)
                        ELSE COALESCE(lead.prorated_revenue, 0) END
                       AS forecast_revenue,
                   0 AS target_amount,
                   CASE WHEN %(won)s THEN -COALESCE(lead.expected_revenue, 0)
                        ELSE -COALESCE(lead.prorated_revenue, 0) END
                       AS gap_amount,
                   CASE WHEN %(won)s THEN 0 ELSE 1 END AS opportunity_count,
                   CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count
            """,
            won=won,
            closed=closed,
            # crm.lead.company_currency of a lead without company
            currency=self.env.company.currency_id.id,
        )

    def _from_leads(self):
        return SQL(
            """
            FROM crm_lead lead
            LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
            LEFT JOIN res_company company ON company.id = lead.company_id
            """
        )

    def _where(self):
        return SQL("WHERE lead.type = 'opportunity' AND lead.active")

    def _select_targets(self):
        return SQL(
            """
            SELECT target.id * 2 + 1 AS id,
                   'target' AS line_type,
                   target.month,
                   NULL::integer AS lead_id,
                   target.id AS target_id,
                   NULL::integer AS stage_id,
                   target.user_id,
                   target.team_id,
                   target.company_id,
                   company.currency_id,
                   0 AS prorated_revenue,
                   0 AS expected_revenue,
                   0 AS won_revenue,
                   0 AS forecast_revenue,
                   target.target_amount,
                   target.target_amount AS gap_amount,
                   0 AS opportunity_count,
                   0 AS won_count
              FROM crm_sales_target target
              JOIN res_company company ON company.id = target.company_id
            """
        )

    @api.model
    def _forecast_lines(self, domain):
        """The forecast's lines: one per month, salesperson, sales team and
        currency, as dicts of the group records and the won, prorated, forecast
        (won + prorated), target and gap amounts, and the attainment (won /
        target, None without a target).

        The one source of the forecast's figures for the XLSX and the PDF
        summary, read as the current user: the record rules apply.
        """
        groups = self._read_group(
            domain,
            ["month:month", "user_id", "team_id", "currency_id"],
            ["prorated_revenue:sum", "won_revenue:sum", "target_amount:sum"],
            order="month:month ASC, user_id, team_id, currency_id",
        )
        lines = []
        for month, user, team, currency, prorated, won, target in groups:
            forecast = won + prorated
            lines.append(
                {
                    "month": month,
                    "user": user,
                    "team": team,
                    "currency": currency,
                    "prorated": prorated,
                    "won": won,
                    "forecast": forecast,
                    "target": target,
                    "gap": target - forecast,
                    "attainment": won / target if target else None,
                }
            )
        return lines
