# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    """The opportunity, shared by the capabilities.

    Each capability adds its fields and methods in its own file
    (``crm_lead_cute.py``, ``crm_lead_swot.py``, ``crm_lead_complaint.py``,
    ``crm_lead_funnel.py``, ``crm_lead_aging.py``, ``crm_lead_erp.py``). This class
    adds the stage history every capability reads and the one ``write`` that
    dispatches to the capabilities, in a fixed order.
    """

    _name = "crm.lead"
    _inherit = ["crm.lead", "stage.history.mixin"]
    _stage_history_model = "crm.lead.stage.history"
    _stage_history_link = "lead_id"

    stage_is_won = fields.Boolean(
        related="stage_id.is_won",
        string="In a Won Stage",
        help="The opportunity is won: coverage and stage aging no longer apply.",
    )

    def write(self, vals):
        # What each capability must know of the deals before the write.
        restored = self._swot_restored_before_write(vals)
        gates = self._cute_gate_before_write(vals)
        stays = self._stage_aging_before_write(vals)
        res = super().write(vals)
        # Then, in this order: the aging To-Dos of the stays that ended, the
        # competitors of the restored deals, the stage gates of the deals that
        # entered a stage (which may refuse the whole write).
        self._stage_aging_after_write(stays)
        self._swot_restored_after_write(restored)
        self._cute_gate_after_write(gates)
        return res
