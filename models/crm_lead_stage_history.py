# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLeadStageHistory(models.Model):
    """Append-only stage history of leads and opportunities (阶段历史).

    One row per transition, with the deal's amount, probability, team and
    salesperson at that moment: what the funnel, time-in-stage and aging reports are
    computed from. Visible exactly where the lead is (rules mirror crm.lead's).
    """

    _name = "crm.lead.stage.history"
    _inherit = ["stage.history.entry.mixin"]
    _description = "Opportunity Stage History"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead/Opportunity",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    stage_from_id = fields.Many2one(
        "crm.stage", string="From Stage", readonly=True, ondelete="set null"
    )
    stage_to_id = fields.Many2one(
        "crm.stage", string="To Stage", readonly=True, index=True, ondelete="set null"
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, ondelete="set null"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        ondelete="set null",
        help="The deal's salesperson at the moment of the transition.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    expected_revenue = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The deal's expected revenue at the moment of the transition.",
    )
    probability = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The deal's probability (%) at the moment of the transition.",
    )

    def init(self):
        res = super().init()
        # Existing leads get their history from Odoo's stage tracking, in SQL.
        self.env["crm.lead"]._stage_history_init()
        return res
