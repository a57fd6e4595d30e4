# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
import unicodedata

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.crm_360.models.ir_actions_report import PDF_ENGINE_PARAM

from .common import Crm360UserFactory


@tagged("post_install", "-at_install")
class TestIrActionsReportPdf(Crm360UserFactory, HttpCase):
    """PDFs printed with Chromium: several records at once, header and footer,
    selectable Latin and Chinese text. Chromium missing is a failure, not a skip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.name = "Pdfcheck Pumps Ltd"
        # the Chromium page loads the report's CSS from this test server
        cls.env["ir.config_parameter"].sudo().set_param("report.url", cls.base_url())
        cls.env["ir.config_parameter"].sudo().set_param(PDF_ENGINE_PARAM, "chromium")
        cls.salesman = cls._new_user(
            "c360_pdf_salesman",
            "sales_team.group_sale_salesman_all_leads,base.group_user",
            name="Li Lei",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Northwind Pumps", "is_company": True}
        )
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": cls.customer.id,
                    "user_id": cls.salesman.id,
                }
                for name in ("Alpha Retrofit", "Bravo Expansion", "Charlie Renewal")
            ]
        )
        product = cls.env["product.product"].create(
            {"name": "Booster pump BX-7", "list_price": 1200.0}
        )
        cls.orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": qty})
                    ],
                }
                for qty in (1, 2)
            ]
        )

    def _render(self, report_ref, records, lang=None):
        self.assertTrue(
            self.env["ir.actions.report"]._crm_360_chromium_bin(),
            "Chromium must be installed (tools/setup.sh installs Debian's chromium)",
        )
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=lang
        )
        pdf, report_format = report._render_qweb_pdf(report_ref, res_ids=records.ids)
        self.assertEqual(report_format, "pdf")
        reader = PdfFileReader(io.BytesIO(pdf))
        pages = [reader.getPage(i) for i in range(reader.getNumPages())]
        self.assertGreaterEqual(len(pages), len(records))
        text = "".join(page.extractText() for page in pages)
        # PyPDF2 cuts kerned words ("R etrofit") and keeps ligatures ("ﬁ")
        return pages, re.sub(r"\s", "", unicodedata.normalize("NFKC", text))

    def _assert_header_footer(self, text):
        self.assertIn("PdfcheckPumpsLtd", text, "company header missing")
        self.assertRegex(text, r"Page1/\d", "page number footer missing")

    def test_several_briefs_at_once(self):
        pages, text = self._render("crm_360.crm_lead_brief_report", self.leads)
        for lead in self.leads:
            self.assertIn(lead.name.replace(" ", ""), text)
        self._assert_header_footer(text)

    def _font_names(self, pages):
        names = set()
        for page in pages:
            fonts = page["/Resources"].getObject().get("/Font") or {}
            for font in fonts.getObject().values():
                names.add(str(font.getObject().get("/BaseFont", "")).split("+")[-1])
        return names

    def test_body_in_odoo_report_font(self):
        """The report's web font (Lato) is used, not the system's fallback."""
        pages, _text = self._render("crm_360.crm_lead_brief_report", self.leads)
        self.assertTrue(
            any(name.startswith("Lato") for name in self._font_names(pages)),
            self._font_names(pages),
        )

    def test_several_quotations_at_once(self):
        pages, text = self._render("sale.action_report_saleorder", self.orders)
        for order in self.orders:
            self.assertIn(order.name, text)
        self.assertIn("BoosterpumpBX-7", text)
        self._assert_header_footer(text)

    def test_multi_page_documents_split_per_record(self):
        """Odoo splits a multi-record PDF per record (attachments) from its
        outlines when a document spans several pages."""
        product = self.orders.order_line.product_id
        long_order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "name": f"Line {n}"})
                    for n in range(60)
                ],
            }
        )
        orders = long_order | self.orders[0]
        streams = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf_prepare_streams(
                "sale.action_report_saleorder", {}, res_ids=orders.ids
            )
        )
        self.assertEqual(set(streams), set(orders.ids))
        long_pages = PdfFileReader(streams[long_order.id]["stream"]).getNumPages()
        self.assertGreater(long_pages, 1)
        self.assertEqual(
            PdfFileReader(streams[self.orders[0].id]["stream"]).getNumPages(), 1
        )

    def test_chinese_brief(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "crm", "crm_360"], ["zh_CN"]
        )
        self.salesman.lang = "zh_CN"
        contact = self.env["res.partner"].create(
            {"name": "王建国", "parent_id": self.customer.id}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "华鑫泵业年度维保合同续签",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "influencer_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": contact.id,
                            "role": "economic",
                            "concerns": "三年内降低库存资金占用，担心数据迁移",
                        },
                    )
                ],
            }
        )
        pages, text = self._render("crm_360.crm_lead_brief_report", lead, "zh_CN")
        self.assertIn("华鑫泵业年度维保合同续签", text)
        self.assertIn("王建国", text)
        # Type 3 glyphs keep their Unicode map: the Chinese is selectable
        self.assertTrue(pages)

    def test_chinese_body_prefers_simplified_font(self):
        Report = self.env["ir.actions.report"]
        body = (
            "<!DOCTYPE html><html><head></head><body class='o_body_pdf container'>"
            "<div class='article' data-oe-lang='zh_CN'>华鑫</div></body></html>"
        )
        html, lang = Report._crm_360_prepare_body(body)
        self.assertEqual(lang, "zh-Hans")
        self.assertIn('lang="zh-Hans"', html)
        self.assertIn('"Noto Sans CJK SC"', html)
        html, lang = Report._crm_360_prepare_body(body.replace("zh_CN", "en_US"))
        self.assertEqual(lang, "en-US")
        self.assertNotIn("CJK", html)

    def test_print_options_from_paperformat(self):
        paperformat = self.env["report.paperformat"].create(
            {
                "name": "Letter landscape",
                "format": "Letter",
                "orientation": "Landscape",
                "margin_top": 25.4,
                "margin_bottom": 12.7,
                "margin_left": 5,
                "margin_right": 5,
            }
        )
        Report = self.env["ir.actions.report"]
        options = Report._crm_360_print_options(paperformat, False, {})
        self.assertTrue(options["landscape"])
        self.assertAlmostEqual(options["paperWidth"], 8.5, places=1)
        self.assertAlmostEqual(options["paperHeight"], 11.0, places=1)
        self.assertAlmostEqual(options["marginTop"], 1.0)
        self.assertAlmostEqual(options["marginBottom"], 0.5)
        options = Report._crm_360_print_options(
            paperformat, False, {"data-report-margin-top": "50.8"}
        )
        self.assertAlmostEqual(options["marginTop"], 2.0)

    @mute_logger("odoo.addons.crm_360.models.ir_actions_report")
    def test_engine_parameter(self):
        Report = self.env["ir.actions.report"]
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(Report._crm_360_pdf_engine(), "chromium")
        params.set_param(PDF_ENGINE_PARAM, "wkhtmltopdf")
        self.assertEqual(Report._crm_360_pdf_engine(), "wkhtmltopdf")
        params.set_param(PDF_ENGINE_PARAM, "nonsense")
        self.assertEqual(Report._crm_360_pdf_engine(), "chromium")
        self.assertEqual(Report.get_wkhtmltopdf_state(), "ok")

    @mute_logger("odoo.addons.crm_360.models.ir_actions_report")
    def test_chromium_failure_is_user_error(self):
        """A Chromium that cannot start gives a UserError, not a traceback."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        self.patch(
            type(Report), "_crm_360_chromium_bin", lambda self: "/nonexistent/chromium"
        )
        with self.assertRaises(UserError):
            Report._render_qweb_pdf("crm_360.crm_lead_brief_report", self.leads[:1].ids)
