# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import Crm360TourCase


@tagged("post_install", "-at_install")
class TestCrm360ZhCnTour(Crm360TourCase):
    """A user working in 简体中文 meets crm_360 in Chinese: menus, a list and a
    form of customer care, from crm_360's own zh_CN translation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "crm_360")]
        )._load_module_terms(["crm_360"], ["zh_CN"], overwrite=True)
        cls.care_manager = cls._new_user(
            "c360_zh_care_manager",
            "base.group_user,crm_360.group_care_manager",
            name="关怀经理",
            lang="zh_CN",
        )
        cls.env["crm.care.campaign"].create(
            {
                "name": "中秋关怀",
                "campaign_type": "personal",
                "user_id": cls.care_manager.id,
            }
        )

    def test_zh_cn_tour(self):
        self.start_tour("/odoo/crm", "crm_360_zh_cn_tour", login="c360_zh_care_manager")

    def test_helpdesk_screens_in_chinese(self):
        """helpdesk_mgmt ships no zh_CN: crm_360 brings the terms of the helpdesk
        screens its users work in (i18n_extra/zh_CN.po)."""
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(
            env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu").name, "服务台"
        )
        fields_ = env["helpdesk.ticket"].fields_get(["stage_id", "team_id"])
        self.assertEqual(fields_["stage_id"]["string"], "阶段")
        self.assertEqual(fields_["team_id"]["string"], "团队")
