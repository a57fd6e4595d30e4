# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._refresh_cute_contact_dates()
        return events

    def write(self, vals):
        leads_before = self.opportunity_id
        res = super().write(vals)
        if {"start", "stop", "partner_ids", "opportunity_id", "active"} & set(vals):
            self._refresh_cute_contact_dates(leads_before)
        return res

    def _refresh_cute_contact_dates(self, extra_leads=None):
        """Meetings are contacts: refresh the influencers of their opportunities."""
        leads = self.opportunity_id | (extra_leads or self.env["crm.lead"])
        if leads:
            self.env["crm.lead.influencer"]._refresh_for_leads(leads)
