# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common_cute import CuteCommon


class Crm360BriefCase(CuteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls._new_lead(
            "华鑫 ERP 扩容",
            [
                (
                    cls.p_economic,
                    "economic",
                    {
                        "attitude": "supporter",
                        "influence": "high",
                        "personal_win": "三年内降低库存资金占用",
                    },
                ),
                (
                    cls.p_technical,
                    "technical",
                    {"attitude": "opponent", "concerns": "Data migration"},
                ),
            ],
        )
        cls.report = cls.env.ref("crm_360.crm_lead_brief_report")


@tagged("post_install", "-at_install")
class TestCrmLeadBrief(Crm360BriefCase):
    def test_brief_html_content(self):
        html, _format = self.report._render_qweb_html(self.report, self.lead.ids)
        html = html.decode()
        self.assertIn("华鑫 ERP 扩容", html)
        self.assertIn("王建国", html)
        self.assertIn("三年内降低库存资金占用", html)
        self.assertIn("Data migration", html)
        self.assertIn("No Coach", html)
        self.assertIn("Economic influence not met in person", html)
        self.assertIn(f"{self.lead.cute_score}", html)

    def test_brief_not_assessed(self):
        """A deal nobody assessed shows no 0 / 100 score and no "No red flag"."""
        empty = self._new_lead("Nobody assessed")
        html, _format = self.report._render_qweb_html(self.report, empty.ids)
        html = html.decode()
        self.assertIn("Not assessed yet", html)
        self.assertNotIn("/ 100", html)
        self.assertNotIn("No red flag", html)

    def test_brief_as_salesman(self):
        report = self.report.with_user(self.user_own)
        html, _format = report._render_qweb_html(report, self.lead.ids)
        self.assertIn("王建国", html.decode())


@tagged("post_install", "-at_install")
class TestCrmLeadBriefPdf(HttpCase, Crm360BriefCase):
    """wkhtmltopdf fetches the report assets from the test server: an HttpCase."""

    def test_brief_renders_to_pdf(self):
        report = self.report.with_context(force_report_rendering=True)
        pdf, content_type = report._render_qweb_pdf(report, self.lead.ids)
        self.assertEqual(content_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
