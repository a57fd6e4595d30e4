# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import Crm360Common


class ComplaintCommon(Crm360Common):
    """Helpdesk users of each group, a team, a customer with a confirmed order,
    its delivery and its posted invoice: what a complaint is about.

    Everything is built here; no test relies on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._new_user(
            "c360_agent", "helpdesk_mgmt.group_helpdesk_user_own", name="Agent Own"
        )
        cls.agent_2 = cls._new_user(
            "c360_agent_2", "helpdesk_mgmt.group_helpdesk_user_own", name="Agent Own 2"
        )
        cls.team_agent = cls._new_user(
            "c360_team_agent",
            "helpdesk_mgmt.group_helpdesk_user_team",
            name="Agent Team",
        )
        cls.helpdesk_manager = cls._new_user(
            "c360_helpdesk_manager",
            "helpdesk_mgmt.group_helpdesk_manager",
            name="Helpdesk Manager",
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
