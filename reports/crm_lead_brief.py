# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportCrmLeadBrief(models.AbstractModel):
    _name = "report.crm_360.crm_lead_brief_document"
    _description = "Opportunity Brief"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["crm.lead"].browse(docids)
        # Fail fast and plainly: a brief only prints opportunities one may open.
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": "crm.lead", "docs": docs}
