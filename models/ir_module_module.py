# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        """Translations loaded from files (a language installed, a module
        updated) rename the entries of the complaint trees: their full names
        follow in that language."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "helpdesk.complaint.tree.mixin" in self.env:
            self.env["helpdesk.complaint.tree.mixin"]._recompute_complete_names()
        return result
