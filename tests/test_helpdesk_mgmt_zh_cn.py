# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import shutil
import subprocess
from pathlib import Path

import polib

from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tools import translate
from odoo.tools.misc import file_path

from odoo.addons.base.models import ir_module

from .common import Crm360UserFactory

I18N_EXTRA = Path(file_path("crm_360/i18n_extra"))
# Markup and placeholders a translation must keep: QWeb elements and attributes,
# inline-template expressions, printf placeholders.
KEPT = re.compile(r"<[a-z][^>]*?\bt-[^>]*>|\{\{.*?\}\}|%\(?\w*\)?s")


class TestHelpdeskMgmtZhCn(Crm360UserFactory, TransactionCase):
    """OCA helpdesk_mgmt ships no zh_CN: crm_360 brings its mail templates
    (i18n_extra/zh_CN.po) and its Python and JS messages
    (i18n_extra/helpdesk_mgmt/zh_CN.po, added by the post_load hook)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt", "helpdesk_mgmt_rating", "crm_360"],
            ["zh_CN"],
            overwrite=True,
        )
        cls.agent = cls._new_user(
            "c360_zh_helpdesk_agent",
            "helpdesk_mgmt.group_helpdesk_user",
            name="客服专员",
            lang="zh_CN",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "王芳", "email": "wang.fang@example.com", "lang": "zh_CN"}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "水泵漏油",
                "description": "<p>新到的水泵漏油</p>",
                "partner_id": cls.customer.id,
                "user_id": cls.agent.id,
            }
        )

    def _as_agent(self, records):
        return records.with_user(self.agent).with_context(lang=self.agent.lang)

    def test_python_messages_in_chinese(self):
        translations = translate.code_translations.get_python_translations(
            "helpdesk_mgmt", "zh_CN"
        )
        self.assertEqual(translations["Open Tickets"], "未关闭工单")
        self.assertEqual(translations["Search in Title"], "搜索标题")
        wizard = self._as_agent(self.env["helpdesk.ticket.duplicate.wizard"]).create(
            {"ticket_id": self.ticket.id, "duplicate_of_id": self.ticket.id}
        )
        with self.assertRaisesRegex(UserError, "^请选择一个有效的重复工单！$"):
            wizard.action_confirm()
        dashboard = self._as_agent(
            self.env["helpdesk.ticket.team"]
        )._retrieve_dashboard()
        self.assertIn("未关闭工单", [tile["name"] for tile in dashboard])
        self.assertEqual(
            translate.code_translations.get_python_translations(
                "helpdesk_mgmt_rating", "zh_CN"
            )["Ticket Rating"],
            "工单评分",
        )

    def test_javascript_messages_in_chinese(self):
        messages = translate.code_translations.get_web_translations(
            "helpdesk_mgmt", "zh_CN"
        )["messages"]
        self.assertIn(
            {
                "id": "The selected file (%sB) is over the maximum allowed file "
                "size (%sB).",
                "string": "所选文件（%sB）超过了允许的最大文件大小（%sB）。",
            },
            [dict(message) for message in messages],
        )

    def test_code_translations_stay_with_their_module(self):
        """The files extend helpdesk_mgmt's code translations only: not crm_360's
        own, not another language, and not the database import of module terms
        (which would read them twice)."""
        ours = str(I18N_EXTRA / "helpdesk_mgmt" / "zh_CN.po")
        self.assertEqual(
            list(translate.get_po_paths("helpdesk_mgmt", "zh_CN"))[-1], ours
        )
        self.assertNotIn(ours, list(translate.get_po_paths("helpdesk_mgmt", "fr_FR")))
        self.assertNotIn(ours, list(ir_module.get_po_paths("helpdesk_mgmt", "zh_CN")))
        crm_360_messages = translate.code_translations.get_python_translations(
            "crm_360", "zh_CN"
        )
        self.assertNotIn("Search in Title", crm_360_messages)
        self.assertNotIn("Ticket Rating", crm_360_messages)

    def test_mail_templates_render_in_chinese(self):
        """A zh_CN customer reads helpdesk_mgmt's e-mails in Chinese."""
        by_customer_lang = {"compute_lang": True}
        expected = {
            "helpdesk_mgmt.assignment_email_template": (
                "工单分配",
                "已分配给 客服专员",
                by_customer_lang,
            ),
            "helpdesk_mgmt.closed_ticket_template": (
                "已关闭。",
                "已关闭。",
                by_customer_lang,
            ),
            "helpdesk_mgmt.changed_stage_template": (
                "阶段已变更。",
                "已进入",
                by_customer_lang,
            ),
            # helpdesk_mgmt_rating's template sets no language: it is written in
            # the language of the user whose stage change sends it.
            "helpdesk_mgmt_rating.rating_ticket_email_template": (
                "满意度调查",
                "请告诉我们您对本次服务的感受",
                {"set_lang": self.agent.lang},
            ),
        }
        for xmlid, (subject, body, lang_options) in expected.items():
            template = self.env.ref(xmlid)
            with self.subTest(template=xmlid):
                rendered = template._render_field(
                    "subject", self.ticket.ids, **lang_options
                )[self.ticket.id]
                self.assertIn(subject, rendered)
                self.assertIn(self.ticket.number, rendered)
                rendered = template._render_field(
                    "body_html", self.ticket.ids, **lang_options
                )[self.ticket.id]
                self.assertIn(body, rendered)
                self.assertNotIn("Hello", rendered)
        # An English customer keeps the English e-mail.
        self.customer.lang = "en_US"
        rendered = self.env.ref("helpdesk_mgmt.closed_ticket_template")._render_field(
            "subject", self.ticket.ids, compute_lang=True
        )
        self.assertEqual(
            rendered[self.ticket.id],
            f"The ticket {self.ticket.number} has been closed.",
        )

    def test_po_files_are_complete_and_keep_markup(self):
        """Every entry is translated and keeps the markup and placeholders of its
        source; msgfmt -c accepts the files when it is installed."""
        po_files = sorted(I18N_EXTRA.rglob("*.po"))
        self.assertEqual(
            [path.relative_to(I18N_EXTRA).as_posix() for path in po_files],
            ["helpdesk_mgmt/zh_CN.po", "helpdesk_mgmt_rating/zh_CN.po", "zh_CN.po"],
        )
        for path in po_files:
            for entry in polib.pofile(str(path)):
                with self.subTest(file=path.name, msgid=entry.msgid[:60]):
                    self.assertTrue(entry.msgstr)
                    self.assertEqual(
                        sorted(KEPT.findall(entry.msgid)),
                        sorted(KEPT.findall(entry.msgstr)),
                    )
        msgfmt = shutil.which("msgfmt")
        if msgfmt:
            for path in po_files:
                result = subprocess.run(
                    [msgfmt, "-c", "-o", "/dev/null", str(path)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                self.assertEqual(result.returncode, 0, result.stderr)
