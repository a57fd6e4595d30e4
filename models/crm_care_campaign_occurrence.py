# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmCareCampaignOccurrence(models.Model):
    """One day of care of a campaign: the holiday, the yearly date, or the day
    some contacts celebrate their birthday or anniversary. Members belong to
    it, so each contact is cared for once per day of care."""

    _name = "crm.care.campaign.occurrence"
    _description = "Customer Care Day"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "date"

    campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Care Campaign",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    date = fields.Date(required=True, help="The day of care.")
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        required=True,
        default="running",
        help="Done once every member's care actions have been performed.",
    )
    member_ids = fields.One2many("crm.care.campaign.member", "occurrence_id")
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        (
            "occurrence_unique",
            "UNIQUE (campaign_id, date)",
            "A campaign has one occurrence per day.",
        ),
    ]

    def _compute_member_count(self):
        counts = dict(
            self.env["crm.care.campaign.member"]._read_group(
                [("occurrence_id", "in", self.ids)], ["occurrence_id"], ["__count"]
            )
        )
        for occurrence in self:
            occurrence.member_count = counts.get(occurrence, 0)

    def _add_members(self, partners):
        """Make ``partners`` members of this day of care, once: blacklisted
        customers and opted-out contacts are recorded as excluded, the
        hold-out draw as hold-out; the others are to be cared for."""
        self.ensure_one()
        campaign = self.campaign_id
        existing = set(self.member_ids.partner_id.ids)
        partners = partners.filtered(lambda p: p.id not in existing)
        if not partners:
            return self.env["crm.care.campaign.member"]
        vals_list = []
        for partner in partners:
            reason = False
            if "blacklist" in (
                partner.customer_type,
                partner.commercial_partner_id.customer_type,
            ):
                reason = "customer_blacklist"
            elif partner.is_blacklisted:
                reason = "email_blacklist"
            if reason:
                state = "excluded"
            elif campaign._get_holdout(partner):
                state = "holdout"
            else:
                state = "pending"
            vals_list.append(
                {
                    "campaign_id": campaign.id,
                    "occurrence_id": self.id,
                    "partner_id": partner.id,
                    "user_id": (
                        partner.user_id or partner.commercial_partner_id.user_id
                    ).id,
                    "state": state,
                    "exclusion_reason": reason,
                }
            )
        return self.env["crm.care.campaign.member"].create(vals_list)
