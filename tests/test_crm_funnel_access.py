# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_funnel import FunnelCommon

# Every analysis of the funnel reports, and the field naming the deal's salesperson
FUNNEL_MODELS = (
    "crm.lead.stage.history",
    "crm.funnel.report",
    "crm.stage.time.report",
    "crm.forecast.report",
    "crm.sales.activity.report",
)


@tagged("post_install", "-at_install")
class TestCrmFunnelAccess(FunnelCommon):
    """Access matrix of the funnel analyses, deals without stage, team or
    salesperson, and a company without any deal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        cls.bare = Lead.create(
            {
                "name": "Bare lead",
                "type": "lead",
                "team_id": False,
                "user_id": False,
                "stage_id": False,
            }
        )
        cls.no_team = Lead.create(
            {
                "name": "Teamless deal",
                "type": "opportunity",
                "team_id": False,
                "user_id": cls.user_own.id,
                "stage_id": cls.stage_new.id,
                "expected_revenue": 700,
            }
        )
        cls.no_team.stage_id = cls.stage_proposal
        cls.lead_other.stage_id = cls.stage_proposal
        cls.lead_company_b.stage_id = cls.stage_proposal
        cls.deals = (
            cls.lead_own
            | cls.lead_other
            | cls.lead_unassigned
            | cls.lead_company_b
            | cls.no_team
            | cls.bare
        )
        cls.company_c = cls.env["res.company"].create({"name": "crm_360 Empty Co"})
        cls.user_empty = cls._new_user(
            "c360_empty",
            "base.group_user,sales_team.group_sale_manager",
            company=cls.company_c,
        )

    def _funnel_leads(self, user):
        rows = (
            self.env["crm.funnel.report"]
            .with_user(user)
            .search([("lead_id", "in", self.deals.ids)])
        )
        return rows.lead_id

    def _history_leads(self, user):
        rows = (
            self.env["crm.lead.stage.history"]
            .with_user(user)
            .search([("lead_id", "in", self.deals.ids)])
        )
        return rows.lead_id

    def test_matrix(self):
        visible = {
            self.user_own: self.lead_own | self.lead_unassigned | self.no_team,
            self.user_all: self.deals - self.lead_company_b - self.bare,
            self.user_manager: self.deals - self.lead_company_b - self.bare,
            # Deals without a company are everybody's, as on crm.lead.
            self.user_company_b: self.lead_company_b
            | (self.deals - self.bare).filtered(lambda lead: not lead.company_id),
        }
        for user, leads in visible.items():
            with self.subTest(user=user.login):
                # The bare lead reached no stage: in the history, not in the funnel.
                self.assertEqual(self._funnel_leads(user), leads)
                self.assertEqual(
                    self._history_leads(user),
                    self.env["crm.lead"]
                    .with_user(user)
                    .search([("id", "in", self.deals.ids)]),
                    "the history shows what crm.lead shows",
                )
        self.assertIn(self.bare, self._history_leads(self.user_own))

    def test_no_sales_group_no_analysis(self):
        for model in FUNNEL_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_internal).search([])

    def test_deals_without_team_or_salesperson(self):
        groups = self.env["crm.funnel.report"]._read_group(
            [
                ("lead_id", "in", (self.no_team | self.lead_unassigned).ids),
                ("stage_id", "in", (self.stage_new | self.stage_proposal).ids),
            ],
            ["lead_id", "team_id", "user_id"],
            ["nbr:sum"],
        )
        by_lead = {lead: (team, user, nbr) for lead, team, user, nbr in groups}
        team, user, nbr = by_lead[self.no_team]
        self.assertFalse(team)
        self.assertEqual((user, nbr), (self.user_own, 2), "New and Proposal reached")
        team, user, nbr = by_lead[self.lead_unassigned]
        self.assertEqual((team, nbr), (self.team, 1))
        self.assertFalse(user)
        rows = self.env["crm.stage.time.report"].search(
            [("scope", "=", "team"), ("stage_id", "=", self.stage_new.id)]
        )
        self.assertIn(
            False, rows.mapped(lambda row: bool(row.team_id)), "a teamless row"
        )
        entries = self.env["crm.lead.stage.history"].search(
            [("lead_id", "=", self.bare.id)]
        )
        self.assertEqual(entries.mapped("event"), ["create"])
        self.assertFalse(entries.stage_to_id)

    def test_company_without_deals(self):
        for model in FUNNEL_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_empty)
                domain = [("company_id", "=", self.company_c.id)]
                if "company_id" not in Model._fields:
                    domain = [("team_id.company_id", "=", self.company_c.id)]
                self.assertFalse(Model.search(domain))
                self.assertEqual(Model._read_group(domain, [], ["__count"]), [(0,)])
        team = self.env["crm.team"].create(
            {"name": "Empty Team", "company_id": self.company_c.id}
        )
        report = self.env["crm.team.mail.report"].create(
            {"team_id": team.id, "periodicity": "monthly"}
        )
        date_from, date_to = report._get_period(
            "monthly", self.lead_own.create_date.date()
        )
        figures = report._recipient_env(self.user_empty)._get_report_figures(
            date_from, date_to
        )
        self.assertEqual(figures["funnel"], [])
        self.assertEqual(
            (figures["won_count"], figures["lost_count"], figures["order_count"]),
            (0, 0, 0),
        )

    def test_query_counts_constant(self):
        """Time in stage and the mailed report's figures cost the same number of
        queries whatever the number of deals."""
        TimeReport = self.env["crm.stage.time.report"].with_user(self.user_all)
        report = self.env["crm.team.mail.report"].create(
            {"team_id": self.team.id, "periodicity": "daily"}
        )
        today = self.lead_own.create_date.date()

        def count_queries():
            counts = []
            for func in (
                lambda: TimeReport.search_read([], ["nbr_stays", "median_days"]),
                lambda: report._recipient_env(self.user_all)._get_report_figures(
                    today, today
                ),
            ):
                func()  # warm the caches
                self.env.invalidate_all()
                start = self.env.cr.sql_log_count
                func()
                counts.append(self.env.cr.sql_log_count - start)
            return counts

        few = count_queries()
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"More {index}",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "user_id": self.user_own.id,
                    "stage_id": self.stage_new.id,
                }
                for index in range(20)
            ]
        )
        leads.stage_id = self.stage_proposal
        leads[:5].action_set_lost()
        self.assertEqual(count_queries(), few)
