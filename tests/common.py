# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import TransactionCase


class Crm360TourCase(HttpCase):
    """An HttpCase whose Chromium may take up to a minute to start.

    Odoo gives Chromium 10 s to publish its DevTools port and otherwise
    *skips* the tour.  On a busy two-core CI machine with a cold disk cache
    the first start can take longer; a skipped tour proves nothing, so wait.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch("odoo.tests.common.CHECK_BROWSER_ITERATIONS", 600))


class Crm360Case(TransactionCase):
    """Companies, users of each sales group, stages, contacts and opportunities.

    Everything is built here; no test relies on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "crm_360 Branch B"})

        def user(login, groups, company=None):
            company = company or cls.company
            return new_test_user(
                cls.env,
                login=login,
                name=login.replace("_", " ").title(),
                groups=groups,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.user_own = user(
            "c360_own", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_own_2 = user(
            "c360_own_2", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_all = user(
            "c360_all", "base.group_user,sales_team.group_sale_salesman_all_leads"
        )
        cls.user_manager = user(
            "c360_manager", "base.group_user,sales_team.group_sale_manager"
        )
        cls.user_company_b = user(
            "c360_company_b",
            "base.group_user,sales_team.group_sale_salesman_all_leads",
            company=cls.company_b,
        )
        cls.user_internal = user("c360_internal", "base.group_user")

        cls.team = cls.env["crm.team"].create(
            {"name": "CUTE Team", "user_id": cls.user_manager.id}
        )
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.create({"name": "C360 New", "sequence": 1})
        cls.stage_proposal = Stage.create({"name": "C360 Proposal", "sequence": 2})
        cls.stage_negotiation = Stage.create(
            {"name": "C360 Negotiation", "sequence": 3}
        )
        cls.stage_won = Stage.create(
            {"name": "C360 Won", "sequence": 9, "is_won": True}
        )

        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Huaxin Machinery", "is_company": True})
        cls.p_economic = Partner.create(
            {"name": "王建国", "parent_id": cls.customer.id, "function": "CFO"}
        )
        cls.p_user = Partner.create({"name": "Li Na", "parent_id": cls.customer.id})
        cls.p_technical = Partner.create(
            {"name": "Chen Lei", "parent_id": cls.customer.id}
        )
        cls.p_coach = Partner.create({"name": "Zhao Min", "parent_id": cls.customer.id})

        Lead = cls.env["crm.lead"]
        lead_vals = {
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
        }
        cls.lead_own = Lead.create(
            dict(lead_vals, name="Own deal", user_id=cls.user_own.id)
        )
        cls.lead_other = Lead.create(
            dict(lead_vals, name="Someone else's deal", user_id=cls.user_own_2.id)
        )
        cls.lead_unassigned = Lead.create(
            dict(lead_vals, name="Unassigned deal", user_id=False)
        )
        cls.lead_company_b = Lead.create(
            dict(
                lead_vals,
                name="Branch B deal",
                user_id=cls.user_company_b.id,
                company_id=cls.company_b.id,
                team_id=False,
            )
        )
        Influencer = cls.env["crm.lead.influencer"]
        cls.inf_own = Influencer.create(
            {
                "lead_id": cls.lead_own.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_other = Influencer.create(
            {
                "lead_id": cls.lead_other.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_unassigned = Influencer.create(
            {
                "lead_id": cls.lead_unassigned.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )
        cls.inf_company_b = Influencer.create(
            {
                "lead_id": cls.lead_company_b.id,
                "partner_id": cls.p_economic.id,
                "role": "economic",
            }
        )

    @classmethod
    def _new_lead(cls, name="Deal", influencers=(), **vals):
        """An opportunity in stage New; ``influencers``: (partner, role, extra)."""
        lead_vals = {
            "name": name,
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
            "user_id": cls.user_own.id,
            "influencer_ids": [
                (0, 0, dict({"partner_id": partner.id, "role": role}, **extra))
                for partner, role, extra in influencers
            ],
        }
        lead_vals.update(vals)
        return cls.env["crm.lead"].create(lead_vals)


class Crm360ErpCase(Crm360Case):
    """Crm360Case plus what the ERP side needs: tax-free products, a foreign
    currency at a known rate, and helpers to confirm, deliver, invoice, credit and
    pay, each on a chosen date."""

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


class ComplaintCase(TransactionCase):
    """Helpdesk users of each group, a team, a customer with a confirmed order,
    its delivery and its posted invoice: what a complaint is about.

    Everything is built here; no test relies on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.agent = new_test_user(
            cls.env,
            login="c360_agent",
            name="Agent Own",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.agent_2 = new_test_user(
            cls.env,
            login="c360_agent_2",
            name="Agent Own 2",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.team_agent = new_test_user(
            cls.env,
            login="c360_team_agent",
            name="Agent Team",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="c360_helpdesk_manager",
            name="Helpdesk Manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaints Desk",
                "user_id": cls.helpdesk_manager.id,
                "user_ids": [
                    (6, 0, (cls.agent | cls.team_agent | cls.helpdesk_manager).ids)
                ],
            }
        )
        # Tests set their own dispatch, remedies and recurrence, and count their own
        # investigations, whatever the demo data configured.
        cls.env["helpdesk.complaint.investigation"].search([]).unlink()
        cls.company.write(
            {"complaint_coupon_program_id": False, "complaint_quality_user_id": False}
        )
        cls.env["helpdesk.complaint.category"].with_context(active_test=False).search(
            []
        ).write({"team_id": False, "user_id": False})
        cls.product_category = cls.env.ref("crm_360.complaint_category_product")
        cls.quality = cls.env.ref("crm_360.complaint_category_product_quality")
        cls.price = cls.env.ref("crm_360.complaint_category_product_price")
        cls.attitude = cls.env.ref("crm_360.complaint_category_staff_attitude")
        cls.service_fees = cls.env.ref("crm_360.complaint_category_service_fees")
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州恒信电子 Hengxin Electronics", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王芳 Wang Fang",
                "parent_id": cls.customer.id,
                "phone": "+86 512 6688 1234",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Norland Pumps", "is_company": True}
        )
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Pump P-200",
                "is_storable": True,
                "tracking": "lot",
                "list_price": 1200.0,
                "standard_price": 700.0,
                "invoice_policy": "order",
            }
        )
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Valve V-10",
                "is_storable": True,
                "list_price": 80.0,
                "standard_price": 30.0,
                "invoice_policy": "order",
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "LOT-2026-07", "product_id": cls.pump.id}
        )
        cls.order = cls._confirmed_order(cls.customer, [(cls.pump, 2), (cls.valve, 5)])
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.other_order = cls._confirmed_order(cls.other_customer, [(cls.valve, 1)])

    @classmethod
    def _confirmed_order(cls, partner, lines):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _complaint(self, **vals):
        return self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Pump leaking after two weeks",
                    "description": "<p>The pump leaks oil.</p>",
                    "partner_id": self.contact.id,
                    "is_complaint": True,
                },
                **vals,
            )
        )
