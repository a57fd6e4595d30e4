# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    """Competitors and SWOT on the opportunity: its competitors, who won it
    when it was lost, what decided it, and its SWOT matrix."""

    _inherit = "crm.lead"

    competitor_ids = fields.One2many(
        "crm.lead.competitor", "lead_id", string="Competitors"
    )
    competitor_count = fields.Integer(compute="_compute_competitor_count")
    lost_competitor_id = fields.Many2one(
        "crm.competitor",
        string="Lost to Competitor",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Who won the deal when we lost it.",
    )
    decisive_factor_id = fields.Many2one(
        "crm.swot.factor",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="What decided (or decides) the outcome of the deal: asked when it is "
        "lost, and worth recording when it is won.",
    )

    @api.depends("competitor_ids")
    def _compute_competitor_count(self):
        for lead in self:
            lead.competitor_count = len(lead.competitor_ids)

    @api.constrains("partner_id")
    def _check_competitors_not_the_customer(self):
        self.competitor_ids._check_not_the_customer()

    @api.readonly
    def action_view_swot_matrix(self):
        """The SWOT matrix of this deal."""
        return self._action_view_swot_matrix()

    def _action_view_swot_matrix(self, competitor=None):
        """The SWOT matrix of this deal (of one of its competitors, a
        ``crm.competitor`` record)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_swot_item_action"
        )
        domain = [("lead_id", "=", self.id)]
        context = {"search_default_group_quadrant": 1}
        if competitor:
            domain.append(("competitor_id", "=", competitor.id))
            line = self.competitor_ids.filtered(lambda c: c.competitor_id == competitor)
            context["default_lead_competitor_id"] = line[:1].id
            context["default_competitor_id"] = competitor.id
        action.update(
            name=self.env._("SWOT Matrix: %(deal)s", deal=self.name),
            domain=domain,
            context=context,
        )
        return action

    def _swot_restored_before_write(self, vals):
        """The lost deals this write restores that were lost to a competitor or
        decided by a factor: a restored deal is no longer lost to anyone (as Odoo
        clears the lost reason), and the statuses of its competitors follow."""
        if not vals.get("active") or "lost_competitor_id" in vals:
            return self.browse()
        return self.filtered(
            lambda lead: not lead.active
            and (lead.lost_competitor_id or lead.decisive_factor_id)
        )

    def _swot_restored_after_write(self, restored):
        if restored:
            restored.write({"lost_competitor_id": False, "decisive_factor_id": False})
