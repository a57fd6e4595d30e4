# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_360.models.crm_care_campaign import care_anniversary

from .common_care import CareCommon

TODAY = date(2026, 11, 23)
NOON = datetime(2026, 11, 23, 12, 0)


@tagged("post_install", "-at_install")
class TestCrmCareCampaign(CareCommon):
    """Care campaigns: targets on the analytics, schedules, actions once per
    member and day of care, exclusions, hold-out, results, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_manager.tz = "Asia/Shanghai"
        Partner = cls.env["res.partner"]

        def customer(name, email=True, user=None, **analytics):
            partner = Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.lower().replace(' ', '.')}@example.com"
                    if email
                    else False,
                    "user_id": (user or cls.user_own).id,
                }
            )
            partner.with_company(cls.company).write(analytics)
            return partner

        first = date(2024, 5, 10)
        cls.key = customer(
            "Key Account Co",
            value_tier="top",
            rfm_segment="champions",
            lifecycle_stage="stable",
            customer_first_purchase_date=first,
            customer_last_purchase_date=date(2026, 11, 1),
        )
        cls.loyal = customer(
            "Loyal Co",
            value_tier="normal",
            rfm_segment="loyal",
            lifecycle_stage="stable",
            customer_first_purchase_date=first,
            customer_last_purchase_date=date(2026, 10, 1),
        )
        cls.declining = customer(
            "Declining Co",
            user=cls.user_own_2,
            value_tier="normal",
            rfm_segment="promising",
            lifecycle_stage="decline",
            customer_first_purchase_date=first,
            customer_last_purchase_date=date(2026, 6, 1),
        )
        cls.sleeping = customer(
            "Sleeping Co",
            email=False,
            user=cls.user_own_2,
            value_tier="abandon",
            rfm_segment="hibernating",
            lifecycle_stage="formation",
            customer_first_purchase_date=first,
            customer_last_purchase_date=date(2025, 1, 1),
        )
        cls.prospect = customer("Prospect Co")
        cls.ours = cls.key | cls.loyal | cls.declining | cls.sleeping | cls.prospect
        cls.key_contact = Partner.create(
            {
                "name": "Kim Key",
                "parent_id": cls.key.id,
                "email": "kim@example.com",
                "birthdate_date": date(1980, 11, 24),
                "tz": "Asia/Shanghai",
            }
        )
        cls.gift = cls.env["product.product"].create(
            {
                "name": "Mooncake Box",
                "is_storable": True,
                "standard_price": 15.0,
                "list_price": 30.0,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.gift, cls.stock_location, 50.0
        )
        cls.program = cls._coupon_program("Care 10 off", 10.0)

    def _campaign(self, **vals):
        values = {
            "name": "Care",
            "campaign_type": "class",
            "target_class": "all",
            "target_domain": repr([("commercial_partner_id", "in", self.ours.ids)]),
            "date_scheduled": TODAY,
            "do_activity": True,
            "user_id": self.care_manager.id,
        }
        values.update(vals)
        return self.env["crm.care.campaign"].with_user(self.care_manager).create(values)

    def _launch(self, campaign, now=NOON):
        with freeze_time(now):
            campaign.action_launch()

    # Target -----------------------------------------------------------------------

    def test_target_classes(self):
        """Each class selects on the analytics of the campaign's company."""
        expected = {
            "all": self.key | self.loyal | self.declining | self.sleeping,
            "key_account": self.key,
            "active": self.key | self.loyal,
            "loyal": self.key | self.loyal,
            "churn_risk": self.declining | self.sleeping,
            "none": self.ours,
        }
        for target_class, partners in expected.items():
            with freeze_time(NOON):
                campaign = self._campaign(target_class=target_class)
                self.assertEqual(
                    campaign._search_target(), partners, f"class {target_class}"
                )
                self.assertEqual(campaign.target_count, len(partners))
        with freeze_time(NOON):
            # At risk also counts who has not bought for the class days.
            campaign = self._campaign(target_class="churn_risk", class_days=40)
            self.assertEqual(
                campaign._search_target(), self.declining | self.sleeping | self.loyal
            )

    def test_target_count_is_the_preview(self):
        """ "Contacts Targeted" counts the rows Preview lists (class and rule);
        the rule alone, as the rule editor counts it, selects more."""
        with freeze_time(NOON):
            campaign = self._campaign(target_class="key_account")
            action = campaign.action_view_target()
            Partner = self.env["res.partner"].with_user(self.care_manager)
            previewed = Partner.with_context(**action["context"]).search_count(
                action["domain"]
            )
            rule_alone = Partner.search_count(campaign._get_user_domain())
        self.assertEqual(campaign.target_count, previewed)
        self.assertEqual(campaign.target_count, 1)
        self.assertGreater(rule_alone, campaign.target_count)
        self.assertEqual(
            campaign._fields["target_count"].get_description(self.env)["string"],
            "Contacts Targeted",
        )

    def test_target_contacts_and_rule(self):
        campaign = self._campaign(target_class="key_account", include_contacts=True)
        self.assertEqual(campaign._search_target(), self.key | self.key_contact)
        campaign.target_domain = repr(
            [("commercial_partner_id", "in", self.ours.ids), ("is_company", "=", False)]
        )
        self.assertEqual(campaign._search_target(), self.key_contact)
        with self.assertRaises(ValidationError):
            campaign.target_domain = "[('name', '=', "
        personal = self._campaign(
            campaign_type="personal", partner_ids=[(6, 0, self.prospect.ids)]
        )
        self.assertEqual(personal._search_target(), self.prospect)
        self.assertEqual(personal.target_count, 1)

    # Schedule ---------------------------------------------------------------------

    def test_yearly_recurrence_29_february(self):
        self.assertEqual(care_anniversary(date(2000, 2, 29), 2027), date(2027, 2, 28))
        self.assertEqual(care_anniversary(date(2000, 2, 29), 2028), date(2028, 2, 29))
        campaign = self._campaign(
            schedule_type="yearly", yearly_month="2", yearly_day=29
        )
        self.assertEqual(
            campaign._get_event_dates(date(2026, 1, 1), date(2028, 12, 31)),
            [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)],
        )
        with self.assertRaises(ValidationError):
            self._campaign(schedule_type="yearly", yearly_month="2", yearly_day=30)

    def test_yearly_campaign_runs_once_per_year(self):
        campaign = self._campaign(
            schedule_type="yearly", yearly_month="11", yearly_day=25, lead_days=2
        )
        self._launch(campaign, datetime(2026, 11, 22, 12, 0))
        self.assertFalse(campaign.member_ids, "too early: 3 days before")
        with freeze_time(NOON):
            campaign._run(now=NOON)
            campaign._run(now=NOON)
        self.assertEqual(campaign.occurrence_ids.date, date(2026, 11, 25))
        self.assertEqual(len(campaign.member_ids), 4)
        self.assertEqual(campaign.state, "running")
        with freeze_time("2027-11-23 12:00"):
            campaign._run(now=datetime(2027, 11, 23, 12))
        self.assertEqual(
            campaign.occurrence_ids.mapped("date"),
            [date(2027, 11, 25), date(2026, 11, 25)],
        )

    def test_holiday_campaign(self):
        holiday = self.env["crm.care.holiday"].create(
            {
                "name": "Harvest Day",
                "recurrence": "dated",
                "date_ids": [(0, 0, {"date": date(2026, 11, 25)})],
            }
        )
        campaign = self._campaign(
            campaign_type="holiday", holiday_id=holiday.id, lead_days=2
        )
        self.assertEqual(campaign.schedule_type, "holiday")
        with freeze_time(NOON):
            self.assertEqual(campaign.next_date, date(2026, 11, 25))
        self._launch(campaign)
        self.assertEqual(campaign.occurrence_ids.date, date(2026, 11, 25))
        self.assertEqual(len(campaign.member_ids), 4)
        self.assertEqual(
            set(campaign.member_ids.activity_id.mapped("date_deadline")),
            {date(2026, 11, 25)},
        )
        # Next year has no date yet: nothing happens, and a new campaign is refused.
        with freeze_time("2027-11-23 12:00"):
            campaign._run(now=datetime(2027, 11, 23, 12))
            self.assertEqual(len(campaign.occurrence_ids), 1)
            later = self._campaign(campaign_type="holiday", holiday_id=holiday.id)
            with self.assertRaisesRegex(UserError, "add next year's date"):
                later.action_launch()
        # The seeded calendar: the Mid-Autumn Festival of 2027.
        mid_autumn = self.env.ref("crm_360.crm_care_holiday_mid_autumn_festival")
        self.assertEqual(mid_autumn._get_next_date(date(2027, 1, 1)), date(2027, 9, 15))

    def test_birthday_in_contact_time_zone(self):
        """The birthday starts at midnight where the contact lives."""
        Partner = self.env["res.partner"]
        new_york = Partner.create(
            {
                "name": "Nina York",
                "parent_id": self.loyal.id,
                "email": "nina@example.com",
                "birthdate_date": date(1990, 11, 24),
                "tz": "America/New_York",
            }
        )
        campaign = self._campaign(
            campaign_type="birthday", contact_date="birthday", target_class="all"
        )
        self.assertEqual(campaign.schedule_type, "contact_date")
        self.assertTrue(campaign.include_contacts)
        evening = datetime(2026, 11, 23, 17, 0)  # 01:00 in Shanghai, noon in New York
        self._launch(campaign, evening)
        self.assertEqual(campaign.member_ids.partner_id, self.key_contact)
        self.assertEqual(campaign.member_ids.occurrence_date, date(2026, 11, 24))
        with freeze_time(evening):
            campaign._run(now=evening)
        self.assertEqual(len(campaign.member_ids), 1, "once per day of care")
        morning = datetime(2026, 11, 24, 6, 0)  # 01:00 in New York
        with freeze_time(morning):
            campaign._run(now=morning)
        self.assertEqual(campaign.member_ids.partner_id, self.key_contact | new_york)
        self.assertEqual(len(campaign.occurrence_ids), 1)

    def test_birthday_29_february_and_anniversary(self):
        leap = self.env["res.partner"].create(
            {
                "name": "Leo Leap",
                "parent_id": self.loyal.id,
                "birthdate_date": date(2000, 2, 29),
                "tz": "UTC",
            }
        )
        campaign = self._campaign(campaign_type="birthday", lead_days=1)
        self._launch(campaign, datetime(2027, 2, 26, 12))
        self.assertFalse(campaign.member_ids)
        for day, expected in (
            (datetime(2027, 2, 27, 12), leap),  # celebrated 28 Feb 2027
            (datetime(2028, 2, 27, 12), leap),  # not on 28 Feb 2028 ...
            (datetime(2028, 2, 28, 12), leap),  # ... but on 29 Feb
        ):
            with freeze_time(day):
                campaign._run(now=day)
            self.assertEqual(campaign.member_ids.partner_id, expected)
        self.assertEqual(
            sorted(campaign.occurrence_ids.mapped("date")),
            [date(2027, 2, 28), date(2028, 2, 29)],
        )
        anniversary = self._campaign(
            campaign_type="birthday", contact_date="first_purchase"
        )
        self._launch(anniversary, datetime(2026, 5, 10, 12))
        self.assertEqual(
            anniversary.member_ids.partner_id,
            self.key
            | self.loyal
            | self.declining
            | self.sleeping
            | self.key_contact
            | leap,
        )
        first_year = self._campaign(
            campaign_type="birthday", contact_date="first_purchase"
        )
        self._launch(first_year, datetime(2024, 5, 10, 12))
        self.assertFalse(first_year.member_ids, "no anniversary the first day")

    # Actions ----------------------------------------------------------------------

    def test_actions_create_each_document_once(self):
        campaign = self._campaign(
            target_class="all",
            email_mode="mailing",
            do_gift=True,
            gift_product_id=self.gift.id,
            gift_quantity=2,
            do_coupon=True,
            coupon_program_id=self.program.id,
            coupon_validity_days=30,
            do_note=True,
            note_body="<p>Thank you!</p>",
        )
        campaign.with_user(self.care_manager).action_edit_mailing()
        self.assertEqual(campaign.mailing_id.mailing_model_real, "res.partner")
        self._launch(campaign)
        members = campaign.member_ids
        self.assertEqual(members.partner_id, self.ours - self.prospect)
        self.assertEqual(set(members.mapped("state")), {"done"})
        with_email = members.filtered(lambda m: m.partner_id.email)
        no_email = members - with_email
        self.assertEqual(no_email.partner_id, self.sleeping)
        # One real mailing, sent to those with an e-mail address.
        mailing = with_email.mailing_id
        self.assertEqual(len(mailing), 1)
        self.assertFalse(no_email.mailing_id)
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(
            sorted(traces.mapped("res_id")), sorted(with_email.partner_id.ids)
        )
        self.assertEqual(mailing.campaign_id, campaign.utm_campaign_id)
        # The member's e-mail status comes from the mailing's statistics.
        loyal_member = members.filtered(lambda m: m.partner_id == self.loyal)
        self.assertFalse(loyal_member.responded)
        traces.filtered(lambda t: t.res_id == self.loyal.id).set_opened()
        loyal_member.invalidate_recordset()
        self.assertEqual(loyal_member.email_status, "open")
        self.assertTrue(loyal_member.responded)
        # Activities for the salespeople; the one without e-mail is told why.
        activities = members.activity_id
        self.assertEqual(len(activities), 4)
        self.assertEqual(
            members.filtered(
                lambda m: m.partner_id == self.declining
            ).activity_id.user_id,
            self.user_own_2,
        )
        self.assertIn("no e-mail", no_email.activity_id.summary)
        # Gifts: confirmed zero-priced orders delivered from stock.
        orders = members.gift_order_id
        self.assertEqual(len(orders), 4)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(sum(orders.mapped("amount_total")), 0.0)
        self.assertEqual(len(orders.picking_ids), 4)
        self.assertEqual(campaign.gift_order_count, 4)
        self.assertAlmostEqual(campaign.gift_cost, 4 * 2 * 15.0)
        # Coupons, one per member, reserved for the member.
        coupons = members.coupon_id
        self.assertEqual(len(coupons), 4)
        self.assertEqual(coupons.partner_id, members.partner_id)
        self.assertEqual(coupons.program_id, self.program)
        self.assertEqual(set(coupons.mapped("expiration_date")), {date(2026, 12, 23)})
        # Notes on the partners.
        self.assertEqual(len(members.note_message_id), 4)
        self.assertIn("Thank you!", str(members[0].note_message_id.body))
        # Running again changes nothing.
        counts = (
            len(
                self.env["sale.order"].search([("care_campaign_id", "=", campaign.id)])
            ),
            len(
                self.env["loyalty.card"].search(
                    [("care_campaign_id", "=", campaign.id)]
                )
            ),
            len(members.activity_id),
        )
        self.assertEqual(campaign.state, "done", "a one-date campaign is done")
        campaign.state = "running"
        with freeze_time(NOON):
            campaign.action_run_now()
            campaign._cron_run_care_campaigns()
        self.assertEqual(campaign.member_ids, members)
        self.assertEqual(
            counts,
            (
                len(
                    self.env["sale.order"].search(
                        [("care_campaign_id", "=", campaign.id)]
                    )
                ),
                len(
                    self.env["loyalty.card"].search(
                        [("care_campaign_id", "=", campaign.id)]
                    )
                ),
                len(campaign.member_ids.activity_id),
            ),
        )
        self.assertEqual(
            len(
                self.env["mailing.mailing"].search(
                    [("campaign_id", "=", campaign.utm_campaign_id.id)]
                )
            ),
            2,
            "the mailing model and the one sent",
        )
        # Gifts are given, not bought: they are no purchase in the analytics.
        self.env["res.partner"]._refresh_customer_analytics(self.company, today=TODAY)
        self.assertEqual(
            self.sleeping.with_company(self.company).customer_last_purchase_date,
            date(2025, 1, 1),
        )

    def test_cron_goes_on_after_a_failing_campaign(self):
        scarce = self.env["product.product"].create(
            {"name": "Last Tea Box", "is_storable": True, "standard_price": 5.0}
        )
        self.env["stock.quant"]._update_available_quantity(
            scarce, self.stock_location, 4.0
        )
        failing = self._campaign(
            schedule_type="yearly",
            yearly_month="11",
            yearly_day=23,
            do_gift=True,
            gift_product_id=scarce.id,
        )
        self._launch(failing, datetime(2026, 11, 1, 12))
        self.assertFalse(failing.member_ids)
        # Meanwhile the stock went elsewhere.
        self.env["stock.quant"]._update_available_quantity(
            scarce, self.stock_location, -4.0
        )
        working = self._campaign(target_class="key_account")
        working.write({"state": "running"})
        with freeze_time(NOON):
            self.env["crm.care.campaign"]._cron_run_care_campaigns()
        self.assertFalse(failing.member_ids, "the failing batch is undone")
        self.assertIn(
            "Not enough Last Tea Box",
            str(failing.message_ids[0].body),
        )
        self.assertEqual(working.member_ids.partner_id, self.key)
        self.assertEqual(working.member_ids.state, "done")

    def test_template_email_and_activity_state(self):
        campaign = self._campaign(
            target_class="key_account",
            email_mode="template",
            mail_template_id=self.env.ref("crm_360.mail_template_crm_care_greeting").id,
        )
        self._launch(campaign)
        member = campaign.member_ids
        self.assertTrue(member.email_done)
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.key.id)]
        )
        self.assertTrue(mail)
        self.assertIn(self.key, mail.recipient_ids)
        self.assertEqual(member.activity_state, "planned")
        member.activity_id.with_user(self.user_own).action_feedback("Called")
        self.assertEqual(member.activity_state, "done")
        other = self._campaign(target_class="key_account", name="Other")
        self._launch(other)
        other.member_ids.activity_id.sudo().unlink()
        self.assertEqual(other.member_ids.activity_state, "cancelled")

    def test_exclusions(self):
        self.declining.customer_type = "blacklist"
        self.env["mail.blacklist"]._add(self.key.email)
        campaign = self._campaign(
            target_class="all", do_note=True, note_body="<p>Hi</p>"
        )
        self._launch(campaign)
        members = {m.partner_id: m for m in campaign.member_ids}
        self.assertEqual(members[self.declining].state, "excluded")
        self.assertEqual(members[self.declining].exclusion_reason, "customer_blacklist")
        self.assertEqual(members[self.key].state, "excluded")
        self.assertEqual(members[self.key].exclusion_reason, "email_blacklist")
        excluded = members[self.declining] | members[self.key]
        self.assertFalse(excluded.activity_id or excluded.note_message_id)
        self.assertEqual(campaign.excluded_count, 2)
        self.assertEqual(campaign.member_count, 2)

    def test_members_button_counts_its_list(self):
        """The Members button counts exactly the rows of the list it opens:
        hold-out and excluded members included, for each reader."""
        self.declining.customer_type = "blacklist"
        campaign = self._campaign(
            target_class="all", do_note=True, note_body="<p>Hi</p>"
        )
        campaign.holdout_percent = 1

        def draw(record, partner):
            return partner == self.loyal

        with patch.object(type(campaign), "_get_holdout", draw):
            self._launch(campaign)
        self.assertEqual(campaign.excluded_count, 1)
        self.assertEqual(campaign.holdout_count, 1)
        for user in (self.care_manager, self.user_own):
            mine = campaign.with_user(user)
            action = mine.action_view_members()
            listed = (
                self.env["crm.care.campaign.member"]
                .with_user(user)
                .with_context(**action["context"])
                .search_count(action["domain"])
            )
            self.assertEqual(mine.member_all_count, listed, user.login)
        self.assertEqual(
            campaign.member_all_count,
            campaign.member_count + campaign.holdout_count + campaign.excluded_count,
        )

    def test_holdout_is_reproducible(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Holdout Candidate {i}", "is_company": True} for i in range(40)]
        )
        campaign = self._campaign(
            target_class="none",
            target_domain=repr([("id", "in", partners.ids)]),
            holdout_percent=25,
        )
        draw = {p.id: campaign._get_holdout(p) for p in partners}
        self.assertEqual(draw, {p.id: campaign._get_holdout(p) for p in partners})
        self._launch(campaign)
        holdout = campaign.member_ids.filtered(lambda m: m.state == "holdout")
        self.assertEqual(
            set(holdout.partner_id.ids), {pid for pid, out in draw.items() if out}
        )
        self.assertTrue(0 < len(holdout) < 20)
        self.assertFalse(holdout.activity_id)
        self.assertEqual(campaign.holdout_count, len(holdout))
        self.assertEqual(campaign.member_count, 40 - len(holdout))

    # Results ----------------------------------------------------------------------

    def test_results_and_roi(self):
        """Hand-computed: cared-for Key (1,000 in the window, 400 after it) and
        Loyal (nothing), hold-out Declining (300); gifts 2 × 15, a 100 venue."""
        campaign = self._campaign(
            target_class="none",
            target_domain=repr(
                [("id", "in", (self.key | self.loyal | self.declining).ids)]
            ),
            do_gift=True,
            gift_product_id=self.gift.id,
            result_window_days=30,
            budget_amount=1000,
            resource_ids=[
                (0, 0, {"resource_type": "venue", "name": "Tea house", "cost": 100})
            ],
        )
        # Force the draw: Declining is the hold-out.
        campaign.holdout_percent = 1

        def draw(record, partner):
            return partner == self.declining

        with patch.object(type(campaign), "_get_holdout", draw):
            self._launch(campaign)
        self.assertEqual(
            campaign.member_ids.filtered(lambda m: m.state == "holdout").partner_id,
            self.declining,
        )
        self._order(self.key, [(self.product, 10, 100.0)], date=datetime(2026, 12, 1))
        self._order(self.key, [(self.product, 4, 100.0)], date=datetime(2027, 1, 10))
        self._order(
            self.declining, [(self.product, 3, 100.0)], date=datetime(2026, 12, 5)
        )
        # An order before the day of care does not count.
        self._order(self.loyal, [(self.product, 7, 100.0)], date=datetime(2026, 11, 20))
        campaign.invalidate_recordset()
        self.assertEqual(campaign.member_customer_count, 2)
        self.assertEqual(campaign.holdout_customer_count, 1)
        self.assertAlmostEqual(campaign.member_revenue, 1000.0)
        self.assertEqual(campaign.member_order_count, 1)
        self.assertAlmostEqual(campaign.revenue_per_customer, 500.0)
        self.assertAlmostEqual(campaign.holdout_revenue_per_customer, 300.0)
        self.assertAlmostEqual(campaign.uplift_percent, 200.0 / 3.0, places=4)
        self.assertAlmostEqual(campaign.incremental_revenue, 400.0)
        self.assertAlmostEqual(campaign.gift_cost, 30.0)
        self.assertAlmostEqual(campaign.resource_cost, 100.0)
        self.assertAlmostEqual(campaign.total_cost, 130.0)
        self.assertAlmostEqual(campaign.roi_percent, (400.0 - 130.0) / 130.0 * 100)
        self.assertFalse(campaign.budget_exceeded)
        key_member = campaign.member_ids.filtered(lambda m: m.partner_id == self.key)
        self.assertAlmostEqual(key_member.revenue, 1000.0)
        self.assertTrue(key_member.responded)
        self.assertEqual(campaign.responded_count, 1)
        self.assertAlmostEqual(campaign.response_rate, 50.0)
        # A salesman sees only the revenue of orders he may see.
        campaign_as_own = campaign.with_user(self.user_own)
        self.assertAlmostEqual(campaign_as_own.member_revenue, 0.0)

    def test_undefined_uplift_and_roi(self):
        """A hold-out that bought nothing leaves the uplift undefined (not 0 %),
        the incremental revenue is then the whole revenue; without hold-out
        customers the incremental revenue is undefined; a campaign that cost
        nothing has no ROI."""
        campaign = self._campaign(
            target_class="none",
            target_domain=repr([("id", "in", (self.key | self.declining).ids)]),
            result_window_days=30,
            do_activity=False,
            do_note=True,
            note_body="<p>Thanks</p>",
        )
        campaign.holdout_percent = 1

        def draw(record, partner):
            return partner == self.declining

        with patch.object(type(campaign), "_get_holdout", draw):
            self._launch(campaign)
        self._order(self.key, [(self.product, 10, 100.0)], date=datetime(2026, 12, 1))
        campaign.invalidate_recordset()
        self.assertEqual(campaign.holdout_customer_count, 1)
        self.assertAlmostEqual(campaign.holdout_revenue, 0.0)
        self.assertFalse(campaign.uplift_defined)
        self.assertEqual(campaign.uplift_percent, 0.0)
        self.assertTrue(campaign.incremental_defined)
        self.assertAlmostEqual(campaign.incremental_revenue, 1000.0)
        self.assertAlmostEqual(campaign.total_cost, 0.0)
        self.assertFalse(campaign.roi_defined)
        # Once the hold-out buys, the uplift is defined; a cost defines the ROI.
        self._order(
            self.declining, [(self.product, 5, 100.0)], date=datetime(2026, 12, 2)
        )
        campaign.resource_ids = [
            (0, 0, {"resource_type": "venue", "name": "Tea house", "cost": 100})
        ]
        campaign.invalidate_recordset()
        self.assertTrue(campaign.uplift_defined)
        self.assertAlmostEqual(campaign.uplift_percent, 100.0)
        self.assertTrue(campaign.roi_defined)
        self.assertAlmostEqual(campaign.roi_percent, (500.0 - 100.0) / 100.0 * 100)
        # No hold-out customer at all: nothing to compare with.
        plain = self._campaign(target_class="key_account")
        plain.resource_ids = [
            (0, 0, {"resource_type": "venue", "name": "Hall", "cost": 50})
        ]
        self._launch(plain)
        self.assertEqual(plain.holdout_customer_count, 0)
        self.assertFalse(plain.uplift_defined)
        self.assertFalse(plain.incremental_defined)
        self.assertTrue(plain.roi_defined)

    def test_coupon_used_counts_in_cost(self):
        campaign = self._campaign(
            target_class="key_account",
            do_coupon=True,
            coupon_program_id=self.program.id,
        )
        self._launch(campaign)
        coupon = campaign.member_ids.coupon_id
        order = self.env["sale.order"].create(
            {
                "partner_id": self.key.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 100.0,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        rewards = order._try_apply_code(coupon.code)
        self.assertNotIn("error", rewards)
        card, claimable = next(iter(rewards.items()))
        self.assertEqual(card, coupon)
        order._apply_program_reward(claimable[0], card)
        order.action_confirm()
        campaign.invalidate_recordset()
        campaign.member_ids.invalidate_recordset()
        self.assertTrue(campaign.member_ids.coupon_used)
        self.assertAlmostEqual(campaign.coupon_cost, 10.0)
        self.assertAlmostEqual(campaign.member_revenue, 90.0)

    # Budget and bad input -------------------------------------------------------------

    def test_budget_block_and_warn(self):
        blocked = self._campaign(
            do_gift=True,
            gift_product_id=self.gift.id,
            budget_amount=40.0,
            budget_policy="block",
        )
        with self.assertRaisesRegex(UserError, "budget"):
            self._launch(blocked)
        self.assertEqual(blocked.state, "draft")
        self.assertFalse(
            self.env["sale.order"].search([("care_campaign_id", "=", blocked.id)])
        )
        warned = self._campaign(
            do_gift=True,
            gift_product_id=self.gift.id,
            budget_amount=40.0,
            budget_policy="warn",
        )
        self._launch(warned)
        self.assertTrue(warned.budget_exceeded)
        self.assertAlmostEqual(warned.total_cost, 4 * 15.0)
        self.assertTrue(
            warned.message_ids.filtered(lambda m: "Budget exceeded" in str(m.body))
        )

    def test_bad_input(self):
        nobody = self._campaign(target_domain="[('id', '=', 0)]")
        with self.assertRaisesRegex(UserError, "targets nobody"):
            self._launch(nobody)
        idle = self._campaign(do_activity=False)
        with self.assertRaisesRegex(UserError, "does nothing"):
            self._launch(idle)
        no_program = self._campaign(do_coupon=True)
        with self.assertRaisesRegex(UserError, "coupon program"):
            self._launch(no_program)
        self.program.active = False
        archived_program = self._campaign(
            do_coupon=True, coupon_program_id=self.program.id
        )
        with self.assertRaisesRegex(UserError, "not an active coupon program"):
            self._launch(archived_program)
        self.program.active = True
        no_mailing = self._campaign(email_mode="mailing")
        with self.assertRaisesRegex(UserError, "design the e-mail"):
            self._launch(no_mailing)
        no_date = self._campaign(date_scheduled=False)
        with self.assertRaisesRegex(UserError, "date of care"):
            self._launch(no_date)
        # A gift without stock: nothing half-given.
        scarce = self.env["product.product"].create(
            {"name": "Rare Tea", "is_storable": True, "standard_price": 5.0}
        )
        no_stock = self._campaign(do_gift=True, gift_product_id=scarce.id)
        with self.assertRaisesRegex(UserError, "Not enough Rare Tea"):
            self._launch(no_stock)
        self.assertEqual(no_stock.state, "draft")
        self.assertFalse(no_stock.member_ids)
        self.assertFalse(
            self.env["sale.order"].search([("care_campaign_id", "=", no_stock.id)])
        )
        backorder = self._campaign(
            do_gift=True, gift_product_id=scarce.id, gift_allow_backorder=True
        )
        self._launch(backorder)
        self.assertEqual(len(backorder.member_ids.gift_order_id), 4)
        with self.assertRaises(ValidationError):
            self._campaign(do_gift=True, gift_product_id=self.gift.id, gift_quantity=0)
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self._campaign(holdout_percent=60)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            backorder.unlink()

    # Access -----------------------------------------------------------------------

    def test_access(self):
        campaign = self._campaign(target_class="all", name="Care for all")
        self._launch(campaign)
        other = self._campaign(target_class="key_account", name="Key only")
        self._launch(other)
        Campaign = self.env["crm.care.campaign"]
        # user_own is the salesperson of Key and Loyal, user_own_2 of the others.
        self.assertEqual(
            Campaign.with_user(self.user_own).search(
                [("id", "in", (campaign | other).ids)]
            ),
            campaign | other,
        )
        self.assertEqual(
            Campaign.with_user(self.user_own_2).search(
                [("id", "in", (campaign | other).ids)]
            ),
            campaign,
        )
        own_members = (
            self.env["crm.care.campaign.member"]
            .with_user(self.user_own_2)
            .search([("campaign_id", "=", campaign.id)])
        )
        self.assertEqual(own_members.partner_id, self.declining | self.sleeping)
        self.assertEqual(
            self.env["crm.care.campaign.member"]
            .with_user(self.user_all)
            .search_count([("campaign_id", "=", campaign.id)]),
            4,
        )
        with self.assertRaises(AccessError):
            Campaign.with_user(self.user_own).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            other.with_user(self.user_own_2).read(["name"])
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_own).write({"name": "Renamed"})
        member = own_members[0].with_user(self.user_own_2)
        member.response_note = "Thanked us on the phone"
        with self.assertRaises(AccessError):
            member.state = "pending"
        # Another company's user sees nothing.
        self.assertFalse(
            Campaign.with_user(self.user_company_b).search([("id", "=", campaign.id)])
        )
        # The care manager runs campaigns.
        self.assertEqual(campaign.with_user(self.care_manager).member_count, 4)

    def test_member_response_only_by_its_people(self):
        """An all-documents salesman reads every member but notes the response
        of none he is not the salesperson of; the owner, the team leader and
        care managers may."""
        campaign = self._campaign(team_id=self.team.id)
        self._launch(campaign)
        members = campaign.member_ids
        theirs = members.filtered(lambda m: m.user_id == self.user_own_2)
        self.assertTrue(theirs)
        with self.assertRaises(AccessError) as caught:
            theirs.with_user(self.user_all).write({"response_note": "Forged"})
        self.assertIn(theirs[0].partner_id.display_name, str(caught.exception))
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_own).write({"response_note": "Forged"})
        self.assertFalse(any(members.mapped("response_note")))
        # Own member, campaign owner, team leader, care manager.
        theirs[0].with_user(self.user_own_2).response_note = "Called back"
        for user in (self.care_manager, self.user_manager):
            members.with_user(user).write({"response_note": f"By {user.name}"})
        self.assertEqual(set(members.mapped("response_note")), {"By C360 Manager"})

    def test_holiday_of_running_campaign_kept(self):
        """A holiday (or its coming date) a running campaign greets is neither
        deleted nor archived; the message names the campaign only to those who
        may open it."""
        holiday = self.env["crm.care.holiday"].create(
            {
                "name": "Harvest Day",
                "recurrence": "dated",
                "date_ids": [
                    (0, 0, {"date": date(2025, 11, 25)}),
                    (0, 0, {"date": date(2026, 11, 25)}),
                ],
            }
        )
        campaign = self._campaign(
            name="Harvest greetings", campaign_type="holiday", holiday_id=holiday.id
        )
        self._launch(campaign)
        self.assertEqual(campaign.state, "running")
        as_manager = holiday.with_user(self.care_manager)
        for remove in (as_manager.unlink, as_manager.action_archive):
            with self.assertRaises(UserError) as caught:
                remove()
            self.assertIn("Harvest greetings", str(caught.exception))
        self.assertTrue(holiday.exists().active)
        with freeze_time(NOON):
            coming = as_manager.date_ids.filtered(lambda r: r.year == 2026)
            with self.assertRaises(UserError):
                coming.unlink()
            # A past date is history: it may go.
            (as_manager.date_ids - coming).unlink()
        self.assertEqual(holiday.date_ids.mapped("year"), [2026])
        # A care manager of another company may not open the campaign.
        manager_b = self._new_user(
            "c360_care_manager_b",
            "base.group_user,crm_360.group_care_manager",
            company=self.company_b,
        )
        with self.assertRaises(UserError) as caught:
            holiday.with_user(manager_b).unlink()
        self.assertNotIn("Harvest greetings", str(caught.exception))
        self.assertIn("Ask a customer care manager", str(caught.exception))
        # Once the campaign is over, the holiday may go.
        campaign.with_user(self.care_manager).action_done()
        as_manager.action_archive()
        self.assertFalse(holiday.active)
        as_manager.unlink()
        self.assertFalse(holiday.exists())

    def test_target_rule_validated_on_save(self):
        """Unknown fields, operators or values are refused with the reason, and
        nothing is saved; a valid rule still works."""
        campaign = self._campaign()
        bad_rules = [
            "[('no_such_field', '=', 1)]",
            "[('commercial_partner_id.no_such_field', '=', 1)]",
            "[('name', 'resembles', 'x')]",
            "[('name', '=')]",
            "[('customer_last_purchase_date', '>', 'someday')]",
            "['|', ('name', '=', 'x')]",
            "42",
            "[(",
        ]
        for rule in bad_rules:
            with self.subTest(rule=rule), self.assertRaises(UserError) as caught:
                campaign.write({"target_domain": rule})
            self.assertIn("Care", str(caught.exception))
            with self.subTest(rule=rule), self.assertRaises(UserError):
                self._campaign(target_domain=rule)
        # A search method refusing its value says why.
        with self.assertRaises(UserError) as caught:
            campaign.write({"target_domain": "[('rfm_recency_days', '>', 'many')]"})
        self.assertIn("days since the last purchase", str(caught.exception))
        self.assertEqual(
            campaign.target_domain,
            repr([("commercial_partner_id", "in", self.ours.ids)]),
        )
        campaign.write({"target_domain": "[('name', '=', 'Loyal Co')]"})
        self.assertEqual(campaign.target_count, 1)

    def test_any_stored_day_setting_runs(self):
        """Class, lead, coupon and result days of 2^31 - 1 stored (past any
        bound) never make the form, the run, the results or the report fail."""
        campaign = self._campaign(
            target_class="active",
            do_coupon=True,
            coupon_program_id=self.program.id,
            coupon_validity_days=10,
        )
        self.env.flush_all()
        huge = 2**31 - 1
        self.env.cr.execute(
            "UPDATE crm_care_campaign SET class_days = %(d)s, lead_days = %(d)s,"
            " result_window_days = %(d)s, coupon_validity_days = %(d)s"
            " WHERE id = %(id)s",
            {"d": huge, "id": campaign.id},
        )
        self.env.invalidate_all()
        campaign.invalidate_recordset()
        self.assertEqual(campaign.lead_days, huge)
        self.assertTrue(campaign.target_count)
        self.assertIsNotNone(campaign.next_date)
        self._launch(campaign)
        self.assertTrue(campaign.member_ids)
        self.assertTrue(all(campaign.member_ids.coupon_id.mapped("expiration_date")))
        self._order(self.key, [(self.product, 1, 100.0)], date=datetime(2026, 12, 1))
        campaign.invalidate_recordset()
        self.assertAlmostEqual(campaign.member_revenue, 100.0)
        self.assertTrue(campaign.member_ids.mapped("revenue"))
        self.env.invalidate_all()
        self.assertTrue(
            self.env["crm.care.campaign.report"].search_read(
                [("campaign_id", "=", campaign.id)], ["revenue"]
            )
        )
        self.env["ir.actions.report"]._render_xlsx(
            "crm_360.crm_care_campaign_xlsx", campaign.ids, {}
        )
        with freeze_time("2027-11-23 12:00"):
            campaign._run(now=datetime(2027, 11, 23, 12))
