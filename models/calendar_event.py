# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        # Linking a meeting to an opportunity changes its influencers' last
        # contact and coverage: only for those who may change the opportunity.
        events.opportunity_id._ensure_cute_meeting_link_allowed()
        events._refresh_cute_contact_dates()
        return events

    def write(self, vals):
        leads_before = self.opportunity_id
        if vals.get("opportunity_id"):
            new_lead = self.env["crm.lead"].browse(vals["opportunity_id"])
            if any(event.opportunity_id != new_lead for event in self):
                new_lead._ensure_cute_meeting_link_allowed()
        res = super().write(vals)
        if {"start", "stop", "partner_ids", "opportunity_id", "active"} & set(vals):
            self._refresh_cute_contact_dates(leads_before)
        return res

    def _refresh_cute_contact_dates(self, extra_leads=None):
        """Meetings are contacts: refresh the influencers of their opportunities.

        Only the opportunities the user may change are refreshed (the refresh
        itself runs as superuser); the others catch up with the daily refresh.
        """
        leads = self.opportunity_id | (extra_leads or self.env["crm.lead"])
        leads = leads._filtered_access("write")
        if leads:
            self.env["crm.lead.influencer"]._refresh_for_leads(leads)
