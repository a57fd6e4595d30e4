# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo_test_helper import FakeModelLoader


class Crm360FakeModelLoader(FakeModelLoader):
    """odoo_test_helper's loader, creating the tables of the given fake models only.

    Its own ``update_registry`` re-initialises the tables, columns, constraints and
    reflection of EVERY model of crm_360 each time a test class loads a fake
    model (several seconds); crm_360's own tables are already up to date, so only
    the fake models need it."""

    def update_registry(self, odoo_models):
        fake_names = {model._name for model in odoo_models}
        registry = self.env.registry
        init_models = registry.init_models

        def init_fake_models(cr, model_names, context, install=True):
            names = [name for name in model_names if name in fake_names]
            return init_models(cr, names, context, install=install)

        with patch.object(registry, "init_models", init_fake_models):
            return super().update_registry(odoo_models)
