# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import tagged

from .common_care import CareCommon

DAY = date(2025, 3, 3)  # the day of care; results within 30 days after it
TODAY = date(2025, 3, 31)


@tagged("post_install", "-at_install")
class TestCrmCustomerPurchase(CareCommon):
    """One definition of a purchase (crm.customer.purchase), one hand-computed
    data set, and every consumer says the same: the customer analytics, the
    care campaign, its members and its analysis, and the team report mailed
    to managers. Gifts, complaint replacements and sales to the company itself
    are no purchases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_x = Partner.create({"name": "Purchase X", "is_company": True})
        cls.buyer = Partner.create({"name": "Xu Buyer", "parent_id": cls.customer_x.id})
        cls.colleague = Partner.create(
            {"name": "Our Colleague", "parent_id": cls.company.partner_id.id}
        )
        cls.campaign = (
            cls.env["crm.care.campaign"]
            .with_user(cls.care_manager)
            .create(
                {
                    "name": "Purchase definition",
                    "campaign_type": "personal",
                    "partner_ids": [(6, 0, cls.buyer.ids)],
                    "schedule_type": "once",
                    "date_scheduled": DAY,
                    "do_note": True,
                    "note_body": "<p>Thank you</p>",
                    "result_window_days": 30,
                }
            )
        )
        cls.campaign.action_launch()
        cls.member = cls.campaign.member_ids
        when = datetime(2025, 3, 10, 10, 0)
        # X buys 2 lathes at 100 (ordered 200), invoiced 200, 1 credited: 100.
        cls.bought = cls._order(
            cls.buyer, [(cls.product, 2, 100.0)], user=cls.user_own, date=when
        )
        cls._invoice(cls.bought, date(2025, 3, 12))
        cls._credit_note(cls.bought.order_line, 1, date(2025, 3, 14))
        # X in a foreign currency at 2 for 1: 300 ordered, 150 in company currency.
        cls.bought_foreign = cls._order(
            cls.customer_x,
            [(cls.product_2, 1, 300.0)],
            user=cls.user_own,
            pricelist=cls.foreign_pricelist,
            date=when,
        )
        # Given, not bought: a care gift and a complaint replacement, even if
        # invoiced; and an order of the company's own colleague.
        ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Leaking lathe", "description": "Oil", "partner_id": cls.buyer.id}
        )
        cls.gift = cls._order(cls.buyer, [(cls.product_2, 1, 40.0)], date=when)
        cls.gift.care_campaign_id = cls.campaign
        cls.replacement = cls._order(cls.buyer, [(cls.product, 1, 70.0)], date=when)
        cls.replacement.complaint_ticket_id = ticket
        cls._invoice(cls.replacement, date(2025, 3, 12))
        cls.internal = cls._order(
            cls.colleague, [(cls.product, 5, 100.0)], user=cls.user_own, date=when
        )
        cls._invoice(cls.internal, date(2025, 3, 12))
        (
            cls.bought | cls.bought_foreign | cls.gift | cls.replacement
        ).team_id = cls.team
        cls.internal.team_id = cls.team

    def _purchases(self, kind):
        method = getattr(self.env["crm.customer.purchase"], kind)
        self.env.flush_all()
        self.env.cr.execute(method())
        columns = [c.name for c in self.env.cr.description]
        return [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]

    def test_definition(self):
        orders = {row["order_id"]: row for row in self._purchases("_order_sql")}
        self.assertIn(self.bought.id, orders)
        self.assertIn(self.bought_foreign.id, orders)
        for given in self.gift | self.replacement | self.internal:
            self.assertNotIn(given.id, orders, given.name)
        self.assertEqual(orders[self.bought.id]["partner_id"], self.customer_x.id)
        self.assertAlmostEqual(float(orders[self.bought_foreign.id]["amount"]), 150.0)
        invoices = [
            row
            for row in self._purchases("_invoice_sql")
            if row["partner_id"] in (self.customer_x | self.company.partner_id).ids
        ]
        self.assertEqual(
            sorted(float(row["amount"]) for row in invoices), [-100.0, 200.0]
        )

    def test_consumers_agree(self):
        # Customer analytics: 2 purchases (the orders), revenue net of the refund.
        self.env["res.partner"]._refresh_customer_analytics(self.company, today=TODAY)
        x = self.customer_x.with_company(self.company)
        self.assertEqual(x.rfm_frequency, 2)
        self.assertAlmostEqual(x.rfm_monetary, 100.0)
        self.assertEqual(x.customer_first_purchase_date, date(2025, 3, 10))
        own = self.company.partner_id.with_company(self.company)
        self.assertFalse(own.rfm_frequency)
        self.assertFalse(own.customer_last_purchase_date)
        # Care: the ordered revenue of the window, 200 + 150, for the campaign,
        # its member and its analysis alike.
        campaign = self.campaign.with_user(self.care_manager)
        self.assertEqual(campaign.member_order_count, 2)
        self.assertAlmostEqual(campaign.member_revenue, 350.0)
        self.assertAlmostEqual(self.member.with_user(self.care_manager).revenue, 350.0)
        self.assertEqual(self.member.order_count, 2)
        [(revenue, orders)] = (
            self.env["crm.care.campaign.report"]
            .with_user(self.care_manager)
            ._read_group(
                [
                    ("campaign_id", "=", self.campaign.id),
                    ("member_group", "=", "member"),
                ],
                [],
                ["revenue:sum", "order_count:sum"],
            )
        )
        self.assertAlmostEqual(revenue, 350.0)
        self.assertEqual(orders, 2)
        # The team report mailed to managers: the same two purchases in March.
        report = self.env["crm.team.mail.report"].create(
            {"team_id": self.team.id, "periodicity": "monthly"}
        )
        figures = report._get_report_figures(date(2025, 3, 1), date(2025, 3, 31))
        self.assertEqual(figures["order_count"], 2)
        self.assertAlmostEqual(figures["order_amount"], 350.0)

    def test_holdout_by_company(self):
        """Contacts of one company are all cared for or all held out."""
        Partner = self.env["res.partner"]
        companies = Partner.create(
            [{"name": f"Hold-out Co {i}", "is_company": True} for i in range(12)]
        )
        contacts = Partner.create(
            [
                {"name": f"Contact {i}-{j}", "parent_id": company.id}
                for i, company in enumerate(companies)
                for j in range(3)
            ]
        )
        campaign = (
            self.env["crm.care.campaign"]
            .with_user(self.care_manager)
            .create(
                {
                    "name": "Split test",
                    "campaign_type": "personal",
                    "partner_ids": [(6, 0, (companies | contacts).ids)],
                    "schedule_type": "once",
                    "date_scheduled": DAY,
                    "do_note": True,
                    "note_body": "<p>Hello</p>",
                    "holdout_percent": 50,
                }
            )
        )
        campaign.action_launch()
        groups = {}
        for member in campaign.member_ids:
            groups.setdefault(member.commercial_partner_id, set()).add(
                member.state == "holdout"
            )
        self.assertEqual(len(groups), 12)
        self.assertTrue(all(len(states) == 1 for states in groups.values()), groups)
        held_out = [company for company, states in groups.items() if True in states]
        self.assertTrue(0 < len(held_out) < 12, "both groups drawn")
        self.assertEqual(campaign.holdout_customer_count, len(held_out))
        self.assertEqual(campaign.member_customer_count, 12 - len(held_out))
        self.assertEqual(campaign.holdout_count, 4 * len(held_out))
