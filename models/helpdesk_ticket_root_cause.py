# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket import HELPDESK_USER_GROUP


class HelpdeskTicketRootCause(models.Model):
    """Complaint root cause: the cause found, the corrective and preventive
    actions, and the investigation of recurring complaints about a product or
    a lot (helpdesk.complaint.investigation)."""

    _inherit = "helpdesk.ticket"
    # Changing these may make a product or a lot recur: helpdesk.ticket's write
    # then looks for recurrence again (_complaint_investigate_recurrence).
    _complaint_recurrence_fields = frozenset(
        {"is_complaint", "complaint_aspect_id", "product_id", "lot_id"}
    )

    complaint_root_cause_id = fields.Many2one(
        "helpdesk.complaint.root.cause",
        string="Root Cause",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="Why the complaint happened, as the analysis found (投诉根因).",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_root_cause_object = fields.Selection(
        string="Root Cause Category",
        related="complaint_root_cause_id.cause_object",
        store=True,
        groups=HELPDESK_USER_GROUP,
    )
    complaint_root_cause_description = fields.Text(
        string="Root Cause Analysis",
        help="How the cause was found and what evidence supports it.",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_action_ids = fields.One2many(
        "helpdesk.complaint.action",
        "ticket_id",
        string="Corrective and Preventive Actions",
        groups=HELPDESK_USER_GROUP,
    )
    complaint_investigation_id = fields.Many2one(
        "helpdesk.complaint.investigation",
        string="Investigation",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        check_company=True,
        copy=False,
        help="The investigation of recurring complaints this complaint is part of; "
        "set automatically when its product or lot reaches the recurrence "
        "threshold.",
        # The quality owner of an investigation reads its complaints without
        # any helpdesk right (see its rules): internal users, never the portal.
        groups="base.group_user",
    )

    @api.constrains("complaint_root_cause_id", "complaint_investigation_id")
    def _check_complaint_root_cause_company(self):
        # helpdesk.ticket does not check its relations' companies by itself.
        self._check_company(["complaint_root_cause_id", "complaint_investigation_id"])

    def _complaint_investigate_recurrence(self):
        """Look for recurring complaints about the products and lots of these
        complaints (see helpdesk.complaint.investigation)."""
        complaints = self.sudo().filtered(
            lambda ticket: ticket.is_complaint
            and (ticket.product_id or ticket.lot_id)
            and not ticket.complaint_investigation_id
        )
        if complaints:
            self.env[
                "helpdesk.complaint.investigation"
            ].sudo()._investigate_complaint_recurrence(complaints)
