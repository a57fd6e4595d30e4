# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import Crm360TourCase
from .common_erp import ErpCommon


@tagged("post_install", "-at_install")
class TestCrmLeadErpTour(Crm360TourCase, ErpCommon):
    """From an opportunity to its invoice in the browser, as the salesman: the
    "Orders & Invoicing" tab, then the Invoices smart button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.lead = cls._new_lead("Lathes for the ERP tour", expected_revenue=1500)
        # 10 lathes at 100, 6 delivered, invoiced in full 30 days ago (due then),
        # 400 paid today: 600 overdue.
        cls.order = cls._order(
            cls.customer, [(cls.product, 10, 100.0)], lead=cls.lead, user=cls.user_own
        )
        cls.picking = cls._deliver(cls.order, {cls.product: 6})
        cls.invoice = cls._invoice(cls.order, today - timedelta(days=30))
        cls._pay(cls.invoice, 400.0, today)

    def test_erp_tour(self):
        lead = self.lead.with_user(self.user_own)
        # What the tour reads, computed for the same user.
        self.assertEqual(
            (
                lead.ordered_amount,
                lead.delivered_amount,
                lead.invoiced_amount,
                lead.paid_amount,
                lead.overdue_receivable_amount,
            ),
            (1000.0, 600.0, 1000.0, 400.0, 600.0),
        )
        self.assertEqual((lead.erp_delivery_count, lead.erp_invoice_count), (1, 1))
        # One invoice: the smart button opens its form.
        action = lead.action_view_erp_invoices()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["view_mode"], "form")
        self.assertEqual(action["res_id"], self.invoice.id)

        self.start_tour(
            f"/odoo/crm/{self.lead.id}", "crm_360_erp_tour", login="c360_own"
        )

        # Looking changed nothing: the invoice is still posted and partly paid.
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.state, "posted")
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(self.invoice.amount_residual, 600.0)
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.order.state, "sale")
