# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintRemedy(ComplaintCommon):
    """ERP remedies of a complaint: credit note, return, replacement order and
    goodwill coupon, each a real document linked back, and the complaint's cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Handles complaints and may credit, take goods back and sell.
        cls.handler = cls._new_user(
            "c360_remedy_handler",
            "helpdesk_mgmt.group_helpdesk_user_own,account.group_account_invoice,sales_team.group_sale_salesman,stock.group_stock_user",
            name="Complaint Handler",
        )
        # Handles complaints and may create coupons (Sales: Administrator).
        cls.goodwill_manager = cls._new_user(
            "c360_remedy_goodwill",
            "helpdesk_mgmt.group_helpdesk_user_own,sales_team.group_sale_manager",
            name="Goodwill Manager",
        )
        cls.contact.email = "wang.fang@hengxin.example.com"
        cls.order.user_id = cls.handler
        # Deliver the order: the lot-tracked pumps from their lot.
        cls.delivery = cls.order.picking_ids
        stock = cls.delivery.location_id
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.pump, stock, 2, lot_id=cls.lot)
        Quant._update_available_quantity(cls.valve, stock, 5)
        cls.delivery.action_assign()
        cls.delivery.move_ids.picked = True
        cls.delivery.button_validate()
        # 50 off an order per coupon point.
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Goodwill Vouchers",
                "program_type": "coupons",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_order",
                            "discount": 50.0,
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
                "communication_plan_ids": [
                    Command.create(
                        {
                            "trigger": "create",
                            "mail_template_id": cls.env.ref(
                                "loyalty.mail_template_loyalty_card"
                            ).id,
                        }
                    )
                ],
            }
        )

    def _remedied_complaint(self, user=None, **vals):
        return self._complaint(
            **dict(
                {
                    "user_id": (user or self.handler).id,
                    "team_id": self.team.id,
                    "sale_order_id": self.order.id,
                    "product_id": self.pump.id,
                    "lot_id": self.lot.id,
                    "picking_id": self.delivery.id,
                    "invoice_id": self.invoice.id,
                },
                **vals,
            )
        )

    def _credit_note(self, ticket):
        """The credit note the handler makes with Odoo's wizard, from the button."""
        action = ticket.with_user(self.handler).action_complaint_credit_note()
        wizard_form = Form.from_action(self.env(user=self.handler), action)
        self.assertIn(ticket.number, wizard_form.reason)
        result = wizard_form.save().refund_moves()
        return self.env["account.move"].browse(result["res_id"])

    def test_delivery_is_done(self):
        self.assertEqual(self.delivery.state, "done")
        self.assertEqual(self.delivery.move_line_ids.lot_id, self.lot)

    def test_credit_note_from_the_invoice(self):
        ticket = self._remedied_complaint()
        refund = self._credit_note(ticket)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertEqual(refund.complaint_ticket_id, ticket)
        self.assertIn(ticket.number, refund.ref)
        self.assertEqual(ticket.with_user(self.handler).complaint_credit_note_count, 1)
        # 2 pumps × 1,200 + 5 valves × 80, untaxed.
        self.assertEqual(ticket.complaint_credit_note_amount, 2800.0)
        self.assertEqual(ticket.complaint_cost, 2800.0)
        # Partial credit: the accountant keeps the pumps only, then posts.
        valve_line = refund.invoice_line_ids.filtered(
            lambda line: line.product_id == self.valve
        )
        refund.with_user(self.handler).write(
            {"invoice_line_ids": [Command.delete(valve_line.id)]}
        )
        refund.with_user(self.handler).action_post()
        self.assertEqual(ticket.complaint_cost, 2400.0)
        action = ticket.with_user(self.handler).action_view_complaint_credit_notes()
        self.assertEqual(action["res_id"], refund.id)
        # A cancelled credit note costs nothing.
        refund.button_draft()
        refund.button_cancel()
        self.assertEqual(ticket.complaint_credit_note_amount, 0.0)
        self.assertEqual(ticket.complaint_cost, 0.0)

    def test_credit_note_and_new_invoice_links_the_credit_note_only(self):
        ticket = self._remedied_complaint()
        action = ticket.with_user(self.handler).action_complaint_credit_note()
        wizard = Form.from_action(self.env(user=self.handler), action).save()
        wizard.modify_moves()
        self.assertEqual(wizard.new_move_ids.move_type, "out_invoice")
        self.assertFalse(wizard.new_move_ids.complaint_ticket_id)
        refund = ticket.complaint_credit_note_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(ticket.complaint_cost, 2800.0)

    def test_return_from_the_delivery(self):
        ticket = self._remedied_complaint()
        action = ticket.with_user(self.handler).action_complaint_return()
        wizard_form = Form.from_action(self.env(user=self.handler), action)
        for index in range(len(wizard_form.product_return_moves)):
            with wizard_form.product_return_moves.edit(index) as line:
                if line.product_id == self.pump:
                    line.quantity = 1
        result = wizard_form.save().action_create_returns()
        back = self.env["stock.picking"].browse(result["res_id"])
        self.assertEqual(back.return_id, self.delivery)
        self.assertEqual(back.picking_type_code, "incoming")
        self.assertEqual(back.complaint_ticket_id, ticket)
        self.assertEqual(back.move_ids.product_id, self.pump)
        self.assertEqual(back.move_ids.product_uom_qty, 1.0)
        self.assertEqual(
            ticket.with_user(self.handler).complaint_return_picking_count, 1
        )
        # Goods that come back cost nothing.
        self.assertEqual(ticket.complaint_cost, 0.0)
        # Returning the return (its context still names the complaint) does not
        # link that second return.
        back.move_ids.quantity = 1
        back.move_ids.move_line_ids.lot_id = self.lot
        back.move_ids.picked = True
        back.button_validate()
        second = (
            self.env["stock.return.picking"]
            .with_context(
                active_model="stock.picking",
                active_id=back.id,
                active_ids=back.ids,
                crm_360_complaint_ticket_id=ticket.id,
            )
            .create({})
        )
        second.product_return_moves.quantity = 1
        again = self.env["stock.picking"].browse(
            second.action_create_returns()["res_id"]
        )
        self.assertFalse(again.complaint_ticket_id)
        self.assertEqual(ticket.complaint_return_picking_ids, back)

    def test_documents_link_only_to_a_complaint_the_user_may_change(self):
        # A complaint of another handler: the handler may make returns and
        # credit notes, not change that complaint nor attach documents to it.
        ticket = self._remedied_complaint(user=self.helpdesk_manager)
        context = {
            "active_model": "stock.picking",
            "active_id": self.delivery.id,
            "active_ids": self.delivery.ids,
            "crm_360_complaint_ticket_id": ticket.id,
        }
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.handler)
            .with_context(**context)
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        with self.assertRaises(AccessError):
            wizard.action_create_returns()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.handler)
            .with_context(
                active_model="account.move",
                active_id=self.invoice.id,
                active_ids=self.invoice.ids,
                crm_360_complaint_ticket_id=ticket.id,
            )
            .create({"journal_id": self.invoice.journal_id.id})
        )
        with self.assertRaises(AccessError):
            reversal.refund_moves()
        self.assertFalse(ticket.complaint_credit_note_ids)
        self.assertFalse(ticket.complaint_return_picking_ids)

    def test_replacement_order_is_free(self):
        ticket = self._remedied_complaint()
        action = ticket.with_user(self.handler).action_complaint_replacement_order()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.complaint_ticket_id, ticket)
        self.assertEqual(order.origin, ticket.number)
        self.assertEqual(order.user_id, self.handler)
        line = order.order_line.filtered("product_id")
        self.assertEqual(line.product_id, self.pump)
        # One unit, not the 2 ordered: the user sets how many to replace.
        self.assertEqual(line.product_uom_qty, 1.0)
        self.assertEqual(line.price_unit, 0.0)
        self.assertEqual(order.amount_total, 0.0)
        note = order.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertIn(ticket.number, note.name)
        line.product_uom_qty = 2.0
        # The goods to give away: 2 pumps at a cost of 700, not counted in the
        # complaint's cost while only quoted.
        self.assertEqual(order.complaint_goods_cost, 1400.0)
        self.assertEqual(ticket.complaint_replacement_cost, 0.0)
        self.assertEqual(ticket.complaint_cost, 0.0)
        order.action_quotation_sent()
        self.assertEqual(ticket.complaint_cost, 0.0)
        # Confirmed, it counts; the cost of that day stays when the product's
        # cost changes later.
        order.action_confirm()
        self.assertEqual(ticket.complaint_replacement_cost, 1400.0)
        self.assertEqual(ticket.complaint_cost, 1400.0)
        self.pump.standard_price = 900.0
        self.assertEqual(ticket.complaint_cost, 1400.0)
        self.assertEqual(
            ticket.with_user(self.handler).complaint_replacement_order_count, 1
        )
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(ticket.complaint_cost, 0.0)

    def test_replacement_without_order_is_one_unit(self):
        ticket = self._complaint(
            user_id=self.handler.id, team_id=self.team.id, product_id=self.valve.id
        )
        action = ticket.with_user(self.handler).action_complaint_replacement_order()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.order_line.filtered("product_id").product_uom_qty, 1.0)
        self.assertEqual(ticket.complaint_cost, 0.0)
        order.action_confirm()
        self.assertEqual(ticket.complaint_cost, 30.0)

    def test_goodwill_coupon(self):
        self.company.complaint_coupon_program_id = self.program
        ticket = self._remedied_complaint(user=self.goodwill_manager)
        action = ticket.with_user(self.goodwill_manager).action_complaint_coupon()
        wizard_form = Form.from_action(self.env(user=self.goodwill_manager), action)
        self.assertEqual(wizard_form.program_id, self.program)
        self.assertEqual(wizard_form.partner_id, self.customer)
        self.assertEqual(wizard_form.points, 1.0)
        self.assertEqual(wizard_form.value, 50.0)
        wizard_form.points = 2
        self.assertEqual(wizard_form.value, 100.0)
        wizard_form.partner_id = self.contact
        result = wizard_form.save().action_issue()
        coupon = self.env["loyalty.card"].browse(result["res_id"])
        self.assertTrue(coupon.code)
        self.assertEqual(coupon.program_id, self.program)
        self.assertEqual(coupon.partner_id, self.contact)
        self.assertEqual(coupon.points, 2.0)
        self.assertEqual(coupon.complaint_ticket_id, ticket)
        self.assertEqual(coupon.complaint_value, 100.0)
        self.assertEqual(coupon.history_ids.issued, 2.0)
        self.assertIn(ticket.number, coupon.history_ids.description)
        # The program's "at creation" e-mail went to the complainant.
        mail = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", coupon.id)]
        )
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertEqual(ticket.complaint_coupon_value, 100.0)
        self.assertEqual(ticket.complaint_cost, 100.0)
        self.assertEqual(
            ticket.with_user(self.goodwill_manager).complaint_coupon_count, 1
        )
        # Using the coupon changes nothing: the issued value was committed.
        coupon.points = 0
        self.assertEqual(ticket.complaint_cost, 100.0)
        # An archived coupon is withdrawn.
        coupon.active = False
        self.assertEqual(ticket.complaint_cost, 0.0)

    def test_goodwill_coupon_without_mail(self):
        self.company.complaint_coupon_program_id = self.program
        ticket = self._remedied_complaint(user=self.goodwill_manager)
        action = ticket.with_user(self.goodwill_manager).action_complaint_coupon()
        wizard_form = Form.from_action(self.env(user=self.goodwill_manager), action)
        wizard = wizard_form.save()
        # The customer company has no e-mail address.
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            wizard.action_issue()
        wizard.send_mail = False
        result = wizard.action_issue()
        coupon = self.env["loyalty.card"].browse(result["res_id"])
        self.assertEqual(coupon.partner_id, self.customer)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "=", coupon.id)]
            )
        )
        wizard.points = 0
        with self.assertRaises(UserError):
            wizard.action_issue()

    def test_coupon_values(self):
        """Fixed, per-point, capped percentage and free-product rewards."""
        self.company.complaint_coupon_program_id = self.program
        ticket = self._remedied_complaint(user=self.goodwill_manager)
        wizard = (
            self.env["helpdesk.complaint.coupon"]
            .with_user(self.goodwill_manager)
            .create({"ticket_id": ticket.id, "points": 3})
        )
        self.assertEqual(wizard.value, 150.0)
        reward = self.program.reward_ids
        reward.write({"discount_mode": "per_point", "discount": 10.0})
        wizard.invalidate_recordset(["value"])
        self.assertEqual(wizard.value, 30.0)
        reward.write({"discount_mode": "percent", "discount": 10.0})
        wizard.invalidate_recordset(["value"])
        self.assertEqual(wizard.value, 0.0)
        reward.discount_max_amount = 40.0
        wizard.invalidate_recordset(["value"])
        self.assertEqual(wizard.value, 120.0)
        reward.write(
            {
                "reward_type": "product",
                "reward_product_id": self.valve.id,
                "reward_product_qty": 2,
            }
        )
        wizard.invalidate_recordset(["value"])
        self.assertEqual(wizard.value, 180.0)  # 3 claims × 2 valves × 30

    def test_cost_sums_the_remedies(self):
        self.company.complaint_coupon_program_id = self.program
        ticket = self._remedied_complaint()
        refund = self._credit_note(ticket)
        action = ticket.with_user(self.handler).action_complaint_replacement_order()
        replacement = self.env["sale.order"].browse(action["res_id"])
        replacement.order_line.filtered("product_id").product_uom_qty = 2.0
        replacement.action_confirm()
        self.env["helpdesk.complaint.coupon"].create(
            {"ticket_id": ticket.id, "points": 1, "send_mail": False}
        ).action_issue()
        self.assertEqual(ticket.complaint_credit_note_amount, 2800.0)
        self.assertEqual(ticket.complaint_replacement_cost, 1400.0)
        self.assertEqual(ticket.complaint_coupon_value, 50.0)
        self.assertEqual(ticket.complaint_cost, 4250.0)
        # The handler sees the documents he may read on the Remedies page.
        form = Form(ticket.with_user(self.handler))
        self.assertEqual(len(form.complaint_credit_note_ids), 1)
        self.assertEqual(len(form.complaint_replacement_order_ids), 1)
        self.assertEqual(len(form.complaint_coupon_ids), 1)
        self.assertEqual(form.complaint_cost, 4250.0)
        refund.button_cancel()
        self.assertEqual(ticket.complaint_cost, 1450.0)
        # The stored cost sums by group, for the Pareto of causes.
        [(cost,)] = self.env["helpdesk.ticket"]._read_group(
            [("id", "=", ticket.id)], [], ["complaint_cost:sum"]
        )
        self.assertEqual(cost, 1450.0)

    def test_bad_input(self):
        bare = self._complaint(user_id=self.handler.id, team_id=self.team.id)
        as_handler = bare.with_user(self.handler)
        with self.assertRaisesRegex(UserError, "invoice concerned"):
            as_handler.action_complaint_credit_note()
        with self.assertRaisesRegex(UserError, "delivery concerned"):
            as_handler.action_complaint_return()
        with self.assertRaisesRegex(UserError, "product concerned"):
            as_handler.action_complaint_replacement_order()
        mine = self._complaint(user_id=self.goodwill_manager.id, team_id=self.team.id)
        with self.assertRaisesRegex(UserError, "Settings"):
            mine.with_user(self.goodwill_manager).action_complaint_coupon()
        # Only on a complaint he may change.
        with self.assertRaises(AccessError):
            bare.with_user(self.goodwill_manager).action_complaint_coupon()
        # A delivery not done yet cannot be returned.
        pending = self._complaint(
            user_id=self.handler.id,
            team_id=self.team.id,
            partner_id=self.other_customer.id,
            picking_id=self.other_order.picking_ids.id,
        )
        with self.assertRaisesRegex(UserError, "delivery concerned"):
            pending.with_user(self.handler).action_complaint_return()
        # Questions get no remedies.
        question = self._complaint(
            user_id=self.handler.id, is_complaint=False, product_id=self.pump.id
        )
        with self.assertRaises(UserError):
            question.with_user(self.handler).action_complaint_replacement_order()
        # The goodwill program is a coupon program of the company.
        company_b = self.env["res.company"].create({"name": "Remedy Branch B"})
        program_b = self.program.copy({"company_id": company_b.id})
        with self.assertRaises(ValidationError):
            self.company.complaint_coupon_program_id = program_b

    def test_access(self):
        # Without the order: an agent without sales rights cannot read it.
        ticket = self._remedied_complaint(user=self.agent, sale_order_id=False)
        as_agent = ticket.with_user(self.agent)
        # Helpdesk only: no credit note, no return, no order, no coupon.
        with self.assertRaises(AccessError):
            as_agent.action_complaint_credit_note()
        with self.assertRaises(AccessError):
            as_agent.action_complaint_return()
        with self.assertRaises(AccessError):
            as_agent.action_complaint_replacement_order()
        with self.assertRaises(AccessError):
            as_agent.action_complaint_coupon()
        with self.assertRaises(AccessError):
            as_agent.read(["complaint_credit_note_ids"])
        # The agent's form loads without the documents, with the cost.
        form = Form(as_agent)
        self.assertEqual(form.complaint_cost, 0.0)
        self.assertNotIn("complaint_credit_note_ids", form._view["fields"])
        # A salesperson may not create coupons; only Sales administrators do.
        self.company.complaint_coupon_program_id = self.program
        mine = self._remedied_complaint()
        with self.assertRaises(AccessError):
            mine.with_user(self.handler).action_complaint_coupon()

    def test_settings_choose_the_program(self):
        self.env["res.config.settings"].create(
            {"complaint_coupon_program_id": self.program.id}
        ).execute()
        self.assertEqual(self.company.complaint_coupon_program_id, self.program)
