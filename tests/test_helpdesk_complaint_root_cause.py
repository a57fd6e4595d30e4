# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintRootCause(ComplaintCommon):
    """The root-cause tree and the root cause of a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cause_product = cls.env.ref("crm_360.complaint_root_cause_product")
        cls.manufacturing = cls.env.ref(
            "crm_360.complaint_root_cause_product_manufacturing"
        )
        cls.training = cls.env.ref("crm_360.complaint_root_cause_staff_training")
        cls.misuse = cls.env.ref("crm_360.complaint_root_cause_other_misuse")

    def test_seeded_causes(self):
        Cause = self.env["helpdesk.complaint.root.cause"]
        tree = {
            root.cause_object: set(root.child_ids.mapped("name"))
            for root in Cause.search([("parent_id", "=", False)])
        }
        self.assertEqual(
            tree["product"],
            {
                "Design",
                "Material or Component",
                "Manufacturing",
                "Packaging & Transport",
            },
        )
        self.assertEqual(
            tree["staff"], {"Training", "Attitude and Behaviour", "Communication"}
        )
        self.assertEqual(
            tree["service"],
            {"Process", "Response Time", "Pricing Policy", "Spare Parts"},
        )
        self.assertEqual(tree["other"], {"Customer Misuse", "Third Party or External"})
        self.assertEqual(self.manufacturing.complete_name, "Product / Manufacturing")
        self.assertEqual(self.manufacturing.cause_object, "product")

    def test_sub_causes_follow_their_category(self):
        Cause = self.env["helpdesk.complaint.root.cause"]
        welding = Cause.create({"name": "Welding", "parent_id": self.manufacturing.id})
        self.assertEqual(welding.cause_object, "product")
        self.assertEqual(welding.complete_name, "Product / Manufacturing / Welding")
        # Moving a branch moves its category and names along.
        other = self.env.ref("crm_360.complaint_root_cause_other")
        self.manufacturing.parent_id = other
        self.assertEqual(welding.cause_object, "other")
        self.assertEqual(welding.complete_name, "Other / Manufacturing / Welding")

    def test_bad_root_causes(self):
        Cause = self.env["helpdesk.complaint.root.cause"]
        with self.assertRaisesRegex(UserError, "Recursion"):
            self.cause_product.parent_id = self.manufacturing
        with self.assertRaises(ValueError):
            Cause.create({"name": "Weather", "cause_object": "weather"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Cause.create({"name": "No category at all"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Cause.create({"name": "Design", "parent_id": self.cause_product.id})
        # A cause in use is archived, not deleted.
        self._complaint(complaint_root_cause_id=self.manufacturing.id)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.manufacturing.unlink()

    def test_complaint_root_cause(self):
        complaint = self._complaint(
            complaint_aspect_id=self.quality.id,
            complaint_root_cause_id=self.manufacturing.id,
            complaint_root_cause_description="The seal was fitted upside down.",
        )
        self.assertEqual(complaint.complaint_root_cause_object, "product")
        complaint.complaint_root_cause_id = self.training
        self.assertEqual(complaint.complaint_root_cause_object, "staff")
        self._complaint(complaint_root_cause_id=self.training.id)
        self._complaint(complaint_root_cause_id=self.misuse.id)
        Ticket = self.env["helpdesk.ticket"]
        domain = [("partner_id", "=", self.contact.id), ("is_complaint", "=", True)]
        by_cause = dict(
            Ticket._read_group(domain, ["complaint_root_cause_id"], ["__count"])
        )
        self.assertEqual(by_cause, {self.training: 2, self.misuse: 1})
        by_category = dict(
            Ticket._read_group(domain, ["complaint_root_cause_object"], ["__count"])
        )
        self.assertEqual(by_category, {"staff": 2, "other": 1})

    def test_root_cause_tab(self):
        complaint = self._complaint(complaint_aspect_id=self.quality.id)
        with Form(complaint) as form:
            form.complaint_root_cause_id = self.manufacturing
            form.complaint_root_cause_description = "Seal fitted upside down."
            self.assertEqual(form.complaint_root_cause_object, "product")
        self.assertEqual(complaint.complaint_root_cause_id, self.manufacturing)

    def test_company_causes(self):
        company_b = self.env["res.company"].create({"name": "crm_360 Branch B"})
        cause_b = self.env["helpdesk.complaint.root.cause"].create(
            {
                "name": "Branch B subcontractor",
                "parent_id": self.cause_product.id,
                "company_id": company_b.id,
            }
        )
        with self.assertRaises(UserError):
            self._complaint(complaint_root_cause_id=cause_b.id)
        Cause = self.env["helpdesk.complaint.root.cause"].with_user(self.agent)
        self.assertNotIn(cause_b, Cause.search([]))
        self.assertIn(self.manufacturing, Cause.search([]))

    @users("c360_agent")
    def test_agent_reads_the_causes(self):
        Cause = self.env["helpdesk.complaint.root.cause"]
        self.assertIn(self.manufacturing, Cause.search([]))
        complaint = self._complaint(
            user_id=self.env.uid, complaint_root_cause_id=self.manufacturing.id
        )
        self.assertEqual(complaint.complaint_root_cause_object, "product")
        with self.assertRaises(AccessError):
            Cause.create({"name": "Tooling", "parent_id": self.cause_product.id})
        with self.assertRaises(AccessError):
            self.manufacturing.with_env(self.env).name = "Assembly"

    @users("c360_helpdesk_manager")
    def test_manager_extends_the_causes(self):
        Cause = self.env["helpdesk.complaint.root.cause"]
        tooling = Cause.create({"name": "Tooling", "parent_id": self.cause_product.id})
        self.assertEqual(tooling.cause_object, "product")
        tooling.active = False
        self.assertNotIn(tooling, Cause.search([]))
