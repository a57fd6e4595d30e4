# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reads served by a PostgreSQL replica.

Odoo 18 runs the RPC methods marked ``@api.readonly`` and the read-only routes
on a read-only cursor, on the replica when ``--db_replica_host`` is set. Every
such method of crm_360 must run there without writing, and the screens' read
buttons (``action_view_*``/``action_open_*``) must be among them.
"""

import inspect
import io
import json
from unittest.mock import patch

from openpyxl import load_workbook
from werkzeug.urls import url_encode

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_360.controllers.report_download import (
    crm360_xlsx_report_name,
)

from .common import Crm360UserFactory

# (model, method): how the test calls it; every crm_360 method marked
# @api.readonly must be listed here.
READONLY_CALLS = {
    ("crm.care.campaign", "action_view_target"): "campaign",
    ("crm.care.campaign", "action_view_members"): "campaign",
    ("crm.care.campaign", "action_view_mailings"): "campaign",
    ("crm.care.campaign", "action_view_gift_orders"): "campaign",
    ("crm.care.campaign", "action_view_coupons"): "campaign",
    ("crm.care.campaign.member", "action_open_partner"): "member",
    ("crm.competitor", "action_view_swot_matrix"): "competitor",
    ("crm.competitor", "action_view_deals"): "competitor",
    ("res.partner", "action_view_buying_roles"): "partner",
    ("res.partner", "action_view_complaints"): "partner",
    ("helpdesk.ticket", "action_view_complaint_solutions"): "ticket",
    ("helpdesk.ticket", "action_view_complaint_credit_notes"): "ticket",
    ("helpdesk.ticket", "action_view_complaint_returns"): "ticket",
    ("helpdesk.ticket", "action_view_complaint_replacement_orders"): "ticket",
    ("helpdesk.ticket", "action_view_complaint_coupons"): "ticket",
    ("helpdesk.complaint.investigation", "action_view_complaints"): "investigation",
    ("helpdesk.complaint.report", "read_group"): "report",
    ("crm.lead", "action_view_swot_matrix"): "lead",
    ("crm.lead", "action_view_complaints"): "lead",
    ("crm.lead", "action_view_erp_deliveries"): "lead",
    ("crm.lead", "action_view_erp_invoices"): "lead",
    ("crm.lead", "action_view_stage_history"): "lead",
    ("stage.history.mixin", "action_view_stage_history"): "lead",
    ("helpdesk.ticket", "action_view_stage_history"): "ticket",
    ("crm.lead.competitor", "action_view_swot_matrix"): "lead_competitor",
}

NOT_MARKED_YET = set()
# Buttons named like read buttons that write: they stay on the primary.
WRITES = {
    ("crm.lead", "action_open_influencer_memory"): "creates the memory wizard",
}


def crm360_methods(env):
    """{(model, method name): function} of the public methods crm_360 defines."""
    methods = {}
    for model_name in env.registry:
        for cls in type(env[model_name]).mro():
            if not getattr(cls, "__module__", "").startswith("odoo.addons.crm_360."):
                continue
            for name, function in vars(cls).items():
                if name.startswith("_") or not inspect.isfunction(function):
                    continue
                methods.setdefault((model_name, name), function)
    return methods


@tagged("post_install", "-at_install")
class TestCrm360ReadonlyMethods(Crm360UserFactory, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._new_user(
            "c360_ro_manager",
            "sales_team.group_sale_manager,helpdesk_mgmt.group_helpdesk_manager,"
            "crm_360.group_care_manager,account.group_account_invoice,"
            "stock.group_stock_user",
        )
        env = cls.env
        cls.partner = env["res.partner"].create(
            {"name": "Readonly Customer", "is_company": True}
        )
        cls.records = {
            "partner": cls.partner,
            "competitor": env["crm.competitor"].create(
                {
                    "partner_id": env["res.partner"]
                    .create({"name": "Readonly Rival", "is_company": True})
                    .id
                }
            ),
            "ticket": env["helpdesk.ticket"].create(
                {
                    "name": "Readonly complaint",
                    "description": "Late delivery",
                    "is_complaint": True,
                    "partner_id": cls.partner.id,
                }
            ),
            "investigation": env["helpdesk.complaint.investigation"].create({}),
            "report": env["helpdesk.complaint.report"],
        }
        lead = env["crm.lead"].create(
            {
                "name": "Readonly deal",
                "type": "opportunity",
                "partner_id": cls.partner.id,
            }
        )
        cls.records["lead"] = lead
        cls.records["lead_competitor"] = env["crm.lead.competitor"].create(
            {"lead_id": lead.id, "competitor_id": cls.records["competitor"].id}
        )
        campaign = env["crm.care.campaign"].create(
            {
                "name": "Readonly care",
                "campaign_type": "personal",
                "user_id": cls.manager.id,
            }
        )
        cls.records["campaign"] = campaign
        cls.records["member"] = env["crm.care.campaign.member"].create(
            {
                "campaign_id": campaign.id,
                "partner_id": cls.partner.id,
                "occurrence_id": env["crm.care.campaign.occurrence"]
                .create({"campaign_id": campaign.id, "date": "2026-03-02"})
                .id,
            }
        )

    def _call(self, env, model, method):
        records = self.records[READONLY_CALLS[(model, method)]].with_env(env)
        if method == "read_group":
            return records.read_group(
                [], ["nbr:sum", "cumulative_share:sum"], ["complaint_category_id"]
            )
        return getattr(records, method)()

    def test_readonly_methods_listed(self):
        methods = crm360_methods(self.env)
        marked = {
            key
            for key, function in methods.items()
            if function.__dict__.get("_readonly")
        }
        self.assertEqual(marked, set(READONLY_CALLS), "every read-only method is run")
        buttons = {
            key
            for key in methods
            if key[1].startswith(("action_view_", "action_open_"))
        }
        self.assertEqual(
            buttons - marked - NOT_MARKED_YET - set(WRITES),
            set(),
            "read buttons run on the replica",
        )
        self.assertEqual(NOT_MARKED_YET & marked, set(), "remove them from the list")

    def test_readonly_methods_run_on_a_readonly_cursor(self):
        """Each one, as Odoo's RPC runs it with a replica: a read-only cursor
        whose commit flushes (a pending write would fail there)."""
        for model, method in READONLY_CALLS:
            with self.subTest(model=model, method=method):
                with self.registry.cursor(readonly=True) as cr:
                    self.assertTrue(cr.readonly)
                    env = self.env(cr=cr, user=self.manager)
                    self.assertTrue(self._call(env, model, method) is not None)
                    env.flush_all()

    def test_xlsx_download_on_a_readonly_cursor(self):
        """crm_360's XLSX exports are downloaded on a read-only cursor; PDFs and
        other modules' reports keep Odoo's read/write route."""
        report = "crm_360.crm_funnel_report_xlsx"
        options = json.dumps({"domain": [["lead_id", "=", 0]]})
        data = json.dumps([f"/report/xlsx/{report}?options={options}", "xlsx"])
        self.assertEqual(crm360_xlsx_report_name(data), report)
        for other in (
            json.dumps(
                ["/report/pdf/crm_360.crm_funnel_summary_document/1", "qweb-pdf"]
            ),
            json.dumps(["/report/xlsx/other.report_xlsx", "xlsx"]),
            "not json",
        ):
            self.assertIsNone(crm360_xlsx_report_name(other))

        Xlsx = type(self.env["report." + report])
        original = Xlsx.generate_xlsx_report
        cursors = []

        def generate(this, workbook, data, objects):
            cursors.append(this.env.cr.readonly)
            return original(this, workbook, data, objects)

        self.authenticate("c360_ro_manager", "c360_ro_manager")
        with patch.object(Xlsx, "generate_xlsx_report", generate):
            response = self.url_open(
                "/report/download?" + url_encode({"data": data, "context": "{}"})
            )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(cursors, [True])
        book = load_workbook(io.BytesIO(response.content))
        self.assertIn("Funnel", book.sheetnames)
