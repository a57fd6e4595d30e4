# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskComplaintWizardMixin(models.AbstractModel):
    """A wizard acting on one complaint (``ticket_id``): it is opened only by a
    user who may change that complaint. The check runs before anything of the
    ticket is read: on the defaults, on every onchange and at creation, so a
    ticket id of another team or company shows nothing of it."""

    _name = "helpdesk.complaint.wizard.mixin"
    _description = "Wizard on a Complaint"

    @api.model
    def _assert_complaint_ticket_writable(self, ticket_id):
        if isinstance(ticket_id, dict):
            ticket_id = ticket_id.get("id")
        elif isinstance(ticket_id, list | tuple):
            ticket_id = ticket_id[0] if ticket_id else False
        elif isinstance(ticket_id, models.NewId):
            ticket_id = ticket_id.origin
        if not ticket_id:
            return
        self.env["helpdesk.ticket"].browse(ticket_id).check_access("write")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        self._assert_complaint_ticket_writable(values.get("ticket_id"))
        return values

    def onchange(self, values, field_names, fields_spec):
        self._assert_complaint_ticket_writable(values.get("ticket_id"))
        return super().onchange(values, field_names, fields_spec)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._assert_complaint_ticket_writable(vals.get("ticket_id"))
        wizards = super().create(vals_list)
        # Defaults filled in by the ORM (context default_ticket_id).
        wizards.ticket_id.check_access("write")
        return wizards
