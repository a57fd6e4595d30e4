# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tests import tagged

from .common import Crm360TourCase


@tagged("post_install", "-at_install")
class TestCrmCareCampaignTour(Crm360TourCase):
    """A care campaign created and launched in the browser, as a care manager:
    CRM › Customer Care › Care Campaigns, a personalised campaign for one
    hand-picked customer with an activity for the customer's salesperson, Launch,
    then the Members smart button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_manager = cls._new_user(
            "c360_care_manager",
            "base.group_user,crm_360.group_care_manager",
            name="Care Tour Manager",
        )
        cls.salesman = cls._new_user(
            "c360_care_salesman",
            "base.group_user,sales_team.group_sale_salesman",
            name="Care Tour Salesman",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Lakeside Care Tour Ltd",
                "is_company": True,
                "email": "care.tour@lakeside.example.com",
                "user_id": cls.salesman.id,
            }
        )

    def test_care_campaign_tour(self):
        # The care manager opens CRM as a salesman does (the group implies it).
        self.assertTrue(
            self.care_manager.has_group("sales_team.group_sale_salesman"),
            "a care manager is a salesman",
        )
        self.start_tour("/odoo", "crm_care_campaign_tour", login="c360_care_manager")

        campaign = self.env["crm.care.campaign"].search(
            [("name", "=", "Care Tour Thank-you")]
        )
        self.assertEqual(len(campaign), 1)
        self.assertEqual(campaign.campaign_type, "personal")
        self.assertEqual(campaign.schedule_type, "once")
        self.assertEqual(campaign.partner_ids, self.customer)
        self.assertEqual(campaign.user_id, self.care_manager)
        self.assertTrue(campaign.do_activity)
        # The day of care was yesterday: performed at launch, nothing left to do.
        self.assertLessEqual(campaign.date_scheduled, fields.Date.today())
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.occurrence_ids.date, campaign.date_scheduled)
        self.assertEqual(campaign.occurrence_ids.state, "done")

        member = campaign.member_ids
        self.assertEqual(len(member), 1)
        self.assertEqual(member.partner_id, self.customer)
        self.assertEqual(member.state, "done")
        self.assertEqual(member.user_id, self.salesman)
        self.assertEqual(member.activity_state, "planned")
        # No e-mail action chosen: the customer's address is not used.
        self.assertFalse(member.email_done)

        # The activity is real, once, for the customer's salesperson.
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(activity, member.activity_id)
        self.assertEqual(activity.user_id, self.salesman)
        # No summary of its own: the activity is named after the campaign.
        self.assertEqual(activity.summary, "Care Tour Thank-you")
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.date_deadline, campaign.date_scheduled)
        # The salesman sees the campaign that touches his customer.
        self.assertEqual(
            self.env["crm.care.campaign"]
            .with_user(self.salesman)
            .search([("id", "=", campaign.id)]),
            campaign,
        )
