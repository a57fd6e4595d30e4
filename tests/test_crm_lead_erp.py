# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_erp import ErpCommon


@tagged("post_install", "-at_install")
class TestCrmLeadErp(ErpCommon):
    """Ordered, delivered, invoiced and paid on the deal, its documents, and the
    customer risk panel, on a hand-computed data set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.today = today
        cls.lead = cls._new_lead("Lathes for Huaxin", expected_revenue=1500)
        # 10 lathes at 100: 6 delivered, invoiced in full 60 days ago (due then),
        # 2 credited today, 500 paid.
        cls.order = cls._order(
            cls.customer, [(cls.product, 10, 100.0)], lead=cls.lead, user=cls.user_own
        )
        cls._deliver(cls.order, {cls.product: 6})
        cls.invoice = cls._invoice(cls.order, today - timedelta(days=60))
        cls.refund = cls._credit_note(cls.order.order_line, 2, today)
        cls._pay(cls.invoice, 500.0, today)
        # 4 drills at 100 in the foreign currency (2 for 1): 200 in company currency,
        # sold by another salesman.
        cls.order_foreign = cls._order(
            cls.customer,
            [(cls.product_2, 4, 100.0)],
            lead=cls.lead,
            user=cls.user_own_2,
            pricelist=cls.foreign_pricelist,
        )
        # Not counted: a cancelled order, a draft invoice, a quotation.
        cancelled = cls._order(
            cls.customer, [(cls.product, 50, 100.0)], lead=cls.lead, user=cls.user_own
        )
        cancelled._action_cancel()
        cls.draft_invoice = cls.order_foreign._create_invoices()
        # The quotation: 5 lathes while 3 are free in stock (9 received, 6 out),
        # 1 drill while 10 are free.
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock_location, 3
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_2, cls.stock_location, 10
        )
        cls.quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "opportunity_id": cls.lead.id,
                "user_id": cls.user_own.id,
                "order_line": [
                    (0, 0, {"product_id": cls.product.id, "product_uom_qty": 5}),
                    (0, 0, {"product_id": cls.product_2.id, "product_uom_qty": 1}),
                ],
            }
        )

    def _amounts(self, lead):
        return (
            lead.ordered_amount,
            lead.delivered_amount,
            lead.invoiced_amount,
            lead.paid_amount,
        )

    def test_amounts(self):
        # Ordered 1000 + 400/2; delivered 6 × 100; invoiced 1000 − 200; paid: half
        # of the invoice (500 of 1000), nothing of the open credit note.
        self.assertEqual(self._amounts(self.lead), (1200.0, 600.0, 800.0, 500.0))
        # The same through the sales manager's eyes.
        lead = self.lead.with_user(self.user_manager)
        self.assertEqual(self._amounts(lead), (1200.0, 600.0, 800.0, 500.0))

    def test_amounts_follow_order_access(self):
        """A salesman sees the amounts of the orders he may open only."""
        lead = self.lead.with_user(self.user_own)
        self.assertEqual(self._amounts(lead), (1000.0, 600.0, 800.0, 500.0))

    def test_amounts_match_sale_crm(self):
        """Ordered equals sale_crm's "Sum of Orders" of the same deal."""
        self.assertAlmostEqual(self.lead.ordered_amount, self.lead.sale_amount_total)

    def test_paid_after_reconciling_the_credit_note(self):
        # Reconcile the credit note with the invoice: cash received is still 500.
        lines = (self.invoice | self.refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )
        lines.reconcile()
        self.lead.invalidate_recordset()
        self.assertEqual(self._amounts(self.lead), (1200.0, 600.0, 800.0, 500.0))

    def test_documents(self):
        lead = self.lead.with_user(self.user_manager)
        self.assertEqual(lead.erp_delivery_count, 2)
        # The invoice, the credit note and the draft invoice; not cancelled ones.
        self.assertEqual(lead.erp_invoice_count, 3)
        action = lead.action_view_erp_invoices()
        self.assertEqual(
            set(action["domain"][0][2]),
            set((self.invoice | self.refund | self.draft_invoice).ids),
        )
        action = lead.action_view_erp_deliveries()
        self.assertEqual(
            self.env["stock.picking"].search(action["domain"]),
            self.order.picking_ids | self.order_foreign.picking_ids,
        )
        # The salesman: only his own order's delivery and invoices.
        lead = self.lead.with_user(self.user_own)
        self.assertEqual(lead.erp_delivery_count, 1)
        self.assertEqual(lead.erp_invoice_count, 2)

    def test_risk_panel(self):
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 2000.0
        lead = self.lead.with_user(self.user_own)
        # Due 60 days ago, 500 of 1000 paid; the credit note is due today.
        self.assertEqual(lead.overdue_receivable_amount, 500.0)
        self.assertEqual(lead.credit_limit_amount, 2000.0)
        # Total receivable 500 − 200 = 300 of 2000.
        self.assertAlmostEqual(lead.credit_used_percent, 15.0)
        # Without the credit limit feature: no limit shown.
        self.company.account_use_credit_limit = False
        lead.invalidate_recordset()
        self.assertEqual(lead.credit_limit_amount, 0.0)

    def test_open_complaints_on_the_deal(self):
        self.env["helpdesk.ticket"].create(
            {
                "name": "Lathe vibrates",
                "description": "<p>Vibrates</p>",
                "partner_id": self.customer.id,
                "is_complaint": True,
            }
        )
        self.assertEqual(self.lead.complaint_open_count, 1)

    def test_stock_shortage(self):
        lead = self.lead.with_user(self.user_own)
        self.assertTrue(lead.stock_short)
        html = str(lead.stock_shortage_html)
        self.assertIn("Lathe L-300", html)
        self.assertIn("Drill D-20", html)
        self.assertRegex(html, r"text-danger'><td>Lathe L-300</td><td[^>]*>5</td>")
        # Enough lathes arrive: nothing is short any more.
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock_location, 2
        )
        self.env.invalidate_all()
        self.assertFalse(self.lead.stock_short)

    def test_deal_without_orders(self):
        lead = self._new_lead("Nothing ordered yet")
        self.assertEqual(self._amounts(lead), (0.0, 0.0, 0.0, 0.0))
        self.assertFalse(lead.stock_short)
        self.assertFalse(lead.stock_shortage_html)
        self.assertEqual(lead.erp_invoice_count, 0)
        # A deal without a customer: no risk figures, no error.
        lead.partner_id = False
        self.assertEqual(lead.overdue_receivable_amount, 0.0)

    def test_lead_form_renders(self):
        """The Orders & Invoicing page loads for a salesman."""
        lead = self.lead.with_user(self.user_own)
        lead.read(
            [
                "ordered_amount",
                "delivered_amount",
                "invoiced_amount",
                "paid_amount",
                "overdue_receivable_amount",
                "credit_used_percent",
                "stock_shortage_html",
            ]
        )
        self.env["crm.lead"].with_user(self.user_own).get_views([(False, "form")])
