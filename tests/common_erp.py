# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import Crm360SalesCommon


class ErpCommon(Crm360SalesCommon):
    """Customer value and ERP integration: the sales pipeline plus what the ERP
    side needs: tax-free products, a foreign currency at a known rate, and helpers
    to confirm, deliver, invoice, credit and pay, each on a chosen date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.product = Product.create(
            {
                "name": "Lathe L-300",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.product_2 = Product.create(
            {
                "name": "Drill D-20",
                "is_storable": True,
                "list_price": 50.0,
                "standard_price": 20.0,
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
            }
        )
        currency = cls.company.currency_id
        cls.foreign = cls.env.ref(
            "base.EUR" if currency != cls.env.ref("base.EUR") else "base.USD"
        )
        cls.foreign.active = True
        # 2 units of the foreign currency for 1 of the company's.
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.foreign | currency).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "name": "2000-01-01",
                "rate": 2.0,
                "company_id": cls.company.id,
            }
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign prices", "currency_id": cls.foreign.id}
        )
        cls.stock_location = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company.id)], limit=1)
            .lot_stock_id
        )

    @classmethod
    def _order(cls, partner, lines, lead=None, user=None, pricelist=None, date=None):
        """A confirmed sale order; ``lines``: (product, quantity, unit price)."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "opportunity_id": lead.id if lead else False,
                "user_id": (user or cls.env.user).id,
                "pricelist_id": pricelist.id if pricelist else False,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                    for product, qty, price in lines
                ],
            }
        )
        order.action_confirm()
        if date:
            order.date_order = date
        return order

    @classmethod
    def _deliver(cls, order, quantities):
        """Deliver ``quantities`` ({product: qty}) of the order, no backorder."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            qty = quantities.get(move.product_id, 0.0)
            cls.env["stock.quant"]._update_available_quantity(
                move.product_id, picking.location_id, qty
            )
            move.quantity = qty
            move.picked = True
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids
        ).button_validate()
        return picking

    @classmethod
    def _invoice(cls, order, date):
        invoice = order._create_invoices()
        invoice.write({"invoice_date": date, "invoice_date_due": date})
        invoice.action_post()
        return invoice

    @classmethod
    def _credit_note(cls, order_line, qty, date):
        """A posted credit note for ``qty`` units of a sale order line."""
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": order_line.order_id.partner_id.id,
                "invoice_user_id": order_line.order_id.user_id.id,
                "invoice_date": date,
                "currency_id": order_line.currency_id.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": order_line.product_id.id,
                            "quantity": qty,
                            "price_unit": order_line.price_unit,
                            "tax_ids": [(5, 0, 0)],
                            "sale_line_ids": [(6, 0, order_line.ids)],
                        },
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    @classmethod
    def _coupon_program(cls, name, discount):
        """A coupon program of the company: one point per coupon buys a fixed
        ``discount`` on the order."""
        return cls.env["loyalty.program"].create(
            {
                "name": name,
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "company_id": cls.company.id,
                "rule_ids": [(0, 0, {"reward_point_amount": 1})],
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount": discount,
                            "discount_mode": "per_order",
                            "required_points": 1,
                            "discount_applicability": "order",
                        },
                    )
                ],
            }
        )

    @classmethod
    def _pay(cls, invoice, amount, date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": date})._create_payments()

    @classmethod
    def _direct_invoice(
        cls, partner, amount, date, refund=False, company=None, currency=None, post=True
    ):
        """A customer invoice (or credit note) not coming from an order."""
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_refund" if refund else "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": date,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Goods",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [(5, 0, 0)],
                            },
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move


class CustomerAnalyticsCommon(ErpCommon):
    """A company of its own (demo invoices of the main company stay out of the
    quintiles and tiers), with its chart of accounts and its sales users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.co = cls.env["res.company"].create(
            {"name": "Analytics Trading Co", "currency_id": cls.company.currency_id.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.co, install_demo=False
        )
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "name": "2000-01-01",
                "rate": 2.0,
                "company_id": cls.co.id,
            }
        )
        cls.env.user.company_ids |= cls.co
        cls.co_salesman = cls._new_user(
            "c360_co_salesman",
            "base.group_user,sales_team.group_sale_salesman",
            company=cls.co,
        )
        cls.co_manager = cls._new_user(
            "c360_co_manager",
            "base.group_user,sales_team.group_sale_manager",
            company=cls.co,
        )
        cls.co_internal = cls._new_user(
            "c360_co_internal", "base.group_user", company=cls.co
        )
        cls.Partner = cls.env["res.partner"].with_company(cls.co)

    @classmethod
    def _customer(cls, name):
        return cls.Partner.create({"name": name, "is_company": True})

    def _refresh(self, today=None):
        return self.env["res.partner"]._refresh_customer_analytics(self.co, today=today)

    def _of(self, partner, *fnames):
        partner = partner.with_company(self.co)
        partner.invalidate_recordset()
        values = tuple(partner[fname] for fname in fnames)
        return values[0] if len(values) == 1 else values
