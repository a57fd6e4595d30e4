# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import Crm360TourCase
from .common_competitor import CompetitorCommon


@tagged("post_install", "-at_install")
class TestCrmCompetitorTour(Crm360TourCase, CompetitorCommon):
    """The Competitors tab in the browser, and the battlecard PDF.

    An HttpCase for both: wkhtmltopdf fetches the report assets from the test
    server.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.factor_price = cls.env.ref("crm_360.crm_swot_factor_price")
        cls.factor_delivery = cls.env.ref("crm_360.crm_swot_factor_delivery")
        # No general SWOT: it would be copied into the deal when the tour adds it.
        cls.competitor = cls.env["crm.competitor"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "Kestrel Robotics", "is_company": True})
                .id,
                "price_position": "lower",
            }
        )
        cls.report_ref = "crm_360.crm_competitor_battlecard_report"

    @classmethod
    def _closed_deal(cls, name, user, won, revenue):
        lead = cls._new_lead(name, user_id=user.id, expected_revenue=revenue)
        cls.env["crm.lead.competitor"].create(
            {"lead_id": lead.id, "competitor_id": cls.competitor.id}
        )
        if won:
            lead.stage_id = cls.stage_won
        else:
            lead.action_set_lost(lost_competitor_id=cls.competitor.id)
        return lead

    def _battlecard_html(self, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, _format = Report._render_qweb_html(self.report_ref, self.competitor.ids)
        return html.decode()

    def _assert_win_rate(self, html, rate):
        self.assertRegex(
            html, rf"o_battlecard_win_rate\"[^>]*>\s*{rate}\s*%", "win rate shown"
        )

    def test_competitor_tour(self):
        lead = self._new_lead("Competitor Tour Deal")
        self.start_tour(
            f"/odoo/crm/{lead.id}", "crm_360_competitor_tour", login="c360_own"
        )
        line = lead.competitor_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.competitor_id, self.competitor)
        self.assertEqual(line.threat_level, "high")
        self.assertEqual(line.offer, "KR-500 welding cell")
        self.assertEqual(line.status, "active")
        self.assertEqual(line.swot_count, 2)
        self.assertEqual(
            {
                (item.quadrant, item.factor_id, item.description, item.score)
                for item in line.swot_item_ids
            },
            {
                ("strength", self.factor_price, "Cheaper by 15%", 4),
                ("weakness", self.factor_delivery, "交付周期长", 2),
            },
        )
        self.assertEqual(line.swot_item_ids.competitor_id, self.competitor)
        self.assertEqual(line.swot_item_ids.lead_id, lead)
        # The deal's SWOT stays in the deal: the general SWOT is still empty.
        self.assertFalse(self.competitor.swot_item_ids)

    def test_battlecard_pdf(self):
        won = self._closed_deal("Kestrel won deal", self.user_own, True, 30000)
        lost = self._closed_deal("Kestrel lost deal", self.user_own, False, 10000)
        # Another salesman's deals: c360_own may not open them.
        hidden_won = self._closed_deal("Hidden won deal", self.user_own_2, True, 50000)
        hidden_lost = self._closed_deal(
            "Hidden lost deal", self.user_own_2, False, 70000
        )
        self.assertEqual(
            (self.competitor.won_count, self.competitor.lost_count), (2, 2)
        )

        # As the administrator: every deal, won 2 of 4.
        html = self._battlecard_html()
        for lead in (won, lost, hidden_won, hidden_lost):
            self.assertIn(lead.name, html)
        self._assert_win_rate(html, 50)

        # As the salesman: only his own deals, won 1 of 2.
        html = self._battlecard_html(self.user_own)
        self.assertIn(won.name, html)
        self.assertIn(lost.name, html)
        self.assertNotIn(hidden_won.name, html)
        self.assertNotIn(hidden_lost.name, html)
        self._assert_win_rate(html, 50)
        # The Battlecard tab of the form shows the same, for the same user.
        body = str(self.competitor.with_user(self.user_own).battlecard_html)
        self.assertIn(lost.name, body)
        self.assertNotIn(hidden_lost.name, body)

        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for report in (Report, Report.with_user(self.user_own)):
            pdf, content_type = report._render_qweb_pdf(
                self.report_ref, self.competitor.ids
            )
            self.assertEqual(content_type, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
