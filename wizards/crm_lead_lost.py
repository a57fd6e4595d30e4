# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    lost_competitor_id = fields.Many2one(
        "crm.competitor",
        string="Lost to Competitor",
        help="Who won the deal. A competitor not yet in the deal is added to it.",
    )
    decisive_factor_id = fields.Many2one("crm.swot.factor")
    lost_competitor_required = fields.Boolean(compute="_compute_requirements")
    lost_factor_required = fields.Boolean(compute="_compute_requirements")

    @api.depends("lead_ids")
    def _compute_requirements(self):
        for wizard in self:
            teams = wizard.lead_ids.team_id
            wizard.lost_competitor_required = any(
                teams.mapped("lost_competitor_required")
            )
            wizard.lost_factor_required = any(teams.mapped("lost_factor_required"))

    def action_lost_reason_apply(self):
        self.ensure_one()
        missing = []
        if self.lost_competitor_required and not self.lost_competitor_id:
            missing.append(self.env._("the competitor who won"))
        if self.lost_factor_required and not self.decisive_factor_id:
            missing.append(self.env._("the decisive factor"))
        if missing:
            raise UserError(
                self.env._(
                    "The sales team asks for %(missing)s before an opportunity is "
                    "marked as lost.",
                    missing=self.env._(" and ").join(missing),
                )
            )
        if self.lost_competitor_id:
            absent = self.lead_ids.filtered(
                lambda lead: self.lost_competitor_id
                not in lead.competitor_ids.competitor_id
            )
            self.env["crm.lead.competitor"].create(
                [
                    {"lead_id": lead.id, "competitor_id": self.lost_competitor_id.id}
                    for lead in absent
                ]
            )
        # Read the deals before they are archived: lead_ids then hides them.
        leads = self.lead_ids
        res = super().action_lost_reason_apply()
        if self.lost_competitor_id or self.decisive_factor_id:
            leads.write(
                {
                    "lost_competitor_id": self.lost_competitor_id.id,
                    "decisive_factor_id": self.decisive_factor_id.id,
                }
            )
        return res
