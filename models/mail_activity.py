# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # Done activities are deleted (or archived): remember it on the care
        # members they were planned for.
        self._care_members().write({"activity_state": "done"})
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        self._care_members().filtered(lambda m: m.activity_state == "planned").write(
            {"activity_state": "cancelled"}
        )
        return super().unlink()

    def _care_members(self):
        if not self.ids:
            return self.env["crm.care.campaign.member"].sudo()
        return (
            self.env["crm.care.campaign.member"]
            .sudo()
            .search([("activity_id", "in", self.ids)])
        )
