# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_lead_influencer import (
    ATTITUDES,
    INFLUENCE_DEGREES,
    INFLUENCER_ROLES,
    RESPONSE_MODES,
)


class CrmLeadInfluencerMemory(models.TransientModel):
    _name = "crm.lead.influencer.memory"
    _description = "Influencers from Earlier Opportunities"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True)
    customer_id = fields.Many2one(
        related="lead_id.partner_id.commercial_partner_id", string="Customer"
    )
    line_ids = fields.One2many(
        "crm.lead.influencer.memory.line",
        "wizard_id",
        string="Proposed Influencers",
        compute="_compute_line_ids",
        # Computed as the user, not as superuser: record rules must filter the
        # earlier opportunities it reads.
        compute_sudo=False,
        store=True,
        readonly=False,
    )

    @api.depends("lead_id")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [(5, 0, 0)] + [
                (0, 0, vals) for vals in wizard._get_proposals()
            ]

    def _get_proposals(self):
        """Last known influence of each (contact, role) on the customer's earlier
        opportunities the user can open, minus what this opportunity already has."""
        self.ensure_one()
        lead = self.lead_id
        customer = lead.partner_id.commercial_partner_id
        if not customer:
            return []
        # A normal search: record rules keep the opportunities the user cannot open out.
        earlier = self.env["crm.lead.influencer"].search(
            [
                ("lead_id", "!=", lead.id),
                ("lead_id.partner_id", "child_of", customer.id),
            ]
        )
        earlier = earlier.sorted(
            lambda i: (i.last_contact_date or fields.Date.to_date(i.create_date), i.id),
            reverse=True,
        )
        present = {(i.partner_id.id, i.role) for i in lead.influencer_ids}
        proposals = []
        for influencer in earlier:
            key = (influencer.partner_id.id, influencer.role)
            if key in present:
                continue
            present.add(key)
            proposals.append(
                {
                    "selected": True,
                    "partner_id": influencer.partner_id.id,
                    "role": influencer.role,
                    "influence": influencer.influence,
                    "attitude": influencer.attitude,
                    "response_mode": influencer.response_mode,
                    "source_influencer_id": influencer.id,
                }
            )
        return proposals

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # The wizard adds influencers to its opportunity and shows what it has.
        if not self.env.su:
            wizards.lead_id.check_access("write")
        return wizards

    def action_apply(self):
        self.ensure_one()
        chosen = self.line_ids.filtered("selected")
        if not chosen:
            raise UserError(self.env._("Tick at least one influencer to add."))
        present = {(i.partner_id.id, i.role) for i in self.lead_id.influencer_ids}
        vals_list = [
            {
                "lead_id": self.lead_id.id,
                "partner_id": line.partner_id.id,
                "role": line.role,
                "influence": line.influence,
                "attitude": line.attitude,
                "response_mode": line.response_mode,
                "personal_win": line.source_influencer_id.personal_win,
                "concerns": line.source_influencer_id.concerns,
            }
            for line in chosen
            if (line.partner_id.id, line.role) not in present
        ]
        self.env["crm.lead.influencer"].create(vals_list)
        return {"type": "ir.actions.act_window_close"}


class CrmLeadInfluencerMemoryLine(models.TransientModel):
    _name = "crm.lead.influencer.memory.line"
    _description = "Proposed Influencer from an Earlier Opportunity"

    wizard_id = fields.Many2one(
        "crm.lead.influencer.memory", required=True, ondelete="cascade"
    )
    selected = fields.Boolean(string="Add", default=True)
    partner_id = fields.Many2one("res.partner", string="Contact", required=True)
    role = fields.Selection(INFLUENCER_ROLES, required=True)
    influence = fields.Selection(INFLUENCE_DEGREES, string="Last Known Influence")
    attitude = fields.Selection(ATTITUDES, string="Last Known Attitude")
    response_mode = fields.Selection(RESPONSE_MODES)
    source_influencer_id = fields.Many2one(
        "crm.lead.influencer", string="Found On", ondelete="cascade"
    )
    # Read as the user: a line never shows an opportunity he cannot open.
    source_lead_id = fields.Many2one(
        related="source_influencer_id.lead_id",
        string="Earlier Opportunity",
        compute_sudo=False,
    )
    last_contact_date = fields.Date(
        related="source_influencer_id.last_contact_date", compute_sudo=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._assert_source_access()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "source_influencer_id" in vals:
            self._assert_source_access()
        return res

    def _assert_source_access(self):
        """A line may only point at an influencer (and so an earlier opportunity)
        the user can read."""
        if self.source_influencer_id and not self.env.su:
            self.source_influencer_id.check_access("read")
