# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields computed with elevated rights return nothing their reader could not
read himself: for every relational field crm_360 computes (found in the
registry), on every fixture record each role may open, every record the field
returns must be one the role may open too."""

import logging

from odoo.exceptions import AccessError

from ..models.base import is_crm360_field
from .crm_360_roles import Crm360RolesCase

_logger = logging.getLogger(__name__)

RELATIONAL = ("many2one", "many2many", "one2many")


class TestCrm360ComputedReads(Crm360RolesCase):
    def _computed_relations(self, model):
        return [
            name
            for name, field in model._fields.items()
            if field.type in RELATIONAL
            and field.compute
            and not field.related
            and is_crm360_field(field)
        ]

    def test_computed_relations_show_only_readable_records(self):
        checked = 0
        for name, model_class in sorted(self.env.registry.items()):
            if model_class._abstract or model_class._transient or not model_class._auto:
                continue
            Model = self.env[name]
            fnames = self._computed_relations(Model)
            if not fnames:
                continue
            sample = Model.with_context(active_test=False).search(
                [], order="id desc", limit=40
            )
            for role, user in self.users.items():
                As = Model.with_user(user).with_context(active_test=False)
                try:
                    visible = As.search([("id", "in", sample.ids)])
                except AccessError:
                    continue
                readable = [
                    fname for fname in fnames if As._fields[fname].is_accessible(As.env)
                ]
                if not visible or not readable:
                    continue
                for row in visible.read(readable):
                    for fname in readable:
                        value = row[fname]
                        ids = [value[0]] if isinstance(value, tuple) else (value or [])
                        if not ids:
                            continue
                        comodel = As._fields[fname].comodel_name
                        Comodel = self.env[comodel].with_user(user)
                        with self.subTest(model=name, field=fname, role=role):
                            try:
                                seen = Comodel.with_context(
                                    active_test=False
                                ).search_count([("id", "in", ids)])
                            except AccessError:
                                seen = 0
                            self.assertEqual(
                                seen,
                                len(ids),
                                f"{name}.{fname} shows role {role} "
                                f"{len(ids) - seen} {comodel} record(s) it may "
                                "not open",
                            )
                        checked += 1
        _logger.info("computed relations checked: %s values", checked)
        self.assertGreater(checked, 10)
