# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, datetime
from unittest.mock import patch

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_care import CareCommon

DAY = date(2025, 3, 3)  # the day of care; results within 30 days after it
XLSX_REPORT = "crm_360.crm_care_campaign_xlsx_report"
CAMPAIGN_HEADER = (
    "Campaign",
    "Type",
    "Status",
    "Owner",
    "Members",
    "Hold-out",
    "Customers",
    "Responded",
    "Response",
    "Orders",
    "Revenue",
    "Hold-out Revenue per Customer",
    "Revenue per Customer",
    "Uplift",
    "Gift Cost",
    "Coupon Cost",
    "Resource Cost",
    "Total Cost",
    "Budget",
    "ROI",
)
MEMBER_HEADER = (
    "Campaign",
    "Day of Care",
    "Contact",
    "Customer",
    "Salesperson",
    "Status",
    "E-mail Status",
    "Activity",
    "Gift Order",
    "Coupon Code",
    "Coupon Used",
    "Responded",
    "Orders",
    "Revenue",
)
MEASURES = [
    "member_count",
    "customer_count",
    "ordering_customer_count",
    "order_count",
    "revenue",
    "gift_cost",
    "coupon_cost",
    "resource_cost",
    "cost",
    "budget_amount",
]


@tagged("post_install", "-at_install")
class TestCrmCareCampaignReport(CareCommon):
    """Care results by campaign and group (cared for / hold-out) equal the
    campaigns' own figures for each reader, and the XLSX export shows them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls._new_user(
            "c360_care_outsider",
            "base.group_user,sales_team.group_sale_salesman",
            company=cls.company,
            name="Care Outsider",
        )
        Partner = cls.env["res.partner"]

        def customer(name, user):
            return Partner.create(
                {"name": name, "is_company": True, "user_id": user.id}
            )

        # Cared for: A (and its buyer Amy), B, E; kept out: C and D.
        cls.cust_a = customer("Care A", cls.user_own)
        cls.amy = Partner.create({"name": "Amy", "parent_id": cls.cust_a.id})
        cls.cust_b = customer("Care B", cls.user_own_2)
        cls.cust_c = customer("Care C", cls.user_own)
        cls.cust_d = customer("Care D", cls.user_own_2)
        cls.cust_e = customer("Care E", cls.user_own_2)
        cls.gift = cls.env["product.product"].create(
            {
                "name": "Tea Gift Box",
                "type": "consu",
                "standard_price": 25.0,
                "list_price": 40.0,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.program = cls._coupon_program("Care 20 off", 20.0)
        Campaign = cls.env["crm.care.campaign"].with_user(cls.care_manager)
        cls.campaign = Campaign.create(
            {
                "name": "Spring tea",
                "campaign_type": "personal",
                "partner_ids": [
                    (6, 0, (cls.cust_a | cls.amy | cls.cust_b | cls.cust_c).ids),
                    (4, cls.cust_d.id),
                    (4, cls.cust_e.id),
                ],
                "schedule_type": "once",
                "date_scheduled": DAY,
                "team_id": cls.team.id,
                "do_gift": True,
                "gift_product_id": cls.gift.id,
                "gift_allow_backorder": True,
                "do_coupon": True,
                "coupon_program_id": cls.program.id,
                "holdout_percent": 30,
                "result_window_days": 30,
                "budget_amount": 1000,
                "resource_ids": [
                    (0, 0, {"resource_type": "venue", "name": "Tea house", "cost": 500})
                ],
            }
        )
        holdout = cls.cust_c | cls.cust_d

        def draw(campaign, partner):
            # The hash draw, made predictable: C and D are kept out.
            return partner in holdout

        with patch.object(type(cls.campaign), "_get_holdout", draw):
            cls.campaign.action_launch()
        cls.campaign = cls.env["crm.care.campaign"].browse(cls.campaign.id)
        cls.members = cls.campaign.member_ids
        cls.gift_orders = cls.members.gift_order_id

        # A's order with A's coupon: 200 - 20.
        cls.coupon_a = cls._member(cls.cust_a).coupon_id
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.cust_a.id,
                "user_id": cls.user_own.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 2,
                            "price_unit": 100.0,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        status = order._try_apply_code(cls.coupon_a.code)
        if "error" in status:
            raise AssertionError(status["error"])
        for card, rewards in status.items():
            order._apply_program_reward(rewards, card)
        order.action_confirm()
        order.date_order = datetime(2025, 3, 7, 10, 0)
        cls.order_a = order
        # Amy buys for A, seen by another salesman: 50.
        cls.order_amy = cls._order(
            cls.amy,
            [(cls.product_2, 1, 50.0)],
            user=cls.user_own_2,
            date=datetime(2025, 3, 23, 10, 0),
        )
        # B pays 300 in a currency at 2 for 1 on the window's last evening: 150.
        cls.order_b = cls._order(
            cls.cust_b,
            [(cls.product, 1, 300.0)],
            user=cls.user_own_2,
            pricelist=cls.foreign_pricelist,
            date=datetime(2025, 4, 2, 23, 0),
        )
        # Hold-out C: 100.
        cls.order_c = cls._order(
            cls.cust_c,
            [(cls.product, 1, 100.0)],
            user=cls.user_own,
            date=datetime(2025, 3, 13, 9, 0),
        )
        # Not counted: before the day, after the window, a quotation, a gift.
        cls._order(
            cls.cust_a, [(cls.product, 1, 100.0)], date=datetime(2025, 2, 26, 9, 0)
        )
        cls._order(cls.cust_a, [(cls.product, 1, 100.0)], date=datetime(2025, 4, 3))
        cls.env["sale.order"].create(
            {
                "partner_id": cls.cust_b.id,
                "order_line": [
                    (0, 0, {"product_id": cls.product.id, "price_unit": 900.0})
                ],
            }
        )
        cls.gift_orders[0].date_order = datetime(2025, 3, 5, 9, 0)

        # A draft campaign of another owner: its resources only.
        cls.campaign_2 = Campaign.create(
            {
                "name": "Win back",
                "campaign_type": "class",
                "target_class": "churn_risk",
                "user_id": cls.user_own_2.id,
                "resource_ids": [
                    (0, 0, {"resource_type": "people", "name": "Calls", "cost": 100})
                ],
            }
        )
        # Branch B's campaign.
        cls.campaign_b = cls.env["crm.care.campaign"].create(
            {
                "name": "Branch B holiday",
                "company_id": cls.company_b.id,
                "user_id": cls.user_company_b.id,
                "resource_ids": [
                    (0, 0, {"resource_type": "material", "name": "Cards", "cost": 40})
                ],
            }
        )
        cls.campaign_2 = cls.campaign_2.with_env(cls.env)
        cls.campaigns = cls.campaign | cls.campaign_2 | cls.campaign_b

    @classmethod
    def _member(cls, partner):
        return cls.campaign.member_ids.filtered(lambda m: m.partner_id == partner)

    # ------------------------------------------------------------------ helpers
    def _env(self, user, companies=None):
        companies = companies or self.company
        return self.env(user=user, context={"allowed_company_ids": companies.ids})

    def _rows(self, env, domain=()):
        """{(campaign, group): {measure: sum}} of the report for ``env``."""
        groups = env["crm.care.campaign.report"]._read_group(
            [("campaign_id", "in", self.campaigns.ids), *domain],
            ["campaign_id", "member_group"],
            [f"{fname}:sum" for fname in MEASURES],
        )
        return {
            (campaign.id, group): dict(zip(MEASURES, sums, strict=True))
            for campaign, group, *sums in groups
        }

    def _assert_figures(self, actual, expected):
        for fname, value in expected.items():
            self.assertAlmostEqual(actual[fname], value, places=2, msg=fname)

    def _xlsx(self, user, docids, data=None):
        content, kind = (
            self._env(user)["ir.actions.report"]
            .with_context(active_model="crm.care.campaign")
            ._render(XLSX_REPORT, docids, data or {})
        )
        self.assertEqual(kind, "xlsx")
        book = load_workbook(io.BytesIO(content))
        return {
            sheet.title: [
                tuple(
                    round(v, 6) if isinstance(v, float) else v
                    for v in row  # XLSX keeps 15 significant digits
                )
                for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }

    # ------------------------------------------------------------------ figures
    def test_hand_computed_figures(self):
        """Cared for A (180 with its coupon, 50 by Amy), B (150), E (nothing);
        hold-out C (100), D (nothing); 4 gifts at 25, a coupon of 20, a venue
        of 500."""
        self.assertEqual(
            set(self.members.filtered(lambda m: m.state == "holdout").partner_id.ids),
            {self.cust_c.id, self.cust_d.id},
        )
        self.assertAlmostEqual(self.order_a.amount_untaxed, 180.0)
        rows = self._rows(self.env)
        self.assertEqual(
            set(rows),
            {
                (self.campaign.id, "member"),
                (self.campaign.id, "holdout"),
                (self.campaign_2.id, "member"),
                (self.campaign_b.id, "member"),
            },
        )
        self._assert_figures(
            rows[self.campaign.id, "member"],
            {
                "member_count": 4,
                "customer_count": 3,
                "ordering_customer_count": 2,
                "order_count": 3,
                "revenue": 380.0,
                "gift_cost": 100.0,
                "coupon_cost": 20.0,
                "resource_cost": 500.0,
                "cost": 620.0,
                "budget_amount": 1000.0,
            },
        )
        self._assert_figures(
            rows[self.campaign.id, "holdout"],
            {
                "member_count": 2,
                "customer_count": 2,
                "ordering_customer_count": 1,
                "order_count": 1,
                "revenue": 100.0,
                "cost": 0.0,
                "budget_amount": 0.0,
            },
        )
        self._assert_figures(
            rows[self.campaign_2.id, "member"],
            {"member_count": 0, "revenue": 0.0, "resource_cost": 100.0, "cost": 100.0},
        )
        line = self.env["crm.care.campaign.report"].search(
            [("campaign_id", "=", self.campaign.id), ("member_group", "=", "member")]
        )
        self.assertRecordValues(
            line,
            [
                {
                    "campaign_type": "personal",
                    "state": "done",
                    "user_id": self.care_manager.id,
                    "team_id": self.team.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "date": DAY,
                }
            ],
        )

    def test_totals_equal_campaign_figures(self):
        """For each reader, each campaign's rows hold the campaign's own
        figures as he reads them."""
        readers = [
            (self.env.user, self.company | self.company_b),
            (self.care_manager, self.company),
            (self.user_manager, self.company),
            (self.user_all, self.company),
            (self.user_own, self.company),
            (self.user_own_2, self.company),
            (self.user_company_b, self.company_b),
            (self.outsider, self.company),
        ]
        for user, companies in readers:
            env = self._env(user, companies)
            if user == self.env.user:
                env = self.env(context=dict(env.context))
            # Campaign results are computed for the reader: none cached.
            env.invalidate_all()
            campaigns = env["crm.care.campaign"].search(
                [("id", "in", self.campaigns.ids)]
            )
            rows = self._rows(env)
            self.assertEqual(
                {campaign_id for campaign_id, _group in rows},
                set(campaigns.ids),
                user.login,
            )
            for campaign in campaigns:
                member = rows[campaign.id, "member"]
                holdout = rows.get((campaign.id, "holdout"))
                msg = f"{user.login}: {campaign.name}"
                self._assert_figures(
                    member,
                    {
                        "member_count": campaign.member_count,
                        "customer_count": campaign.member_customer_count,
                        "order_count": campaign.member_order_count,
                        "revenue": campaign.member_revenue,
                        "gift_cost": campaign.gift_cost,
                        "coupon_cost": campaign.coupon_cost,
                        "resource_cost": campaign.resource_cost,
                        "cost": campaign.total_cost,
                        "budget_amount": campaign.budget_amount,
                    },
                )
                self.assertEqual(bool(holdout), bool(campaign.holdout_percent), msg)
                if holdout:
                    self._assert_figures(
                        holdout,
                        {
                            "member_count": campaign.holdout_count,
                            "customer_count": campaign.holdout_customer_count,
                            "revenue": campaign.holdout_revenue,
                            "cost": 0.0,
                        },
                    )

    def test_salesman_rows_and_revenue(self):
        """A salesman reads the rows of the campaigns caring for his customers
        or that he owns, and the revenue and gifts of the orders he may see."""
        own = self._rows(self._env(self.user_own))
        self.assertEqual(
            set(own), {(self.campaign.id, "member"), (self.campaign.id, "holdout")}
        )
        # A's order (not Amy's, not B's), A's and Amy's gifts, the coupon, the
        # venue; his members: A, Amy, and C kept out.
        self._assert_figures(
            own[self.campaign.id, "member"],
            {
                "member_count": 2,
                "customer_count": 3,
                "order_count": 1,
                "revenue": 180.0,
                "gift_cost": 50.0,
                "coupon_cost": 20.0,
                "cost": 570.0,
            },
        )
        self._assert_figures(
            own[self.campaign.id, "holdout"],
            {"member_count": 1, "customer_count": 2, "revenue": 100.0},
        )
        other = self._rows(self._env(self.user_own_2))
        self.assertEqual(
            set(other),
            {
                (self.campaign.id, "member"),
                (self.campaign.id, "holdout"),
                (self.campaign_2.id, "member"),
            },
        )
        self._assert_figures(
            other[self.campaign.id, "member"],
            {"revenue": 200.0, "order_count": 2, "coupon_cost": 0.0, "cost": 550.0},
        )
        self._assert_figures(other[self.campaign.id, "holdout"], {"revenue": 0.0})
        self.assertFalse(self._rows(self._env(self.outsider)))
        self.assertEqual(
            set(self._rows(self._env(self.user_company_b, self.company_b))),
            {(self.campaign_b.id, "member")},
        )
        Report = self._env(self.outsider)["crm.care.campaign.report"]
        line = Report.browse(self.campaign.id * 2)
        with self.assertRaises(AccessError):
            line.read(["revenue"])
        with self.assertRaises(AccessError):
            Report.with_user(self.user_internal).search([])

    def test_holdout_row(self):
        """A campaign has a hold-out row when it keeps one out (empty until it
        draws), and the report's filters select by group."""
        self.campaign_2.holdout_percent = 10
        rows = self._rows(self.env)
        self._assert_figures(
            rows[self.campaign_2.id, "holdout"],
            {"member_count": 0, "revenue": 0.0, "cost": 0.0},
        )
        holdout = self._rows(self.env, [("member_group", "=", "holdout")])
        self.assertEqual(
            set(holdout),
            {(self.campaign.id, "holdout"), (self.campaign_2.id, "holdout")},
        )
        self.campaign_2.action_cancel()
        self.campaign_2.active = False
        self.assertNotIn((self.campaign_2.id, "member"), self._rows(self.env))

    def test_by_type_as_the_pivot(self):
        """Rows: campaign type; columns: group; revenue, cost and customers."""
        groups = self.env["crm.care.campaign.report"]._read_group(
            [("campaign_id", "in", self.campaigns.ids)],
            ["campaign_type", "member_group"],
            ["revenue:sum", "cost:sum", "customer_count:sum"],
        )
        sums = {(kind, group): rest for kind, group, *rest in groups}
        personal = sums["personal", "member"]
        self.assertAlmostEqual(personal[0], 380.0)
        self.assertAlmostEqual(personal[1], 620.0)
        self.assertEqual(personal[2], 3)
        self.assertAlmostEqual(sums["personal", "holdout"][0], 100.0)
        self.assertAlmostEqual(sums["class", "member"][1], 100.0)

    # --------------------------------------------------------------------- XLSX
    def test_xlsx_of_a_sales_manager(self):
        sheets = self._xlsx(self.user_manager, (self.campaign | self.campaign_2).ids)
        self.assertEqual(list(sheets), ["Campaigns", "Members"])
        campaigns = sheets["Campaigns"]
        self.assertEqual(campaigns[0], CAMPAIGN_HEADER)
        self.assertEqual(len(campaigns), 3)
        by_name = {row[0]: row for row in campaigns[1:]}
        spring = dict(zip(CAMPAIGN_HEADER, by_name["Spring tea"], strict=True))
        per_customer, holdout_per_customer = 380.0 / 3, 50.0
        incremental = (per_customer - holdout_per_customer) * 3
        self.assertEqual(
            spring,
            {
                "Campaign": "Spring tea",
                "Type": "Personalised Care",
                "Status": "Done",
                "Owner": "Care Manager",
                "Members": 4,
                "Hold-out": 2,
                "Customers": 3,
                "Responded": 3,
                "Response": 0.75,
                "Orders": 3,
                "Revenue": 380.0,
                "Hold-out Revenue per Customer": 50.0,
                # A monetary field: rounded to the currency.
                "Revenue per Customer": round(per_customer, 2),
                "Uplift": round(per_customer / holdout_per_customer - 1, 6),
                "Gift Cost": 100.0,
                "Coupon Cost": 20.0,
                "Resource Cost": 500.0,
                "Total Cost": 620.0,
                "Budget": 1000.0,
                "ROI": round((incremental - 620.0) / 620.0, 6),
            },
        )
        win_back = dict(zip(CAMPAIGN_HEADER, by_name["Win back"], strict=True))
        self.assertEqual(win_back["Status"], "Draft")
        self.assertEqual(win_back["Total Cost"], 100.0)
        # Nobody in its hold-out: the uplift is undefined, an empty cell.
        self.assertIsNone(win_back["Uplift"])

        members = sheets["Members"]
        self.assertEqual(members[0], MEMBER_HEADER)
        self.assertEqual(len(members), 7)
        rows = {
            row[2]: dict(zip(MEMBER_HEADER, row, strict=True)) for row in members[1:]
        }
        self.assertEqual(
            set(rows),
            {"Care A", "Care A, Amy", "Care B", "Care C", "Care D", "Care E"},
        )
        a_row = rows["Care A"]
        self.assertEqual(a_row["Campaign"], "Spring tea")
        self.assertEqual(a_row["Day of Care"].date(), DAY)
        self.assertEqual(a_row["Customer"], "Care A")
        self.assertEqual(a_row["Salesperson"], self.user_own.name)
        self.assertEqual(a_row["Status"], "Cared For")
        self.assertEqual(
            a_row["Gift Order"], self._member(self.cust_a).gift_order_id.name
        )
        self.assertEqual(a_row["Coupon Code"], self.coupon_a.code)
        self.assertEqual(a_row["Coupon Used"], "Yes")
        self.assertEqual(a_row["Responded"], "Yes")
        self.assertEqual((a_row["Orders"], a_row["Revenue"]), (2, 230.0))
        self.assertEqual(rows["Care A, Amy"]["Coupon Used"], "No")
        self.assertEqual(rows["Care A, Amy"]["Revenue"], 230.0)
        self.assertEqual(rows["Care E"]["Responded"], "No")
        self.assertEqual(rows["Care E"]["Revenue"], 0)
        c_row = rows["Care C"]
        self.assertEqual(c_row["Status"], "Hold-out")
        self.assertIsNone(c_row["Gift Order"])
        self.assertEqual((c_row["Orders"], c_row["Revenue"]), (1, 100.0))

    def test_xlsx_of_a_salesman(self):
        """The salesman's file: the campaigns he may read, the revenue of the
        orders he may see, his members."""
        sheets = self._xlsx(self.user_own, (self.campaign | self.campaign_2).ids)
        campaigns = sheets["Campaigns"]
        self.assertEqual(len(campaigns), 2, "not the other owner's draft")
        spring = dict(zip(CAMPAIGN_HEADER, campaigns[1], strict=True))
        self.assertEqual(spring["Revenue"], 180.0)
        self.assertEqual(spring["Total Cost"], 570.0)
        self.assertEqual(
            {row[2] for row in sheets["Members"][1:]},
            {"Care A", "Care A, Amy", "Care C"},
        )
        # Printed from the list without a selection: every campaign he reads.
        everything = self._xlsx(self.user_own, [])
        self.assertEqual(everything["Campaigns"], campaigns)
