# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common_competitor import CompetitorCommon


class Crm360CompetitorDealsCase(CompetitorCommon):
    """The same competitors met in deals of several owners and outcomes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_own.expected_revenue = 10000
        cls.lead_other.expected_revenue = 20000
        cls.lead_unassigned.expected_revenue = 5000
        cls.lead_company_b.expected_revenue = 40000
        cls.lead_own_won = cls._new_lead(
            "Own won deal", expected_revenue=7000, stage_id=cls.stage_won.id
        )
        cls.competitor_c = cls.env["crm.competitor"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "BrightLedger Systems", "is_company": True})
                .id
            }
        )
        cls.line_own = cls._add_competitor(cls.lead_own, cls.competitor_a)
        cls.line_own_b = cls._add_competitor(
            cls.lead_own, cls.competitor_b, threat_level="high"
        )
        cls.line_other = cls._add_competitor(cls.lead_other, cls.competitor_a)
        cls.line_unassigned = cls._add_competitor(cls.lead_unassigned, cls.competitor_b)
        cls.line_company_b = cls._add_competitor(cls.lead_company_b, cls.competitor_a)
        cls._add_competitor(cls.lead_own_won, cls.competitor_a)
        cls._add_competitor(cls.lead_own_won, cls.competitor_b)
        # Own deal lost to A on price; someone else's deal lost to B on delivery.
        cls._mark_lost(
            cls.lead_own,
            lost_competitor_id=cls.competitor_a.id,
            decisive_factor_id=cls.factor_price.id,
        )
        cls._mark_lost(
            cls.lead_other,
            lost_competitor_id=cls.competitor_b.id,
            decisive_factor_id=cls.factor_delivery.id,
        )
        cls._mark_lost(cls.lead_company_b, lost_competitor_id=cls.competitor_a.id)
        cls.general_item = cls.competitor_a.swot_item_ids[:1]
        cls.own_item = cls.line_own_b.swot_item_ids.create(
            {
                "lead_competitor_id": cls.line_own_b.id,
                "quadrant": "opportunity",
                "factor_id": cls.factor_service.id,
            }
        )
        cls.other_item = cls.line_other.swot_item_ids[:1]


@tagged("post_install", "-at_install")
class TestCrmCompetitorReport(Crm360CompetitorDealsCase):
    """The win/loss report adds up exactly what the user may open."""

    def _orm_totals(self):
        """Win/loss per competitor computed from the deals the current user can
        open through the ORM, line by line."""
        lines = (
            self.env["crm.lead.competitor"]
            .with_context(active_test=False)
            .search([("lead_id.type", "=", "opportunity")])
        )
        totals = {}
        for line in lines:
            lead = line.lead_id
            won = lead.active and lead.stage_id.is_won
            lost = not lead.active and not lead.probability
            lost_to = lost and lead.lost_competitor_id == line.competitor_id
            row = totals.setdefault(line.competitor_id, [0, 0, 0, 0, 0.0])
            row[0] += 1
            row[1] += won
            row[2] += lost_to
            row[3] += won or lost
            row[4] += lead.expected_revenue if lost_to else 0.0
        return totals

    def _report_totals(self, user=None):
        Report = self.env["crm.competitor.report"]
        if user:
            Report = Report.with_user(user)
        groups = Report._read_group(
            [],
            ["competitor_id"],
            [
                "__count",
                "won_count:sum",
                "lost_to_count:sum",
                "closed_count:sum",
                "lost_revenue:sum",
            ],
        )
        return {group[0]: list(group[1:]) for group in groups}

    @users("c360_own")
    def test_salesman_totals_equal_his_orm(self):
        mine = self._report_totals()
        self.assertEqual(mine, self._orm_totals())
        # Own lost + own won deal with A; own lost + own won + unassigned with B.
        self.assertEqual(mine[self.competitor_a], [2, 1, 1, 2, 10000.0])
        self.assertEqual(mine[self.competitor_b], [3, 1, 0, 2, 0.0])
        rates = dict(
            self.env["crm.competitor.report"]._read_group(
                [], ["competitor_id"], ["win_rate:avg"]
            )
        )
        self.assertEqual(rates[self.competitor_a], 50.0)
        self.assertEqual(rates[self.competitor_b], 50.0)

    @users("c360_manager")
    def test_manager_sees_more_than_the_salesman(self):
        everything = self._report_totals()
        self.assertEqual(everything, self._orm_totals())
        # Someone else's deal lost to B counts for the manager only; the deal
        # of company B counts for no one of company A.
        self.assertEqual(everything[self.competitor_a], [3, 1, 1, 3, 10000.0])
        self.assertEqual(everything[self.competitor_b], [4, 1, 1, 3, 20000.0])
        mine = self._report_totals(user=self.user_own)
        self.assertNotEqual(everything, mine)

    @users("c360_company_b")
    def test_other_company_sees_its_own_deals(self):
        # Its own deal, and the unassigned one, which has no company (as in
        # crm.lead, a deal without company is seen by all companies).
        totals = self._report_totals()
        self.assertEqual(totals, self._orm_totals())
        self.assertEqual(
            totals,
            {
                self.competitor_a: [1, 0, 1, 1, 40000.0],
                self.competitor_b: [1, 0, 0, 0, 0.0],
            },
        )

    @users("c360_manager")
    def test_decisive_factors(self):
        groups = self.env["crm.competitor.report"]._read_group(
            [
                ("lost_to_count", "=", 1),
                ("competitor_id", "in", (self.competitor_a | self.competitor_b).ids),
            ],
            ["decisive_factor_id"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {self.factor_price: 1, self.factor_delivery: 1})

    @users("c360_internal")
    def test_report_needs_a_sales_group(self):
        with self.assertRaises(AccessError):
            self.env["crm.competitor.report"].search([])


@tagged("post_install", "-at_install")
class TestCrmCompetitorAccess(Crm360CompetitorDealsCase):
    """Who may read and change competitors, their deal lines and SWOT items."""

    def _ours(self):
        """Lines of this test's competitors (demo data may hold others)."""
        competitors = self.competitor_a | self.competitor_b | self.competitor_c
        return [("competitor_id", "in", competitors.ids)]

    @users("c360_own")
    def test_salesman(self):
        competitor = self.competitor_a.with_env(self.env)
        # Competitors and factors: read only.
        self.assertTrue(competitor.read(["name", "price_position"]))
        self.assertTrue(self.env["crm.swot.factor"].search([]))
        with self.assertRaises(AccessError):
            competitor.price_position = "similar"
        with self.assertRaises(AccessError):
            self.env["crm.competitor"].create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.env["crm.swot.factor"].create({"name": "Payment terms"})
        # The general SWOT: read, not write.
        general = self.general_item.with_env(self.env)
        self.assertTrue(general.read(["description"]))
        with self.assertRaises(AccessError):
            general.score = 1
        with self.assertRaises(AccessError):
            self.env["crm.swot.item"].create(
                {
                    "competitor_id": self.competitor_a.id,
                    "quadrant": "threat",
                    "factor_id": self.factor_price.id,
                }
            )
        # Own and unassigned deals: full access.
        Line = self.env["crm.lead.competitor"].with_context(active_test=False)
        self.assertEqual(
            Line.search(self._ours()).lead_id,
            self.lead_own | self.lead_unassigned | self.lead_own_won,
        )
        own_item = self.own_item.with_env(self.env)
        own_item.write({"score": 5, "description": "They support us locally"})
        new = self.env["crm.swot.item"].create(
            {
                "lead_competitor_id": self.line_unassigned.id,
                "quadrant": "strength",
                "factor_id": self.factor_price.id,
            }
        )
        new.unlink()
        self.line_unassigned.with_env(self.env).threat_level = "low"
        # Someone else's deal: nothing.
        with self.assertRaises(AccessError):
            self.line_other.with_env(self.env).read(["threat_level"])
        with self.assertRaises(AccessError):
            self.other_item.with_env(self.env).read(["description"])
        with self.assertRaises(AccessError):
            self.env["crm.lead.competitor"].create(
                {"lead_id": self.lead_other.id, "competitor_id": self.competitor_c.id}
            )
        # Moving own things into places he may not edit is refused.
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm.lead.competitor"].create(
                {
                    "lead_id": self.lead_unassigned.id,
                    "competitor_id": self.competitor_c.id,
                }
            ).lead_id = self.lead_other
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            own_item.lead_competitor_id = False
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            own_item.lead_competitor_id = self.line_other

    @users("c360_all")
    def test_all_leads_salesman(self):
        Line = self.env["crm.lead.competitor"].with_context(active_test=False)
        self.assertEqual(
            Line.search(self._ours()).lead_id,
            self.lead_own | self.lead_other | self.lead_unassigned | self.lead_own_won,
        )
        self.other_item.with_env(self.env).score = 1
        with self.assertRaises(AccessError):
            self.general_item.with_env(self.env).score = 1
        with self.assertRaises(AccessError):
            self.line_company_b.with_env(self.env).read(["status"])

    @users("c360_manager")
    def test_manager(self):
        competitor = self.competitor_b.with_env(self.env)
        competitor.write(
            {
                "price_position": "similar",
                "swot_item_ids": [
                    (
                        0,
                        0,
                        {
                            "quadrant": "threat",
                            "factor_id": self.factor_price.id,
                            "score": 5,
                        },
                    )
                ],
            }
        )
        self.general_item.with_env(self.env).score = 5
        factor = self.env["crm.swot.factor"].create({"name": "Payment terms"})
        factor.active = False
        self.assertEqual(len(competitor.swot_item_ids), 1)

    @users("c360_company_b")
    def test_other_company(self):
        Line = self.env["crm.lead.competitor"].with_context(active_test=False)
        self.assertEqual(
            Line.search(self._ours()), self.line_company_b | self.line_unassigned
        )
        # Shared competitors are seen by every company.
        self.assertTrue(self.competitor_a.with_env(self.env).name)

    @users("c360_internal")
    def test_internal_user_without_sales_rights(self):
        with self.assertRaises(AccessError):
            self.env["crm.competitor"].search([])
        with self.assertRaises(AccessError):
            self.env["crm.swot.item"].search([])
        with self.assertRaises(AccessError):
            self.env["crm.lead.competitor"].search([])
