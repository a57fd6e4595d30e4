# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import Crm360Common

CHECK = {"crm360_check_duplicates": True}


class CustomerMasterCase(Crm360Common):
    """Users of each group under test and a few partners; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Master Branch B"})

        salesman = "base.group_user,sales_team.group_sale_salesman"
        reviewer = f"{salesman},crm_360.group_customer_reviewer"
        cls.salesman = cls._new_user("master_salesman", salesman)
        cls.reviewer = cls._new_user("master_reviewer", reviewer)
        cls.reviewer_2 = cls._new_user("master_reviewer_2", reviewer)
        cls.manager = cls._new_user(
            "master_manager", "base.group_user,sales_team.group_sale_manager"
        )

        Partner = cls.env["res.partner"]
        cls.huaxin = Partner.create(
            {
                "name": "Huaxin Machinery Co., Ltd.",
                "is_company": True,
                "phone": "+86 138-0013-8000",
                "email": "Sales@Huaxin.example",
                "vat": "CN 91440300-MA5F",
            }
        )
        cls.li_na = Partner.create(
            {
                "name": "Li Na",
                "parent_id": cls.huaxin.id,
                "mobile": "+86 139 0000 1111",
                "email": "li.na@huaxin.example",
            }
        )
        cls.hengxin = Partner.create(
            {"name": "苏州恒信电子有限公司", "is_company": True}
        )


@tagged("post_install", "-at_install")
class TestCustomerAssessment(CustomerMasterCase):
    def _analytics_refresh(self, partner, suggestion):
        """What the analytics refresh does: suggest, and follow unless set by hand."""
        vals = {"customer_assessment_suggested": suggestion}
        if not partner.customer_assessment_manual:
            vals["customer_assessment"] = suggestion
        partner.with_context(crm360_assessment_from_analytics=True).write(vals)

    def test_analytics_value_is_not_manual(self):
        self._analytics_refresh(self.huaxin, "customer")
        self.assertEqual(self.huaxin.customer_assessment, "customer")
        self.assertFalse(self.huaxin.customer_assessment_manual)
        self._analytics_refresh(self.huaxin, "key_customer")
        self.assertEqual(self.huaxin.customer_assessment, "key_customer")

    def test_user_override_survives_refresh(self):
        self._analytics_refresh(self.huaxin, "customer")
        self.huaxin.with_user(self.salesman).customer_assessment = "lost"
        self.assertTrue(self.huaxin.customer_assessment_manual)
        self._analytics_refresh(self.huaxin, "key_customer")
        self.assertEqual(self.huaxin.customer_assessment, "lost")
        self.assertEqual(self.huaxin.customer_assessment_suggested, "key_customer")

    def test_use_suggestion(self):
        self._analytics_refresh(self.huaxin, "customer")
        self.huaxin.customer_assessment = "potential"
        self._analytics_refresh(self.huaxin, "key_customer")
        self.huaxin.with_user(self.salesman).action_use_suggested_assessment()
        self.assertEqual(self.huaxin.customer_assessment, "key_customer")
        self.assertFalse(self.huaxin.customer_assessment_manual)
        self._analytics_refresh(self.huaxin, "lost")
        self.assertEqual(self.huaxin.customer_assessment, "lost")

    def test_create_with_assessment_is_manual(self):
        partner = self.env["res.partner"].create(
            {"name": "Norland Pumps", "customer_assessment": "key_customer"}
        )
        self.assertTrue(partner.customer_assessment_manual)
        partner = self.env["res.partner"].create({"name": "Norland Valves"})
        self.assertFalse(partner.customer_assessment_manual)

    def test_form_sets_type_and_assessment(self):
        with Form(self.huaxin.with_user(self.salesman)) as form:
            form.customer_type = "target"
            form.customer_assessment = "key_customer"
        self.assertEqual(self.huaxin.customer_type, "target")
        self.assertTrue(self.huaxin.customer_assessment_manual)


@tagged("post_install", "-at_install")
class TestCustomerReview(CustomerMasterCase):
    def test_group_implied_and_categorised(self):
        self.assertTrue(self.manager.has_group("crm_360.group_customer_reviewer"))
        self.assertFalse(self.salesman.has_group("crm_360.group_customer_reviewer"))
        # The reviewer group must not turn the Sales access selection into checkboxes.
        Groups = self.env["res.groups"]
        kinds = {app: kind for app, kind, _g, _c in Groups.get_groups_by_application()}
        for xmlid in (
            "base.module_category_sales_sales",
            "crm_360.module_category_sales_customer_master",
        ):
            self.assertEqual(kinds[self.env.ref(xmlid)], "selection", xmlid)

    @freeze_time("2026-03-02 09:30:00")
    def test_first_and_second_review(self):
        self.huaxin.with_user(self.reviewer).action_first_review()
        self.assertTrue(self.huaxin.first_review_done)
        self.assertEqual(self.huaxin.first_reviewer_id, self.reviewer)
        self.assertEqual(str(self.huaxin.first_review_date), "2026-03-02 09:30:00")
        self.assertFalse(self.huaxin.second_review_done)
        self.huaxin.with_user(self.reviewer_2).action_second_review()
        self.assertTrue(self.huaxin.second_review_done)
        self.assertEqual(self.huaxin.second_reviewer_id, self.reviewer_2)
        self.assertEqual(str(self.huaxin.second_review_date), "2026-03-02 09:30:00")
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer_2).action_second_review()
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer).action_first_review()

    def test_manager_reviews_through_implied_group(self):
        self.huaxin.with_user(self.manager).action_first_review()
        self.assertEqual(self.huaxin.first_reviewer_id, self.manager)

    def test_second_review_by_first_reviewer_refused(self):
        self.huaxin.with_user(self.reviewer).action_first_review()
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer).action_second_review()
        self.assertFalse(self.huaxin.second_review_done)
        # Written directly, the review fields are refused.
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer).write(
                {"second_review_done": True, "second_reviewer_id": self.reviewer.id}
            )
        # Even by the superuser, one reviewer never does both reviews.
        with self.assertRaises(ValidationError):
            self.huaxin.write(
                {"second_review_done": True, "second_reviewer_id": self.reviewer.id}
            )

    def test_second_before_first_refused(self):
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer_2).action_second_review()
        with self.assertRaises(UserError):
            self.huaxin.with_user(self.reviewer_2).write(
                {"second_review_done": True, "second_reviewer_id": self.reviewer_2.id}
            )
        with self.assertRaises(ValidationError):
            self.huaxin.write(
                {"second_review_done": True, "second_reviewer_id": self.reviewer_2.id}
            )

    def test_one_reviewer_cannot_complete_both_reviews(self):
        """Writing both reviewer fields, a forged date or creating a reviewed
        customer is refused; only the buttons record a review, as the user."""
        partner = self.huaxin.with_user(self.reviewer)
        forged = [
            {
                "first_review_done": True,
                "first_reviewer_id": self.reviewer_2.id,
                "second_review_done": True,
                "second_reviewer_id": self.reviewer.id,
            },
            {"first_reviewer_id": self.reviewer_2.id},
            {"first_review_date": "2020-01-01 00:00:00"},
            {"second_review_date": False},
        ]
        for vals in forged:
            with self.assertRaises(UserError):
                partner.write(vals)
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.reviewer).create(
                {
                    "name": "Pre-reviewed",
                    "first_review_done": True,
                    "first_reviewer_id": self.reviewer_2.id,
                }
            )
        self.assertFalse(self.huaxin.first_review_done)
        partner.action_first_review()
        with self.assertRaises(UserError):
            partner.action_first_review()
        with self.assertRaises(UserError):
            partner.action_second_review()
        self.assertEqual(self.huaxin.first_reviewer_id, self.reviewer)
        self.assertFalse(self.huaxin.second_review_done)
        # A reviewer who may not change the partner cannot review it.
        private = self.env["res.partner"].create(
            {"name": "Other company customer", "company_id": self.company_b.id}
        )
        with self.assertRaises(AccessError):
            private.with_user(self.reviewer).action_first_review()
        self.assertFalse(private.first_review_done)

    def test_salesman_cannot_review(self):
        partner = self.huaxin.with_user(self.salesman)
        with self.assertRaises(AccessError):
            partner.action_first_review()
        # A write over RPC, past the view, is refused as well.
        with self.assertRaises(AccessError):
            partner.write({"first_review_done": True})
        with self.assertRaises(AccessError):
            partner.write({"first_reviewer_id": self.salesman.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Self-reviewed", "first_review_done": True}
            )
        self.assertFalse(self.huaxin.first_review_done)
        # Everything else stays editable for him.
        partner.write({"customer_type": "target", "name": "Huaxin Machinery"})
        self.assertEqual(self.huaxin.customer_type, "target")

    def test_reset_reviews(self):
        self.huaxin.with_user(self.reviewer).action_first_review()
        self.huaxin.with_user(self.reviewer_2).action_second_review()
        with self.assertRaises(AccessError):
            self.huaxin.with_user(self.salesman).action_reset_reviews()
        self.huaxin.with_user(self.reviewer).action_reset_reviews()
        self.assertFalse(self.huaxin.first_review_done)
        self.assertFalse(self.huaxin.first_reviewer_id)
        self.assertFalse(self.huaxin.second_review_done)
        self.assertFalse(self.huaxin.second_review_date)

    def test_copy_drops_reviews(self):
        self.huaxin.with_user(self.reviewer).action_first_review()
        copy = self.huaxin.copy()
        self.assertFalse(copy.first_review_done)
        self.assertFalse(copy.first_reviewer_id)


@tagged("post_install", "-at_install")
class TestPartnerDuplicate(CustomerMasterCase):
    def _create(self, user=None, **vals):
        Partner = self.env["res.partner"].with_context(**CHECK)
        if user:
            Partner = Partner.with_user(user)
        return Partner.create(vals)

    def _assert_blocked(self, matched, user=None, **vals):
        with self.assertRaises(UserError) as caught:
            self._create(user=user, **vals)
        message = str(caught.exception)
        self.assertIn(f"same {matched}", message)
        return message

    def test_name(self):
        message = self._assert_blocked(
            "name", name="huaxin  MACHINERY", is_company=True
        )
        self.assertIn("Huaxin Machinery Co., Ltd.", message)
        self._assert_blocked("name", name="Huaxin Machinery (Co. Ltd)")
        self._assert_blocked("name", name="苏州恒信电子", is_company=True)
        self._assert_blocked("name", name="苏州 恒信电子 股份有限公司", is_company=True)
        # Similar is not the same.
        self._create(name="Huaxin Machinery Shenzhen", is_company=True)
        self._create(name="恒信电子", is_company=True)

    def test_one_label_for_the_reason(self):
        """The reason to keep a duplicate reads the same in the field, the
        forms and the message that asks for it."""
        label = (
            self.env["res.partner"]
            ._fields["duplicate_override_reason"]
            .get_description(self.env)["string"]
        )
        self.assertEqual(label, "Reason to Keep Anyway")
        message = self._assert_blocked(
            "name", name="huaxin  MACHINERY", is_company=True
        )
        self.assertIn(label, message)
        views = self.env["ir.ui.view"].search(
            [("model", "=", "res.partner"), ("arch_db", "like", "duplicate_override")]
        )
        for view in views:
            for node in etree.fromstring(view.arch).xpath(
                "//*[@name='duplicate_override_reason' or "
                "@for='duplicate_override_reason']"
            ):
                self.assertFalse(node.get("string"), view.xml_id)

    def test_name_of_contacts_not_compared(self):
        # Li Na of another company is another person.
        other = self._create(name="Norland Pumps", is_company=True)
        self._create(name="Li Na", parent_id=other.id)
        # A person without a company is compared with other such people only.
        self._create(name="Li Na")
        self._assert_blocked("name", name="LI NA")

    def test_phone_formats(self):
        message = self._assert_blocked("phone", name="Acme", phone="13800138000")
        self.assertIn("Huaxin Machinery Co., Ltd.", message)
        self._assert_blocked("phone", name="Acme", phone="0086 138 0013 8000")
        self._assert_blocked("phone", name="Acme", mobile="(138) 0013-8000")
        # A phone against a mobile, found on a contact of another company.
        message = self._assert_blocked("phone", name="Acme", phone="13900001111")
        self.assertIn("Li Na", message)
        # The same last 7 digits, or too few digits, are no match.
        self._create(name="Acme 1", phone="+86 138 0023 8000")
        self._create(name="Acme 2", phone="138000")
        self._create(name="Acme 3", phone="+1 212 0013 8000")

    def test_email_and_vat(self):
        self._assert_blocked("e-mail", name="Acme", email=" sales@HUAXIN.example ")
        self._assert_blocked("tax ID", name="Acme", vat="cn91440300ma5f")
        self._create(name="Acme", email="sales2@huaxin.example", vat="CN91440300")

    def test_what_matched_is_listed(self):
        message = self._assert_blocked(
            "name", name="Huaxin Machinery", phone="13800138000", is_company=True
        )
        self.assertIn("(same name, phone)", message)

    def test_not_itself_nor_own_contacts(self):
        huaxin = self.huaxin.with_context(**CHECK)
        huaxin.write({"name": "HUAXIN Machinery Co. Ltd", "phone": "13800138000"})
        # A contact of the company with the company's phone and e-mail domain.
        self._create(name="Zhao Min", parent_id=self.huaxin.id, phone="+86 13800138000")
        # The contact's own parent shares its tax ID.
        self.li_na.with_context(**CHECK).write({"phone": "+86 138 0013 8000"})
        self.assertFalse(self.huaxin.duplicate_partner_ids)
        self.assertFalse(self.li_na.duplicate_partner_ids)

    def test_write_checked_only_on_change(self):
        twin = self.env["res.partner"].create({"name": "Huaxin Machinery"})
        self.assertEqual(twin.duplicate_partner_ids, self.huaxin)
        twin = twin.with_context(**CHECK)
        twin.write({"name": "Huaxin Machinery", "city": "Shenzhen"})
        twin.write({"email": "info@twin.example"})
        with self.assertRaises(UserError):
            twin.write({"email": "sales@huaxin.example"})

    @freeze_time("2026-03-02 09:30:00")
    def test_override_reason(self):
        partner = self._create(
            user=self.salesman,
            name="Huaxin Machinery",
            is_company=True,
            duplicate_override_reason="  Branch office with its own accounts ",
        )
        self.assertEqual(
            partner.duplicate_override_reason, "Branch office with its own accounts"
        )
        self.assertEqual(partner.duplicate_override_user_id, self.salesman)
        self.assertEqual(str(partner.duplicate_override_date), "2026-03-02 09:30:00")
        self.assertEqual(partner.duplicate_partner_ids, self.huaxin)
        # Who and when cannot be typed in.
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman).write(
                {"duplicate_override_user_id": self.manager.id}
            )
        self.assertEqual(partner.duplicate_override_user_id, self.salesman)
        # Clearing the reason clears who and when.
        partner.write({"duplicate_override_reason": ""})
        self.assertFalse(partner.duplicate_override_user_id)
        self.assertFalse(partner.duplicate_override_date)

    def test_blank_reason_is_no_reason(self):
        self._assert_blocked(
            "name",
            name="Huaxin Machinery",
            is_company=True,
            duplicate_override_reason="   ",
        )
        partner = self.env["res.partner"].create(
            {"name": "Other", "duplicate_override_reason": " \t "}
        )
        self.assertFalse(partner.duplicate_override_reason)
        self.assertFalse(partner.duplicate_override_user_id)

    def test_skipped_without_context(self):
        Partner = self.env["res.partner"]
        Partner.create({"name": "Huaxin Machinery", "phone": "13800138000"})
        Partner.with_context(
            crm360_check_duplicates=True, crm360_skip_duplicate_check=True
        ).create({"name": "Huaxin Machinery", "phone": "13800138000"})
        # Users create partners too: not blocked.
        self._new_user("huaxin_user", name="Huaxin Machinery")

    def test_only_visible_partners(self):
        hidden = self.env["res.partner"].create(
            {
                "name": "Branch B Customer",
                "email": "buyer@branch-b.example",
                "company_id": self.company_b.id,
            }
        )
        # The salesman of the first company cannot read it: no warning, no leak.
        self._create(user=self.salesman, name="Buyer", email="buyer@branch-b.example")
        # Whoever can read it is warned.
        message = self._assert_blocked(
            "e-mail", name="Buyer", email="buyer@branch-b.example"
        )
        self.assertIn(hidden.name, message)

    def test_archived_partner_not_matched(self):
        self.huaxin.action_archive()
        self._create(name="Huaxin Machinery", is_company=True)

    def test_form_warns_then_blocks(self):
        Partner = self.env["res.partner"].with_user(self.salesman).with_context(**CHECK)
        form = Form(Partner)
        form.company_type = "company"
        form.name = "Huaxin Machinery"
        form.phone = "+86 13800138000"
        self.assertEqual(form.duplicate_partner_ids.ids, self.huaxin.ids)
        self.assertIn("Huaxin Machinery Co., Ltd.", form.duplicate_match_info)
        self.assertIn("name, phone", form.duplicate_match_info)
        with self.assertRaises(UserError):
            form.save()
        form.duplicate_override_reason = "Separate legal entity"
        partner = form.save()
        self.assertEqual(partner.duplicate_override_user_id, self.salesman)

    def test_form_existing_record_excludes_itself(self):
        form = Form(self.huaxin.with_user(self.salesman).with_context(**CHECK))
        form.phone = "13800138000"
        self.assertFalse(form.duplicate_partner_ids)
        form.save()

    def test_contacts_tab_not_blocked(self):
        """Contacts added in the company's Contacts tab are saved with it."""
        company = self._create(name="Norland Pumps", is_company=True)
        company.write(
            {"child_ids": [(0, 0, {"name": "Buyer", "phone": "13900001111"})]}
        )
        self.assertEqual(company.child_ids.duplicate_partner_ids, self.li_na)

    def test_actions_check_duplicates(self):
        for xmlid in (
            "contacts.action_contacts",
            "base.action_partner_form",
            "account.res_partner_action_customer",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            self.assertIn("'crm360_check_duplicates': True", action["context"])

    def test_batch_query_count(self):
        """One lookup query and one visibility search, whatever the batch size."""
        Partner = self.env["res.partner"]
        small = Partner.create([{"name": "Acme 1", "phone": "13800138000"}])
        big = Partner.create(
            [
                {
                    "name": f"Acme {n}",
                    "phone": f"1380013{n:04d}",
                    "email": f"acme{n}@example.com",
                }
                for n in range(20)
            ]
        )
        self.env.invalidate_all()
        small = small.with_user(self.salesman)
        big = big.with_user(self.salesman)
        small._find_duplicate_partners()
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        small._find_duplicate_partners()
        small_queries = self.env.cr.sql_log_count - count
        self.env.invalidate_all()
        count = self.env.cr.sql_log_count
        found = big._find_duplicate_partners()
        self.assertEqual(self.env.cr.sql_log_count - count, small_queries)
        # "Acme 1" of the big batch has the small one's name.
        self.assertEqual([p.id for p in found[1]], small.ids)


@tagged("post_install", "-at_install")
class TestCustomerMerge(CustomerMasterCase):
    def test_merge_carries_reviews_and_figures(self):
        """Odoo's "Merge Contacts" carries the values of the merged contacts,
        ours included, for an administrator who cannot type them."""
        self.huaxin.with_user(self.reviewer).action_first_review()
        duplicate = self.env["res.partner"].create(
            {
                "name": "Huaxin Machinery (old)",
                "is_company": True,
                "email": self.huaxin.email,
            }
        )
        # Odoo's merge reads every field of the contacts: administrators merge.
        contact_manager = self.env.ref("base.user_admin")
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(contact_manager)
            .create({})
        )
        wizard._merge(
            (self.huaxin | duplicate).ids, duplicate.with_user(contact_manager)
        )
        self.assertFalse(self.huaxin.exists())
        self.assertTrue(duplicate.first_review_done)
        self.assertEqual(duplicate.first_reviewer_id, self.reviewer)
        # Typing them is still refused to the same user.
        with self.assertRaises(AccessError):
            duplicate.with_user(contact_manager).write({"first_review_done": False})
