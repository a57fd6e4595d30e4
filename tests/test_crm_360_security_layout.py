# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where crm_360's security lives (issue 18): every category and group declared once
in security/crm_360_groups.xml, the record rules in one file per capability, in the
manifest's capability order, and every xml id databases refer to kept."""

import os

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

GROUPS_FILE = "security/crm_360_groups.xml"
ACCESS_FILE = "security/ir.model.access.csv"

# Rule file of each capability, in the manifest's (and the README's) order, with the
# models its rules may be on.
RULE_FILES = {
    "security/crm_lead_influencer_security.xml": {"crm.lead.influencer"},
    "security/crm_competitor_security.xml": {
        "crm.competitor",
        "crm.lead.competitor",
        "crm.swot.item",
        "crm.competitor.report",
    },
    "security/helpdesk_complaint_security.xml": {
        "helpdesk.complaint.action",
        "helpdesk.complaint.category",
        "helpdesk.complaint.classifier",
        "helpdesk.complaint.investigation",
        "helpdesk.complaint.keyword",
        "helpdesk.complaint.priority",
        "helpdesk.complaint.report",
        "helpdesk.complaint.root.cause",
        "helpdesk.complaint.solution",
        "helpdesk.complaint.step",
        "helpdesk.ticket",
        "helpdesk.ticket.stage.history",
    },
    "security/crm_funnel_security.xml": {
        "crm.lead.stage.history",
        "crm.funnel.report",
        "crm.stage.aging.limit",
        "crm.sales.target",
        "crm.forecast.report",
        "crm.sales.activity.report",
        "crm.team.mail.report",
        "crm.team.mail.report.log",
    },
    "security/res_partner_analytics_security.xml": {
        "res.partner.value.history",
        "crm.lead",
    },
    "security/crm_care_campaign_security.xml": {
        "crm.care.campaign",
        "crm.care.campaign.member",
        "crm.care.campaign.occurrence",
        "crm.care.campaign.report",
        "crm.care.campaign.resource",
    },
}

# The xml ids of the categories, groups and rules when they left crm_360_security.xml:
# saved data (users' groups, rules edited in a database) refers to them; never rename.
KEPT_GROUP_IDS = {
    "module_category_sales_customer_master",
    "module_category_sales_customer_care",
    "group_sale_reconciliation",
    "group_customer_reviewer",
    "group_care_manager",
    "sales_team.group_sale_manager",
}


def _rule_ids(prefix, *suffixes):
    return {f"{prefix}_rule_{suffix}" for suffix in suffixes}


TIERS = ("salesman", "all_leads", "company")
HELPDESK_TIERS = ("own", "team", "all", "company")
CARE_TIERS = ("salesman", "all_leads", "care_manager", "company")
KEPT_RULE_IDS = {
    "security/crm_lead_influencer_security.xml": _rule_ids(
        "crm_lead_influencer", *TIERS
    ),
    "security/crm_competitor_security.xml": _rule_ids("crm_competitor", "company")
    | _rule_ids("crm_lead_competitor", *TIERS)
    | _rule_ids("crm_competitor_report", *TIERS)
    | _rule_ids(
        "crm_swot_item",
        "salesman_read",
        "salesman_edit",
        "all_leads_read",
        "all_leads_edit",
        "manager",
        "company",
    ),
    "security/helpdesk_complaint_security.xml": _rule_ids(
        "helpdesk_complaint_category", "company"
    )
    | _rule_ids("helpdesk_complaint_priority", "company")
    | _rule_ids("helpdesk_complaint_keyword", "company")
    | _rule_ids("helpdesk_complaint_classifier", "company")
    | _rule_ids("helpdesk_complaint_root_cause", "company")
    | _rule_ids("helpdesk_complaint_step", *HELPDESK_TIERS)
    | _rule_ids("helpdesk_ticket_stage_history", *HELPDESK_TIERS)
    | _rule_ids("helpdesk_complaint_solution", "author", "manager", "company")
    | _rule_ids(
        "helpdesk_complaint_action",
        "owner",
        "quality_owner",
        "internal_user",
        "personal",
        "investigation",
        "team",
        "all",
        "company",
    )
    | _rule_ids(
        "helpdesk_complaint_investigation",
        "quality_owner",
        "helpdesk_user",
        "manager",
        "company",
    )
    | _rule_ids("helpdesk_ticket", "quality_owner")
    | _rule_ids(
        "helpdesk_complaint_report",
        "personal",
        "team",
        "all",
        "internal_user",
        "quality_owner",
        "company",
    ),
    "security/crm_funnel_security.xml": _rule_ids("crm_lead_stage_history", *TIERS)
    | _rule_ids("crm_funnel_report", *TIERS)
    | _rule_ids("crm_sales_target", *TIERS)
    | _rule_ids("crm_forecast_report", *TIERS)
    | _rule_ids("crm_sales_activity_report", *TIERS)
    | _rule_ids("crm_stage_aging_limit", "company")
    | _rule_ids("crm_team_mail_report", "company")
    | _rule_ids("crm_team_mail_report_log", "company"),
    "security/res_partner_analytics_security.xml": _rule_ids(
        "res_partner_value_history", "company"
    )
    | _rule_ids("crm_lead", "sale_reconciliation"),
    "security/crm_care_campaign_security.xml": _rule_ids(
        "crm_care_campaign", *CARE_TIERS
    )
    | _rule_ids("crm_care_campaign_occurrence", *CARE_TIERS)
    | _rule_ids("crm_care_campaign_member", *CARE_TIERS)
    | _rule_ids("crm_care_campaign_resource", *CARE_TIERS)
    | _rule_ids("crm_care_campaign_report", *CARE_TIERS),
}


