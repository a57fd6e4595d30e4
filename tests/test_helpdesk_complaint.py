# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common import Crm360Common


@tagged("post_install", "-at_install")
class TestHelpdeskComplaint(Crm360Common):
    """The complaint classification tree and its use on helpdesk tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._new_user("c360_agent", "helpdesk_mgmt.group_helpdesk_user_own")
        cls.helpdesk_manager = cls._new_user(
            "c360_helpdesk_manager", "helpdesk_mgmt.group_helpdesk_manager"
        )
        cls.product = cls.env.ref("crm_360.complaint_category_product")
        cls.quality = cls.env.ref("crm_360.complaint_category_product_quality")
        cls.attitude = cls.env.ref("crm_360.complaint_category_staff_attitude")
        cls.service_fees = cls.env.ref("crm_360.complaint_category_service_fees")
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州恒信电子 Hengxin Electronics", "is_company": True}
        )

    def _ticket(self, **vals):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Pump leaking after two weeks",
                    "description": "<p>The pump leaks oil.</p>",
                    "partner_id": self.customer.id,
                    "user_id": self.env.uid,
                },
                **vals,
            )
        )

    def test_seeded_classes_of_the_documents(self):
        Category = self.env["helpdesk.complaint.category"]
        tree = {
            root.complaint_object: set(root.child_ids.mapped("name"))
            for root in Category.search([("parent_id", "=", False)])
        }
        self.assertEqual(tree["product"], {"Quality", "Price", "Performance"})
        self.assertEqual(tree["staff"], {"Attitude"})
        self.assertEqual(tree["service"], {"Service Quality", "Service Fees"})
        self.assertEqual(self.quality.complete_name, "Product / Quality")

    def test_full_names_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        Category = self.env["helpdesk.complaint.category"]
        delivery = Category.create({"name": "Delivery", "parent_id": self.product.id})
        late = Category.create({"name": "Late", "parent_id": delivery.id})
        # Translated as a user does: in the form, and with the translation dialog.
        self.product.with_context(lang="zh_CN").name = "产品"
        delivery.update_field_translations("name", {"zh_CN": "交付"})
        chinese = late.with_context(lang="zh_CN")
        self.assertEqual(chinese.complete_name, "产品 / 交付 / Late")
        self.assertEqual(chinese.display_name, "产品 / 交付 / Late")
        self.assertEqual(late.complete_name, "Product / Delivery / Late")
        late.with_context(lang="zh_CN").name = "迟到"
        self.assertEqual(chinese.complete_name, "产品 / 交付 / 迟到")
        self.assertEqual(
            late.with_context(lang="en_US").complete_name, "Product / Delivery / Late"
        )
        # Searched and shown in Chinese.
        found = Category.with_context(lang="zh_CN").name_search("交付 / 迟")
        self.assertEqual(found, [(late.id, "产品 / 交付 / 迟到")])

    def test_full_names_follow_loaded_translations(self):
        """Installing Chinese loads the names from crm_360's translation file, in
        SQL: the full names follow."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_360"], ["zh_CN"], overwrite=True
        )
        self.assertEqual(
            self.quality.with_context(lang="zh_CN").complete_name, "产品 / 质量"
        )
        self.assertEqual(
            self.quality.with_context(lang="en_US").complete_name, "Product / Quality"
        )

    def test_aspects_follow_their_object(self):
        Category = self.env["helpdesk.complaint.category"]
        delivery = Category.create({"name": "Delivery", "parent_id": self.product.id})
        late = Category.create({"name": "Late", "parent_id": delivery.id})
        self.assertEqual(late.complaint_object, "product")
        self.assertEqual(late.complete_name, "Product / Delivery / Late")
        # Moving a branch moves its object and names along.
        service = self.env.ref("crm_360.complaint_category_service")
        delivery.parent_id = service
        self.assertEqual(late.complaint_object, "service")
        self.assertEqual(late.complete_name, "Service Activity / Delivery / Late")

    def test_bad_classification(self):
        Category = self.env["helpdesk.complaint.category"]
        # The parent store refuses a loop in the tree.
        with self.assertRaisesRegex(UserError, "Recursion"):
            self.product.parent_id = self.quality
        with self.assertRaises(ValueError):
            Category.create({"name": "Weather", "complaint_object": "weather"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Category.create({"name": "No object at all"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Category.create({"name": "Quality", "parent_id": self.product.id})
        # A class in use is archived, not deleted.
        self._ticket(complaint_aspect_id=self.quality.id)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.quality.unlink()

    def test_ticket_classified_as_complaint(self):
        question = self._ticket(name="How do I reset the controller?")
        self.assertFalse(question.is_complaint)
        self.assertFalse(question.complaint_object)
        complaint = self._ticket(complaint_aspect_id=self.quality.id)
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.complaint_object, "product")
        # A complaint stays one when its class is cleared for correction.
        complaint.complaint_aspect_id = False
        self.assertTrue(complaint.is_complaint)
        complaint.complaint_aspect_id = self.attitude
        self.assertEqual(complaint.complaint_object, "staff")
        # Flagged first, classified later.
        flagged = self._ticket(is_complaint=True)
        self.assertTrue(flagged.is_complaint)
        self.assertFalse(flagged.complaint_object)

    def test_complaints_grouped_by_object_and_aspect(self):
        self._ticket(complaint_aspect_id=self.quality.id)
        self._ticket(complaint_aspect_id=self.quality.id)
        self._ticket(complaint_aspect_id=self.attitude.id)
        self._ticket(complaint_aspect_id=self.service_fees.id)
        self._ticket(name="A plain question")
        Ticket = self.env["helpdesk.ticket"]
        domain = [("partner_id", "=", self.customer.id), ("is_complaint", "=", True)]
        by_object = dict(Ticket._read_group(domain, ["complaint_object"], ["__count"]))
        self.assertEqual(by_object, {"product": 2, "staff": 1, "service": 1})
        by_aspect = dict(
            Ticket._read_group(domain, ["complaint_aspect_id"], ["__count"])
        )
        self.assertEqual(by_aspect[self.quality], 2)
        self.assertEqual(
            Ticket.search_count(
                domain + [("complaint_aspect_id", "child_of", self.product.id)]
            ),
            2,
        )

    @users("c360_agent")
    def test_agent_reads_the_classification(self):
        Category = self.env["helpdesk.complaint.category"]
        self.assertIn(self.quality, Category.search([]))
        ticket = self._ticket(complaint_aspect_id=self.quality.id)
        self.assertEqual(ticket.complaint_object, "product")
        with self.assertRaises(AccessError):
            Category.create({"name": "Packaging", "parent_id": self.product.id})
        with self.assertRaises(AccessError):
            self.quality.with_env(self.env).name = "Defects"

    @users("c360_helpdesk_manager")
    def test_manager_extends_the_classification(self):
        Category = self.env["helpdesk.complaint.category"]
        packaging = Category.create({"name": "Packaging", "parent_id": self.product.id})
        self.assertEqual(packaging.complaint_object, "product")
        packaging.active = False
        self.assertNotIn(packaging, Category.search([]))
