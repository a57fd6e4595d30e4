# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where the capabilities of crm_360 live on the core models several of them extend
(issue 18): each capability's fields in a file named for it, each capability's
screens in a view file named for it with their xml ids kept, and a manifest data
list in which every record is declared before a record refers to it."""

import importlib
import re

from lxml import etree

from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from ..models.base import is_crm360_field

# Model file -> (model, the fields it declares). Together, every field crm_360 adds
# to these models.
FIELDS_BY_FILE = {
    "res_partner_cute": (
        "res.partner",
        {"influencer_ids", "buying_role_count"},
    ),
    "res_partner_complaint": ("res.partner", {"complaint_open_count"}),
    "res_partner_analytics": (
        "res.partner",
        {
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
            "customer_assessment_company",
            "customer_analytics_digest",
            "customer_analytics_date",
            "customer_team_id",
            "customer_value_history_ids",
        },
    ),
    "res_partner_master": (
        "res.partner",
        {
            "customer_type",
            "customer_assessment",
            "customer_assessment_suggested",
            "customer_assessment_manual",
            "first_review_done",
            "first_reviewer_id",
            "first_review_date",
            "second_review_done",
            "second_reviewer_id",
            "second_review_date",
            "duplicate_partner_ids",
            "duplicate_match_info",
            "duplicate_override_reason",
            "duplicate_override_user_id",
            "duplicate_override_date",
        },
    ),
    "crm_team_competitor": (
        "crm.team",
        {"lost_competitor_required", "lost_factor_required"},
    ),
    "crm_team_funnel": ("crm.team", {"mail_report_ids", "stage_aging_limit_ids"}),
    "res_company_complaint": (
        "res.company",
        {
            "complaint_coupon_program_id",
            "complaint_recurrence_threshold",
            "complaint_recurrence_days",
            "complaint_quality_user_id",
        },
    ),
    "res_company_customer_value": (
        "res.company",
        {
            "customer_rfm_window_days",
            "customer_tier_top_percent",
            "customer_tier_vip_percent",
            "customer_tier_normal_percent",
            "customer_matrix_growth_percent",
            "customer_matrix_margin_amount",
            "customer_lifecycle_window_days",
            "customer_lifecycle_lapse_days",
            "customer_lifecycle_change_percent",
            "crm_reconciliation_tolerance",
        },
    ),
    "res_company_care": ("res.company", {"care_budget_policy"}),
    "res_config_settings_cute": (
        "res.config.settings",
        {
            "cute_weight_economic",
            "cute_weight_user",
            "cute_weight_technical",
            "cute_weight_coach",
            "cute_weight_economic_engaged",
            "cute_weight_multi_thread",
            "cute_penalty_opponent",
            "cute_penalty_stale",
            "cute_stale_days",
            "cute_at_risk_below",
        },
    ),
    "res_config_settings_complaint": (
        "res.config.settings",
        {
            "complaint_coupon_program_id",
            "complaint_recurrence_threshold",
            "complaint_recurrence_days",
            "complaint_quality_user_id",
            "complaint_suggestion_min_percent",
            "complaint_classifier_accuracy",
            "complaint_classifier_samples",
            "complaint_classifier_heldout",
            "complaint_classifier_trained",
        },
    ),
    "res_config_settings_customer_value": (
        "res.config.settings",
        {
            "customer_rfm_window_days",
            "customer_lifecycle_window_days",
            "customer_lifecycle_lapse_days",
            "customer_tier_top_percent",
            "customer_tier_vip_percent",
            "customer_tier_normal_percent",
            "customer_matrix_growth_percent",
            "customer_matrix_margin_amount",
            "customer_lifecycle_change_percent",
            "crm_reconciliation_tolerance",
        },
    ),
    "res_config_settings_care": ("res.config.settings", {"care_budget_policy"}),
}

# View file -> the xml ids it declares (those of the former res_partner_views.xml and
# res_config_settings_views.xml, kept: saved views and integrators refer to them).
VIEWS_BY_FILE = {
    "views/res_partner_views.xml": {"res_partner_view_form"},
    "views/res_partner_analytics_views.xml": {
        "res_partner_view_form_customer_value",
        "res_partner_view_list_customer_value",
        "res_partner_view_kanban_customer_value",
        "res_partner_view_search_customer_value",
        "res_partner_view_pivot_customer_value",
        "res_partner_view_graph_customer_value",
        "res_partner_view_kanban_value_matrix",
        "res_partner_action_customer_value",
        "res_partner_action_refresh_customer_analytics",
    },
    "views/res_partner_master_views.xml": {
        "res_partner_view_form_customer_master",
        "res_partner_view_list_customer_master",
        "res_partner_view_kanban_customer_master",
        "res_partner_view_search_customer_master",
        "contacts.action_contacts",
        "base.action_partner_form",
        "account.res_partner_action_customer",
    },
    "views/res_config_settings_views.xml": {"res_config_settings_view_form"},
    "views/res_config_settings_complaint_views.xml": {
        "res_config_settings_view_form_complaint"
    },
}

# How a data file refers to another record: attributes holding xml ids, and the
# %(xml_id)d / ref('xml_id') forms inside attribute values and field texts.
REF_ATTRIBUTES = ("ref", "parent", "action", "inherit_id", "groups")
REF_PATTERN = re.compile(r"%\(([\w.]+)\)d|ref\(['\"]([\w.]+)['\"]\)")


def _full_id(xml_id):
    xml_id = xml_id.strip().lstrip("!")
    return xml_id if "." in xml_id else f"crm_360.{xml_id}"


def _declared_and_referred(path):
    """The xml ids a data file of crm_360 declares, and those it refers to."""
    root = etree.parse(file_path(f"crm_360/{path}")).getroot()
    declared, referred = set(), set()
    for node in root.iter(tag=etree.Element):
        if node.tag in ("record", "menuitem", "template") and node.get("id"):
            declared.add(_full_id(node.get("id")))
        for attribute in REF_ATTRIBUTES:
            referred.update(
                _full_id(xml_id)
                for xml_id in (node.get(attribute) or "").split(",")
                if xml_id.strip()
            )
        for text in [*node.attrib.values(), node.text or ""]:
            for match in REF_PATTERN.finditer(text):
                referred.add(_full_id(match.group(1) or match.group(2)))
    return declared, referred


@tagged("post_install", "-at_install")
class TestCrm360ModelLayout(TransactionCase):
    def test_fields_by_capability(self):
        """Each capability's fields on a shared core model are declared in the file
        named for it, and those files hold all the fields crm_360 adds there."""
        by_model = {}
        for module_name, (model_name, fnames) in FIELDS_BY_FILE.items():
            module = importlib.import_module(
                f"odoo.addons.crm_360.models.{module_name}"
            )
            classes = [
                cls
                for cls in vars(module).values()
                if isinstance(cls, type)
                and list(getattr(cls, "_inherit", ())) == [model_name]
            ]
            self.assertEqual(len(classes), 1, module_name)
            declared = {
                name
                for name, value in vars(classes[0]).items()
                if isinstance(value, fields.Field)
            }
            self.assertEqual(declared, fnames, module_name)
            by_model.setdefault(model_name, set()).update(fnames)
        for model_name, fnames in by_model.items():
            ours = {
                name
                for name, field in self.env[model_name]._fields.items()
                if is_crm360_field(field)
            }
            self.assertEqual(ours, fnames, model_name)

    def test_views_by_capability(self):
        """The screens of res.partner and of the settings sit in one file per
        capability, with the xml ids they always had, all in the manifest."""
        data = get_manifest("crm_360")["data"]
        for path, xml_ids in VIEWS_BY_FILE.items():
            self.assertIn(path, data)
            declared, __ = _declared_and_referred(path)
            self.assertEqual(declared, {_full_id(xml_id) for xml_id in xml_ids}, path)
            for xml_id in xml_ids:
                self.assertTrue(self.env.ref(_full_id(xml_id), False), xml_id)
        # Both extend the partner form at the same priority: the customer value
        # tab comes first, as before the split.
        self.assertLess(
            data.index("views/res_partner_analytics_views.xml"),
            data.index("views/res_partner_master_views.xml"),
        )
        self.assertLess(
            self.env.ref("crm_360.res_partner_view_form_customer_value").id,
            self.env.ref("crm_360.res_partner_view_form_customer_master").id,
        )

    def test_manifest_refers_backwards(self):
        """Every crm_360 record a data file refers to (a parent view, an action, a
        group, a menu) is declared by that file or an earlier one."""
        data = [
            path for path in get_manifest("crm_360")["data"] if path.endswith(".xml")
        ]
        files = {path: _declared_and_referred(path) for path in data}
        declared_anywhere = set().union(*(declared for declared, __ in files.values()))
        declared_before = set()
        for path in data:
            declared, referred = files[path]
            declared_before |= declared
            later = (referred & declared_anywhere) - declared_before
            self.assertFalse(later, path)
        # A parent view declared after its child would be refused at install: the
        # check above sees parents (inherit_id) too.
        self.assertIn(
            "crm_360.helpdesk_ticket_view_form",
            files["views/helpdesk_ticket_remedy_views.xml"][1],
        )
