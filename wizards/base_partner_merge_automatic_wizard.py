# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..models.base import system_write


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Merging carries the contacts' own values over to the one kept, our
        # figures and reviews included: nothing is typed by the user, who must
        # still be allowed to write the contact kept.
        with system_write():
            return super()._update_values(src_partners, dst_partner)
