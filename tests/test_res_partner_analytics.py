# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import get_db_name

from .common_erp import CustomerAnalyticsCommon, ErpCommon

SALES_FIGURE_FIELDS = (
    "customer_first_purchase_date",
    "customer_last_purchase_date",
    "rfm_recency_days",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_score",
    "rfm_segment",
    "value_tier",
    "customer_margin",
    "customer_growth_percent",
    "customer_revenue_new",
    "value_matrix",
    "lifecycle_stage",
    "lifecycle_previous_stage",
    "lifecycle_date",
    "customer_analytics_date",
    "customer_value_history_ids",
    "customer_assessment_suggested",
)


class CustomerAnalyticsDataCase(CustomerAnalyticsCommon):
    """A hand-computed data set: today 2026-06-30, RFM window 365 days, lifecycle
    window 180 days, tiers 50/80/95 %."""

    TODAY = date(2026, 6, 30)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        inv = cls._direct_invoice
        co = cls.co
        cls.a = cls._customer("A Star Trading")
        cls.contact_a = cls.Partner.create({"name": "A Buyer", "parent_id": cls.a.id})
        # A: 5000 + 3000 + 2000 in the window, 4000 the year before.
        inv(cls.a, 5000, "2026-06-20", company=co)
        inv(cls.contact_a, 3000, "2026-03-01", company=co)  # a contact: counts for A
        inv(cls.a, 2000, "2025-10-01", company=co)
        inv(cls.a, 4000, "2025-01-15", company=co)
        cancelled = inv(cls.a, 90000, "2026-06-01", company=co)
        cancelled.button_draft()
        cancelled.button_cancel()
        inv(cls.a, 70000, "2026-06-01", company=co, post=False)  # draft
        inv(cls.a, 80000, "2026-06-01")  # the main company: not this one's
        # B: 6000 − 1000 credited in the window, 5000 the year before.
        cls.b = cls._customer("B Steady Industries")
        inv(cls.b, 6000, "2026-05-01", company=co)
        inv(cls.b, 1000, "2026-05-10", company=co, refund=True)
        inv(cls.b, 5000, "2025-03-01", company=co)
        # C: a first purchase this year.
        cls.c = cls._customer("C Newcomer Ltd")
        inv(cls.c, 2500, "2026-01-10", company=co)
        # D: bought once, 455 days ago.
        cls.d = cls._customer("D Dormant Works")
        inv(cls.d, 1000, "2025-04-01", company=co)
        # E: an order with a margin of 400, not invoiced yet.
        cls.e = cls._customer("E Margin Co")
        Order = cls.env["sale.order"].with_company(co)
        product = cls.product.with_company(co)
        product.standard_price = 60.0
        order = Order.create(
            {
                "partner_id": cls.e.id,
                "company_id": co.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": 10,
                            "price_unit": 100.0,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = "2026-06-01 10:00:00"
        cancelled_order = order.copy()
        cancelled_order._action_cancel()
        cls.order_e = order
        # F: 1000 in the foreign currency (2 for 1): 500.
        cls.f = cls._customer("F Foreign GmbH")
        inv(cls.f, 1000, "2026-04-01", company=co, currency=cls.foreign)
        # Without any sale: no analytics.
        cls.g = cls._customer("G Prospect")


@tagged("post_install", "-at_install")
class TestResPartnerAnalytics(CustomerAnalyticsDataCase):
    """RFM, tiers, matrix and lifecycle on the hand-computed data set."""

    def test_rfm(self):
        self._refresh(self.TODAY)
        fnames = (
            "rfm_recency_days",
            "rfm_frequency",
            "rfm_monetary",
            "rfm_score",
            "rfm_segment",
        )
        # The days since the last purchase are counted on reading.
        with freeze_time(str(self.TODAY)):
            self.assertEqual(
                self._of(self.a, *fnames), (10, 3, 10000.0, "555", "champions")
            )
            # The credit note nets the revenue and is no purchase.
            self.assertEqual(
                self._of(self.b, *fnames), (60, 1, 5000.0, "444", "champions")
            )
            self.assertEqual(
                self._of(self.c, *fnames), (171, 1, 2500.0, "243", "at_risk")
            )
            self.assertEqual(self._of(self.d, *fnames), (455, 0, 0.0, "111", "lost"))
            self.assertEqual(
                self._of(self.e, *fnames), (29, 1, 0.0, "541", "champions")
            )
            self.assertEqual(self._of(self.f, *fnames), (90, 1, 500.0, "342", "loyal"))
            # ... and searched on.
            recent = self.Partner.search(
                [
                    ("rfm_recency_days", "<=", 60),
                    ("id", "in", (self.a | self.b | self.c | self.d).ids),
                ]
            )
            self.assertEqual(recent, self.a | self.b)
        self.assertEqual(
            self._of(
                self.a, "customer_first_purchase_date", "customer_last_purchase_date"
            ),
            (date(2025, 1, 15), date(2026, 6, 20)),
        )
        # Contacts carry nothing; partners without sales neither.
        self.assertFalse(self._of(self.contact_a, "rfm_score"))
        self.assertFalse(self._of(self.g, "value_tier"))
        self.assertFalse(self._of(self.g, "customer_analytics_date"))

    def test_value_tier(self):
        self._refresh(self.TODAY)
        tiers = [self._of(p, "value_tier") for p in (self.a, self.b, self.c, self.f)]
        # Of 18000: A makes the first 50 %, B is ranked after 10000 (55.6 %),
        # C after 15000 (83.3 %), F after 17500 (97.2 %).
        self.assertEqual(tiers, ["top", "vip", "normal", "abandon"])
        self.assertEqual(self._of(self.d, "value_tier"), "abandon")
        self.assertEqual(self._of(self.e, "value_tier"), "abandon")
        # Thresholds are the company's: with TOP up to 60 %, B is TOP as well.
        self.co.customer_tier_top_percent = 60
        self._refresh(self.TODAY)
        self.assertEqual(self._of(self.b, "value_tier"), "top")

    def test_value_matrix(self):
        self._refresh(self.TODAY)
        fnames = ("value_matrix", "customer_growth_percent", "customer_margin")
        self.assertEqual(self._of(self.a, *fnames), ("question_mark", 150.0, 0.0))
        self.assertEqual(self._of(self.b, *fnames), ("dog", 0.0, 0.0))
        self.assertEqual(self._of(self.c, *fnames), ("question_mark", 0.0, 0.0))
        self.assertEqual(self._of(self.d, *fnames), ("dog", -100.0, 0.0))
        # The only margin is the median: E is profitable, without revenue growth.
        self.assertEqual(self._of(self.e, *fnames), ("cash_cow", 0.0, 400.0))
        # C's revenue is new: its growth is undefined (New), not 0 %, and it
        # counts as growing; B's 0 % is a real one; E has no revenue at all.
        self.assertEqual(
            {
                p: self._of(p, "customer_revenue_new")
                for p in (self.a, self.b, self.c, self.d, self.e)
            },
            {self.a: False, self.b: False, self.c: True, self.d: False, self.e: False},
        )
        # The cards of the value matrix say what each number is, and New.
        card = etree.fromstring(
            self.env.ref("crm_360.res_partner_view_kanban_value_matrix").arch
        ).xpath("//t[@t-name='card']")[0]
        text = " ".join(card.itertext())
        for label in ("Revenue:", "Margin:", "Growth:", "Lifecycle:", "New"):
            self.assertIn(label, text)
        # A fixed threshold above E's margin: E is a dog.
        self.co.customer_matrix_margin_amount = 500
        self._refresh(self.TODAY)
        self.assertEqual(self._of(self.e, "value_matrix"), "dog")

    def test_lifecycle(self):
        self._refresh(self.TODAY)
        stages = {
            p: self._of(p, "lifecycle_stage")
            for p in (self.a, self.b, self.c, self.d, self.e, self.f)
        }
        self.assertEqual(
            stages,
            {
                self.a: "formation",  # 8000 in the last 180 days against 2000
                self.b: "formation",  # 5000 against nothing
                self.c: "exploration",  # first purchase within 180 days
                self.d: "decline",  # nothing for more than 365 days
                self.e: "exploration",  # a single purchase
                self.f: "exploration",
            },
        )
        self.assertEqual(self._of(self.a, "lifecycle_date"), self.TODAY)

    def test_assessment_suggested(self):
        self.c.customer_assessment = "potential"  # set by hand: kept
        self._refresh(self.TODAY)
        self.assertEqual(
            [
                self._of(p, "customer_assessment_suggested")
                for p in (self.a, self.b, self.c, self.d, self.e)
            ],
            ["key_customer", "key_customer", "customer", "lost", "customer"],
        )
        self.assertEqual(self._of(self.a, "customer_assessment"), "key_customer")
        self.assertEqual(self._of(self.c, "customer_assessment"), "potential")
        self.assertFalse(self._of(self.g, "customer_assessment_suggested"))

    def test_refresh_is_idempotent(self):
        result = self._refresh(self.TODAY)
        self.assertEqual(result, {"updated": 6, "busy": 0})
        # Nothing changed: nobody is rewritten, not even the refresh time.
        stamp = self._of(self.a, "customer_analytics_date")
        self.assertEqual(self._refresh(self.TODAY), {"updated": 0, "busy": 0})
        self.assertEqual(self._of(self.a, "customer_analytics_date"), stamp)
        History = self.env["res.partner.value.history"]
        history = History.search([("company_id", "=", self.co.id)])
        self.assertEqual(len(history), 6)
        row = history.filtered(lambda h: h.partner_id == self.a)
        self.assertEqual(
            (row.old_tier, row.new_tier, row.old_stage, row.new_stage),
            (False, "top", False, "formation"),
        )
        self._refresh(self.TODAY)
        self.assertEqual(History.search_count([("company_id", "=", self.co.id)]), 6)
        self.assertEqual(self._of(self.a, "value_tier"), "top")
        # A day later, only the customers whose scores moved are.
        self.assertLess(self._refresh(self.TODAY + timedelta(days=1))["updated"], 6)

    def test_cancelled_document_drops_out(self):
        self._refresh(self.TODAY)
        self.assertEqual(self._of(self.e, "rfm_frequency"), 1)
        self.order_e._action_cancel()
        self._refresh(self.TODAY)
        self.assertFalse(self._of(self.e, "value_tier"))
        self.assertFalse(self._of(self.e, "customer_analytics_date"))
        last = self.env["res.partner.value.history"].search(
            [("partner_id", "=", self.e.id)], limit=1
        )
        self.assertEqual((last.old_tier, last.new_tier), ("abandon", False))

    def test_companies_apart(self):
        self._refresh(self.TODAY)
        self.env["res.partner"]._refresh_customer_analytics(
            self.company, today=self.TODAY
        )
        # The main company's 80000 invoice is A's only purchase there.
        main = self.a.with_company(self.company)
        main.invalidate_recordset()
        self.assertEqual(main.rfm_monetary, 80000.0)
        self.assertEqual(self._of(self.a, "rfm_monetary"), 10000.0)
        # Searching and grouping read the current company's value.
        top = self.Partner.search([("value_tier", "=", "top"), ("id", "=", self.a.id)])
        self.assertEqual(top, self.a)
        groups = self.Partner._read_group(
            [("id", "in", (self.a | self.b | self.c | self.f).ids)],
            ["value_tier"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {"top": 1, "vip": 1, "normal": 1, "abandon": 1})

    def test_access(self):
        self._refresh(self.TODAY)
        a = self.a.with_user(self.co_salesman).with_company(self.co)
        self.assertEqual(a.value_tier, "top")
        self.assertEqual(a.customer_value_history_ids.new_tier, "top")
        # Not a salesman: the analytics are not readable at all.
        with self.assertRaises(AccessError):
            self.a.with_user(self.co_internal).with_company(self.co).read(
                ["value_tier"]
            )
        with self.assertRaises(AccessError):
            self.env["res.partner.value.history"].with_user(self.co_internal).search([])
        # Salesmen cannot write the analytics nor their history.
        with self.assertRaises(AccessError):
            a.customer_value_history_ids.write({"new_tier": "vip"})
        # Only sales administrators refresh by hand.
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(
                self.co_salesman
            ).action_refresh_customer_analytics()
        action = (
            self.env["res.partner"]
            .with_user(self.co_manager)
            .with_context(allowed_company_ids=self.co.ids)
            .action_refresh_customer_analytics()
        )
        self.assertEqual(action["params"]["type"], "success")

    def test_sales_figures_hidden_from_employees(self):
        """Every analytics field (and the assessment suggested from the tier) is
        for salespeople only: a plain employee gets an AccessError over RPC, and
        the Contacts views still load for him without those fields."""
        self._refresh(self.TODAY)
        Partner = self.env["res.partner"].with_company(self.co)
        restricted = [
            fname
            for fname in SALES_FIGURE_FIELDS
            if Partner._fields[fname].groups != "sales_team.group_sale_salesman"
        ]
        self.assertFalse(restricted, "analytics fields readable without sales rights")
        employee = Partner.with_user(self.co_internal)
        partner = self.a.with_env(employee.env)
        for fname in SALES_FIGURE_FIELDS:
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    partner.read([fname])
                with self.assertRaises(AccessError):
                    employee.search_read([("id", "=", self.a.id)], [fname])
                with self.assertRaises(AccessError):
                    partner.web_read({fname: {}})
        self.assertEqual(
            self.a.with_user(self.co_salesman)
            .with_company(self.co)
            .customer_assessment_suggested,
            "key_customer",
        )
        for user in (self.co_internal, self.co_salesman):
            views = Partner.with_user(user).get_views(
                [(False, "form"), (False, "list"), (False, "kanban"), (False, "search")]
            )
            for view in views["views"].values():
                arch = view["arch"]
                for fname in SALES_FIGURE_FIELDS:
                    shown = f'name="{fname}"' in arch
                    if user == self.co_internal:
                        self.assertFalse(shown, f"{fname} in a view of an employee")
            # Our fields the views ask for load for him.
            form = etree.fromstring(views["views"]["form"]["arch"])
            ours = [
                node.get("name")
                for node in form.iter("field")
                if node.get("name") in Partner._fields
                and Partner._fields[node.get("name")]._module == "crm_360"
            ]
            self.assertIn("customer_assessment", ours)
            Partner.with_user(user).browse(self.a.id).web_read(
                {fname: {} for fname in ours}
            )

    def test_search_recency_days_any_value(self):
        """Huge, negative, fractional or non-numeric days never crash the
        search: out-of-range values are clamped, wrong ones refused."""
        self._refresh(self.TODAY)
        ours = [("id", "in", (self.a | self.b | self.c | self.d | self.g).ids)]
        Partner = self.Partner.with_user(self.co_salesman)
        buyers = self.a | self.b | self.c | self.d
        with freeze_time(self.TODAY):
            for operator, value, expected in (
                (">", 999999, self.Partner),
                (">", 2**63, self.Partner),
                (">=", -(2**31), buyers),
                ("<", 10**12, buyers),
                ("<", -999999, self.Partner),
                ("=", 10**9, self.Partner),
                ("!=", -(10**9), buyers | self.g),
                ("<=", 60.0, self.a | self.b),
                ("=", False, self.g),
                ("!=", False, buyers),
            ):
                with self.subTest(operator=operator, value=value):
                    self.assertEqual(
                        Partner.search(ours + [("rfm_recency_days", operator, value)]),
                        expected.with_user(self.co_salesman),
                    )
            for operator, value in (
                (">", "999999"),
                (">", "many"),
                (">", None),
                ("=", True),
                (">", 1.5),
                (">", float("inf")),
                (">", float("nan")),
                ("in", [1, 2]),
                ("like", 5),
            ):
                with self.subTest(operator=operator, value=value):
                    with self.assertRaises(UserError):
                        Partner.search(ours + [("rfm_recency_days", operator, value)])

    def test_any_stored_window_refreshes(self):
        """Windows of 2^31 - 1 days stored (past any bound) never make the
        refresh fail: they count every purchase."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_company SET customer_rfm_window_days = %(d)s,"
            " customer_lifecycle_window_days = %(d)s,"
            " customer_lifecycle_lapse_days = %(d)s WHERE id = %(id)s",
            {"d": 2**31 - 1, "id": self.co.id},
        )
        self.env.invalidate_all()
        result = self._refresh(self.TODAY)
        self.assertTrue(result["updated"])
        self.assertGreaterEqual(self._of(self.a, "rfm_monetary"), 10000.0)

    def test_bad_settings(self):
        for vals in (
            {"customer_rfm_window_days": 0},
            {"customer_lifecycle_window_days": -5},
            {"customer_lifecycle_lapse_days": 0},
            {"customer_tier_top_percent": -10},
            {"customer_tier_top_percent": 90},  # above VIP
            {"customer_tier_normal_percent": 120},
            {"customer_matrix_margin_amount": -1},
            {"customer_lifecycle_change_percent": 100},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.co.write(vals)

    def test_invoice_in_closed_period(self):
        """A locked period is read, never written: the refresh still runs."""
        self.co.fiscalyear_lock_date = "2025-12-31"
        self._refresh(self.TODAY)
        self.assertEqual(self._of(self.a, "rfm_monetary"), 10000.0)

    def test_cron(self):
        with freeze_time("2026-06-30 12:00:00"):
            self.env.ref(
                "crm_360.ir_cron_refresh_customer_analytics"
            ).method_direct_trigger()
        self.assertEqual(
            self._of(self.a, "customer_last_purchase_date"), date(2026, 6, 20)
        )
        self.assertEqual(
            self._of(self.a, "customer_analytics_date"),
            fields.Datetime.to_datetime("2026-06-30 12:00:00"),
        )


@tagged("post_install", "-at_install")
class TestResPartnerLifecycle(CustomerAnalyticsCommon):
    """A customer through exploration, formation, stable and decline over time."""

    def _invoice(self, partner, day):
        self._direct_invoice(partner, 1000, day, company=self.co)

    def _stage_at(self, partner, moment):
        with freeze_time(moment):
            self._refresh()
        return self._of(partner, "lifecycle_stage", "lifecycle_previous_stage")

    def test_lifecycle_over_time(self):
        h = self._customer("H Growing Partner")
        self._invoice(h, "2026-01-15")
        self.assertEqual(self._stage_at(h, "2026-02-01"), ("exploration", False))
        self._invoice(h, "2026-05-01")
        self._invoice(h, "2026-07-15")
        # 2000 in the last 180 days against 1000 before: formation.
        self.assertEqual(self._stage_at(h, "2026-09-01"), ("formation", "exploration"))
        self.assertEqual(self._of(h, "lifecycle_date"), date(2026, 9, 1))
        # The same day again: the date the stage changed stays.
        with freeze_time("2026-09-20"):
            self._refresh()
        self.assertEqual(self._of(h, "lifecycle_date"), date(2026, 9, 1))
        self._invoice(h, "2026-10-15")
        self._invoice(h, "2027-01-15")
        # 2000 against 2000: stable.
        self.assertEqual(self._stage_at(h, "2027-03-01"), ("stable", "formation"))
        # Nothing for half a year: 0 against 2000, decline.
        self.assertEqual(self._stage_at(h, "2027-08-01"), ("decline", "stable"))
        self.assertEqual(self._of(h, "lifecycle_date"), date(2027, 8, 1))
        history = self.env["res.partner.value.history"].search(
            [("partner_id", "=", h.id)], order="date, id"
        )
        self.assertEqual(
            [
                (row.old_stage or False, row.new_stage)
                for row in history
                if row.old_stage != row.new_stage
            ],
            [
                (False, "exploration"),
                ("exploration", "formation"),
                ("formation", "stable"),
                ("stable", "decline"),
            ],
        )
        # "Moved from stable to decline this month" is a filter.
        with freeze_time("2027-08-15"):
            moved = self.Partner.search(
                [
                    ("lifecycle_stage", "=", "decline"),
                    ("lifecycle_previous_stage", "=", "stable"),
                    ("lifecycle_date", ">=", "2027-08-01"),
                ]
            )
        self.assertEqual(moved, h)
        moved = self.env["res.partner.value.history"].search(
            [("old_stage", "=", "stable"), ("new_stage", "=", "decline")]
        )
        self.assertEqual(moved.partner_id, h)
        self.assertEqual(moved.date.date(), date(2027, 8, 1))

    def test_assessment_of_two_companies(self):
        """The suggestion is the strongest of the companies' assessments, the same
        whichever company is refreshed last; a second refresh changes nothing."""
        other = self.env.company
        Partner = self.env["res.partner"]
        m = self._customer("M Group Customer")
        # A key customer here (the only one with revenue: TOP) ...
        self._direct_invoice(m, 5000, "2026-05-10", company=self.co)
        # ... lapsed long ago in the other company.
        self._direct_invoice(m, 10, "2023-01-10", company=other)
        today = date(2026, 6, 30)
        self._refresh(today)
        Partner._refresh_customer_analytics(other, today=today)
        m.invalidate_recordset()
        self.assertEqual(
            m.with_company(self.co).customer_assessment_company, "key_customer"
        )
        self.assertEqual(m.with_company(other).customer_assessment_company, "lost")
        self.assertEqual(m.customer_assessment_suggested, "key_customer")
        self.assertEqual(m.customer_assessment, "key_customer")
        # Nothing changed: nobody rewritten, in either order.
        self.assertEqual(self._refresh(today), {"updated": 0, "busy": 0})
        self.assertEqual(
            Partner._refresh_customer_analytics(other, today=today)["updated"], 0
        )
        m.invalidate_recordset()
        self.assertEqual(m.customer_assessment_suggested, "key_customer")

    def test_refresh_compares_the_digest(self):
        """A refresh finds the changed customers by their digest alone; a customer
        without one (as after an upgrade) is rewritten once."""
        n = self._customer("N Digest Customer")
        self._direct_invoice(n, 700, "2026-05-10", company=self.co)
        today = date(2026, 6, 30)
        self.assertEqual(self._refresh(today), {"updated": 1, "busy": 0})
        self.assertEqual(self._refresh(today), {"updated": 0, "busy": 0})
        self.env.cr.execute(
            "UPDATE res_partner SET customer_analytics_digest = NULL WHERE id = %s",
            [n.id],
        )
        self.assertEqual(self._refresh(today), {"updated": 1, "busy": 0})
        self.assertEqual(self._refresh(today), {"updated": 0, "busy": 0})
        self.assertTrue(self._of(n, "customer_analytics_digest"))
        # A technical value: no salesman reads it.
        with self.assertRaises(AccessError):
            n.with_user(self.co_salesman).with_company(self.co).read(
                ["customer_analytics_digest"]
            )

    def test_lapsed_customer(self):
        k = self._customer("K One-Off")
        self._invoice(k, "2025-01-10")
        # Within the lapse but nothing since: 0 against 1000 before, decline.
        self.assertEqual(self._stage_at(k, "2025-08-01")[0], "decline")
        # Two years on: still decline, by the lapse rule.
        self.assertEqual(self._stage_at(k, "2027-01-10")[0], "decline")


@tagged("post_install", "-at_install")
class TestResPartnerParetoReport(CustomerAnalyticsDataCase):
    """The Pareto curve and the customer value pivot on the same data set."""

    def test_pareto(self):
        self._refresh(self.TODAY)
        Pareto = (
            self.env["res.partner.pareto.report"]
            .with_user(self.co_salesman)
            .with_company(self.co)
        )
        rows = Pareto.search([])
        self.assertEqual(
            [(row.partner_id, row.rank, row.decile) for row in rows],
            [(self.a, 1, 30), (self.b, 2, 50), (self.c, 3, 80), (self.f, 4, 100)],
        )
        self.assertEqual(
            [round(row.cumulative_percent, 2) for row in rows],
            [55.56, 83.33, 97.22, 100.0],
        )
        self.assertAlmostEqual(sum(rows.mapped("revenue_percent")), 100.0)
        # Grouped by decile, the maximum cumulative share draws the curve.
        curve = Pareto._read_group([], ["decile"], ["cumulative_percent:max"])
        self.assertEqual(
            [(decile, round(share, 2)) for decile, share in curve],
            [(30, 55.56), (50, 83.33), (80, 97.22), (100, 100.0)],
        )

    def test_customer_value_pivot(self):
        self._refresh(self.TODAY)
        self.a.user_id = self.co_salesman
        team = self.env["crm.team"].create(
            {
                "name": "Analytics Team",
                "company_id": self.co.id,
                "member_ids": [(6, 0, self.co_salesman.ids)],
            }
        )
        groups = (
            self.env["res.partner"]
            .with_user(self.co_salesman)
            .with_company(self.co)
            ._read_group(
                [("customer_analytics_date", "!=", False)],
                ["customer_team_id", "value_tier", "lifecycle_stage"],
                ["__count", "rfm_monetary:sum"],
            )
        )
        self.assertIn((team, "top", "formation", 1, 10000.0), groups)
        self.assertEqual(sum(count for *_keys, count, _sum in groups), 6)


@tagged("post_install", "-at_install")
class TestResPartnerAnalyticsConcurrency(ErpCommon):
    """The refresh runs while another transaction posts an invoice and holds a
    customer: it neither waits nor fails, and catches up on the next run."""

    @classmethod
    def setUpClass(cls):
        # A committed customer for the other transaction to hold, built here
        # (never taken from demo data); dropped after this class's rollback (the
        # cleanup is registered first, so it runs last).
        with Registry(get_db_name()).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Committed Customer Ltd"})
            cls.committed_customer_id = partner.id
        cls.addClassCleanup(cls._drop_committed_customer)
        super().setUpClass()

    @classmethod
    def _drop_committed_customer(cls):
        with Registry(get_db_name()).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].browse(cls.committed_customer_id).unlink()

    def test_refresh_while_another_transaction_posts(self):
        Partner = self.env["res.partner"]
        today = fields.Date.context_today(self.env.user)
        with self.registry.cursor() as other_cr:
            other = api.Environment(other_cr, SUPERUSER_ID, {})
            # The other transaction holds a customer (as posting an invoice does,
            # to update its rank): a committed partner this transaction has not
            # locked itself. It also posts an invoice for a new customer, in a
            # journal of its own, and commits nothing.
            other_cr.execute("SET LOCAL lock_timeout = '10s'")
            other_cr.execute(
                """SELECT id FROM res_partner
                    WHERE id = %s AND active AND company_id IS NULL
                      AND parent_id IS NULL
                    FOR NO KEY UPDATE SKIP LOCKED""",
                [self.committed_customer_id],
            )
            customer = Partner.browse(other_cr.fetchone()[0])
            held = customer.with_company(self.company)
            before = held.customer_analytics_date
            sales = other["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
            )
            journal = other["account.journal"].create(
                {
                    "name": "Concurrent Sales",
                    "code": "CCS",
                    "type": "sale",
                    "default_account_id": sales.default_account_id.id,
                }
            )
            newcomer = other["res.partner"].create({"name": "Posted Elsewhere Ltd"})
            invoice = other["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": newcomer.id,
                    "journal_id": journal.id,
                    "invoice_date": today,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Goods", "quantity": 1, "price_unit": 900})
                    ],
                }
            )
            invoice.action_post()
            other.flush_all()
            # Meanwhile, here: an invoice for the held customer (its rank update
            # gives way), then the refresh.
            self._direct_invoice(customer, 700, today)
            result = Partner._refresh_customer_analytics(self.company)
            self.assertGreaterEqual(result["busy"], 1)
            held.invalidate_recordset()
            # Skipped: whatever it had (the demo data may have given it
            # analytics), it still has.
            self.assertEqual(held.customer_analytics_date, before)
            self.assertNotEqual(held.customer_last_purchase_date, today)
            # Uncommitted elsewhere: not seen.
            self.assertFalse(Partner.search([("name", "=", "Posted Elsewhere Ltd")]))
            other_cr.rollback()
        # The next run catches up.
        result = Partner._refresh_customer_analytics(self.company)
        self.assertEqual(result["busy"], 0)
        held.invalidate_recordset()
        self.assertTrue(held.customer_analytics_date)
        self.assertEqual(held.customer_last_purchase_date, today)
        self.assertGreaterEqual(held.rfm_monetary, 700.0)
