# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

REMEDY_MODELS = ("account.move", "stock.picking", "sale.order", "loyalty.card")


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintRemedyMixin(TransactionCase):
    """The link of the four remedy documents to their complaint is one field."""

    def test_one_link_on_every_remedy(self):
        inheritors = self.env.registry[
            "helpdesk.complaint.remedy.mixin"
        ]._inherit_children
        helps = set()
        for model in REMEDY_MODELS:
            with self.subTest(model=model):
                self.assertIn(model, inheritors)
                field = self.env[model]._fields["complaint_ticket_id"]
                self.assertEqual(field.comodel_name, "helpdesk.ticket")
                self.assertEqual(field.string, "Complaint")
                self.assertEqual(field.index, "btree_not_null")
                self.assertFalse(field.copy)
                self.assertTrue(field.readonly)
                self.assertTrue(field.store)
                # Every document says what it is to the complaint.
                self.assertTrue(field.help)
                helps.add(field.help)
                self.assertEqual(field.check_company, model != "loyalty.card")
        self.assertEqual(len(helps), len(REMEDY_MODELS))
