# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from .fake_model_loader import Crm360FakeModelLoader


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintTreeMixin(TransactionCase):
    """The tree shared by the complaint categories and the root causes, on a
    throwaway model: complete names, the object followed down the tree, loops,
    names unique at their place, companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = Crm360FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import HelpdeskComplaintTreeFake

        cls.loader.update_registry((HelpdeskComplaintTreeFake,))
        cls.Tree = cls.env[HelpdeskComplaintTreeFake._name]
        cls.company_b = cls.env["res.company"].create({"name": "Tree Company B"})
        cls.fruit = cls.Tree.create({"name": "Fruit", "kind": "fruit"})
        cls.tool = cls.Tree.create({"name": "Tool", "kind": "tool"})
        cls.apple = cls.Tree.create({"name": "Apple", "parent_id": cls.fruit.id})
        cls.green = cls.Tree.create({"name": "Green", "parent_id": cls.apple.id})

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def test_names_and_object_follow_the_tree(self):
        self.assertEqual(self.green.complete_name, "Fruit / Apple / Green")
        self.assertEqual(self.green.display_name, "Fruit / Apple / Green")
        self.assertEqual((self.apple | self.green).mapped("kind"), ["fruit"] * 2)
        self.assertEqual(self.green.parent_path.count("/"), 3)
        # Moving a branch moves the object and the names of all below it.
        self.apple.parent_id = self.tool
        self.assertEqual(self.green.complete_name, "Tool / Apple / Green")
        self.assertEqual(self.green.kind, "tool")
        self.tool.name = "Tools"
        self.assertEqual(self.green.complete_name, "Tools / Apple / Green")
        # A top entry keeps the object it was given.
        self.apple.parent_id = False
        self.assertEqual((self.apple | self.green).mapped("kind"), ["tool"] * 2)
        self.assertEqual(self.green.complete_name, "Apple / Green")

    def test_searched_and_ordered_by_complete_name(self):
        self.assertEqual(
            [name for _id, name in self.Tree.name_search("Fruit / App")],
            ["Fruit / Apple", "Fruit / Apple / Green"],
        )
        self.assertEqual(
            self.Tree.search([]).mapped("complete_name"),
            ["Fruit", "Fruit / Apple", "Fruit / Apple / Green", "Tool"],
        )
        self.assertEqual(
            self.Tree.search([("id", "child_of", self.apple.id)]),
            self.apple | self.green,
        )
        self.apple.active = False
        self.assertNotIn(self.apple, self.Tree.search([]))

    def test_bad_trees(self):
        with self.assertRaisesRegex(UserError, "Recursion"):
            self.fruit.parent_id = self.green
        with self.assertRaises(ValueError):
            self.Tree.create({"name": "Weather", "kind": "weather"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Tree.create({"name": "No kind at all"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Tree.create({"name": "Apple", "parent_id": self.fruit.id})

    def test_names_unique_at_their_place(self):
        # The same name elsewhere in the tree, or kept to a company.
        self.Tree.create({"name": "Apple", "parent_id": self.tool.id})
        self.Tree.create(
            {"name": "Fruit", "kind": "fruit", "company_id": self.company_b.id}
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Tree.create({"name": "Fruit", "kind": "tool"})

    def test_companies(self):
        pear = self.Tree.create(
            {
                "name": "Pear",
                "parent_id": self.fruit.id,
                "company_id": self.company_b.id,
            }
        )
        self.assertEqual(pear.kind, "fruit")
        company_b_top = self.Tree.create(
            {"name": "Orchard", "kind": "fruit", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.Tree.create(
                {
                    "name": "Plum",
                    "parent_id": company_b_top.id,
                    "company_id": self.env.company.id,
                }
            )