def _records(path):
    """(xml id, model, noupdate) of every <record> of a data file of crm_360."""
    root = etree.parse(file_path(f"crm_360/{path}")).getroot()
    for record in root.iter("record"):
        noupdate = any(
            node.get("noupdate") in ("1", "True", "true")
            for node in record.iterancestors()
        )
        yield record.get("id"), record.get("model"), noupdate


@tagged("post_install", "-at_install")
class TestCrm360SecurityLayout(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data_files = get_manifest("crm_360")["data"]
        cls.xml_files = [path for path in cls.data_files if path.endswith(".xml")]

    def test_manifest_order(self):
        """Groups, then access rights, then one rule file per capability in order."""
        security = [path for path in self.data_files if path.startswith("security/")]
        self.assertEqual(security, [GROUPS_FILE, ACCESS_FILE, *RULE_FILES])
        self.assertEqual(self.data_files[: len(security)], security)
        folder = file_path("crm_360/security")
        self.assertEqual(
            {f"security/{name}" for name in os.listdir(folder)}, set(security)
        )

    def test_groups_declared_once(self):
        """Every category and group is declared once, in the groups file only."""
        declared = []
        for path in self.xml_files:
            for xml_id, model, noupdate in _records(path):
                if model in ("res.groups", "ir.module.category"):
                    self.assertEqual(path, GROUPS_FILE, xml_id)
                    self.assertFalse(noupdate, xml_id)
                    declared.append(xml_id)
        self.assertEqual(len(declared), len(set(declared)), declared)
        self.assertLessEqual(KEPT_GROUP_IDS, set(declared))
        self.assertEqual(
            {model for __, model, __ in _records(GROUPS_FILE)},
            {"res.groups", "ir.module.category"},
        )
        # What a group implies is said in its own record: the sales administrator
        # is a customer reviewer and a care manager.
        manager = self.env.ref("sales_team.group_sale_manager")
        for xml_id in ("crm_360.group_customer_reviewer", "crm_360.group_care_manager"):
            self.assertIn(self.env.ref(xml_id), manager.implied_ids)

    def test_rules_per_capability(self):
        """Each rule file holds only rules on its capability's models, not updated."""
        declared = {}
        for path in self.xml_files:
            for xml_id, model, noupdate in _records(path):
                if model != "ir.rule":
                    continue
                self.assertIn(path, RULE_FILES, xml_id)
                self.assertTrue(noupdate, xml_id)
                self.assertNotIn(xml_id, declared)
                declared[xml_id] = path
                rule = self.env.ref(f"crm_360.{xml_id}")
                self.assertIn(rule.model_id.model, RULE_FILES[path], xml_id)
        for path in RULE_FILES:
            self.assertTrue(
                all(model == "ir.rule" for __, model, __ in _records(path)),
                path,
            )
        # Every rule of crm_360 in the database comes from one of these files.
        in_database = self.env["ir.model.data"].search(
            [("module", "=", "crm_360"), ("model", "=", "ir.rule")]
        )
        self.assertEqual(set(in_database.mapped("name")), set(declared))

    def test_xml_ids_kept(self):
        """The xml ids of the former single file are all still declared, each in
        its capability's file."""
        for path, xml_ids in KEPT_RULE_IDS.items():
            declared = {xml_id for xml_id, __, __ in _records(path)}
            self.assertLessEqual(xml_ids, declared, path)
        self.assertEqual(sum(len(ids) for ids in KEPT_RULE_IDS.values()), 91)
