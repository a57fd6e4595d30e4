# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Buying roles (CUTE) on res.partner: the opportunities where a contact is a
buying influencer."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    influencer_ids = fields.One2many(
        "crm.lead.influencer", "partner_id", string="Buying Roles"
    )
    buying_role_count = fields.Integer(
        compute="_compute_buying_role_count",
        string="Buying Roles Count",
        help="Opportunities you can open where this person is a buying influencer.",
    )

    @api.depends_context("uid")
    def _compute_buying_role_count(self):
        self.buying_role_count = 0
        if not self.ids or not self.env.user._has_group(
            "sales_team.group_sale_salesman"
        ):
            return
        # _read_group applies the record rules: only opportunities the user may open.
        counts = self.env["crm.lead.influencer"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        for partner, count in counts:
            partner.buying_role_count = count

    @api.readonly
    def action_view_buying_roles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_lead_influencer_action"
        )
        action["name"] = self.env._(
            "Buying Roles of %(contact)s", contact=self.display_name
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
