# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Users of every role the adversarial suite attacks with, and data of each.

Each role is a user with exactly the groups of the role. The data comes in
three "owners", labelled ``a``, ``b`` and ``cb``: what belongs to salesman A /
team A, to salesman B / team B, and to the salesman of the second company.
"""

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# role -> (groups, company: "a" or "b")
ROLES = {
    "salesman_a": ("base.group_user,sales_team.group_sale_salesman", "a"),
    "salesman_b": ("base.group_user,sales_team.group_sale_salesman", "a"),
    "all_leads": ("base.group_user,sales_team.group_sale_salesman_all_leads", "a"),
    "sale_manager": ("base.group_user,sales_team.group_sale_manager", "a"),
    "helpdesk_own": ("helpdesk_mgmt.group_helpdesk_user_own", "a"),
    "helpdesk_team": ("helpdesk_mgmt.group_helpdesk_user_team", "a"),
    "helpdesk_user": ("helpdesk_mgmt.group_helpdesk_user", "a"),
    "helpdesk_manager": ("helpdesk_mgmt.group_helpdesk_manager", "a"),
    "employee": ("base.group_user", "a"),
    "portal": ("base.group_portal", "a"),
    "reviewer": ("base.group_user,crm_360.group_customer_reviewer", "a"),
    "finance": ("base.group_user,crm_360.group_sale_reconciliation", "a"),
    "care_manager": ("base.group_user,crm_360.group_care_manager", "a"),
    "salesman_company_b": ("base.group_user,sales_team.group_sale_salesman", "b"),
}


class Crm360RolesCase(TransactionCase):
    """One user per role of :data:`ROLES` (``cls.users[role]``) and, for each
    owner ``a``, ``b``, ``cb``: an opportunity with an influencer, a competitor
    and a stage move; a complaint of a helpdesk team with a handling step; a
    care campaign with a member; a sales target. Built as superuser, no demo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "crm_360 Roles B"})
        companies = {"a": cls.company, "b": cls.company_b}
        cls.users = {}
        for role, (groups, company_key) in ROLES.items():
            company = companies[company_key]
            cls.users[role] = new_test_user(
                cls.env,
                login=f"c360_role_{role}",
                name=f"Role {role}",
                groups=groups,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )
        users = cls.users
        cls.owner_company = {"a": cls.company, "b": cls.company, "cb": cls.company_b}
        cls.salesman = {
            "a": users["salesman_a"],
            "b": users["salesman_b"],
            "cb": users["salesman_company_b"],
        }
        cls._build_sales()
        cls._build_complaints()
        cls._build_care()

    @classmethod
    def _build_sales(cls):
        Team = cls.env["crm.team"]
        cls.sales_team = {
            key: Team.with_company(cls.owner_company[key]).create(
                {
                    "name": f"Roles Team {key}",
                    "company_id": cls.owner_company[key].id,
                    "member_ids": [(6, 0, cls.salesman[key].ids)],
                }
            )
            for key in ("a", "b", "cb")
        }
        Stage = cls.env["crm.stage"]
        cls.stage_first = Stage.create({"name": "Roles First", "sequence": 1})
        cls.stage_second = Stage.create({"name": "Roles Second", "sequence": 2})
        rival = cls.env["res.partner"].create({"name": "Roles Rival Ltd"})
        competitor = cls.env["crm.competitor"].create({"partner_id": rival.id})
        cls.customer = {}
        cls.lead = {}
        cls.target = {}
        for key in ("a", "b", "cb"):
            company = cls.owner_company[key]
            customer = cls.env["res.partner"].create(
                {
                    "name": f"Roles Customer {key}",
                    "is_company": True,
                    "user_id": cls.salesman[key].id,
                }
            )
            contact = cls.env["res.partner"].create(
                {"name": f"Roles Contact {key}", "parent_id": customer.id}
            )
            lead = (
                cls.env["crm.lead"]
                .with_company(company)
                .create(
                    {
                        "name": f"Roles Deal {key}",
                        "type": "opportunity",
                        "partner_id": customer.id,
                        "user_id": cls.salesman[key].id,
                        "team_id": cls.sales_team[key].id,
                        "company_id": company.id,
                        "stage_id": cls.stage_first.id,
                        "expected_revenue": 1000.0,
                        "influencer_ids": [
                            (0, 0, {"partner_id": contact.id, "role": "economic"})
                        ],
                        "competitor_ids": [(0, 0, {"competitor_id": competitor.id})],
                    }
                )
            )
            lead.stage_id = cls.stage_second
            cls.customer[key] = customer
            cls.lead[key] = lead
            cls.target[key] = (
                cls.env["crm.sales.target"]
                .with_company(company)
                .create(
                    {
                        "user_id": cls.salesman[key].id,
                        "company_id": company.id,
                        "month": "2026-01-01",
                        "target_amount": 5000.0,
                    }
                )
            )

    @classmethod
    def _build_complaints(cls):
        users = cls.users
        HelpdeskTeam = cls.env["helpdesk.ticket.team"]
        cls.helpdesk_team = {
            "a": HelpdeskTeam.create(
                {
                    "name": "Roles Desk A",
                    "user_ids": [
                        (6, 0, (users["helpdesk_own"] | users["helpdesk_team"]).ids)
                    ],
                }
            ),
            "b": HelpdeskTeam.create({"name": "Roles Desk B"}),
            "cb": HelpdeskTeam.with_company(cls.company_b).create(
                {"name": "Roles Desk CB", "company_id": cls.company_b.id}
            ),
        }
        portal_partner = users["portal"].partner_id
        cls.ticket = {}
        for key, partner, user in (
            ("a", portal_partner, users["helpdesk_own"]),
            ("b", cls.customer["b"], cls.env["res.users"]),
            ("cb", cls.customer["cb"], cls.env["res.users"]),
        ):
            company = cls.owner_company[key]
            ticket = (
                cls.env["helpdesk.ticket"]
                .with_company(company)
                .create(
                    {
                        "name": f"Roles Complaint {key}",
                        "description": "<p>Broken.</p>",
                        "partner_id": partner.id,
                        "is_complaint": True,
                        "team_id": cls.helpdesk_team[key].id,
                        "user_id": user.id,
                        "company_id": company.id,
                    }
                )
            )
            cls.env["helpdesk.complaint.step"].create(
                {"ticket_id": ticket.id, "description": f"Visited {key}"}
            )
            cls.ticket[key] = ticket

    @classmethod
    def _build_care(cls):
        cls.campaign = {}
        for key in ("a", "b", "cb"):
            company = cls.owner_company[key]
            campaign = (
                cls.env["crm.care.campaign"]
                .with_company(company)
                .create(
                    {
                        "name": f"Roles Care {key}",
                        "campaign_type": "class",
                        "target_class": "all",
                        "company_id": company.id,
                        "user_id": cls.users["care_manager"].id
                        if key != "cb"
                        else False,
                    }
                )
            )
            occurrence = cls.env["crm.care.campaign.occurrence"].create(
                {"campaign_id": campaign.id, "date": "2026-06-01"}
            )
            cls.env["crm.care.campaign.member"].create(
                {
                    "campaign_id": campaign.id,
                    "occurrence_id": occurrence.id,
                    "partner_id": cls.customer[key].id,
                    "user_id": cls.salesman[key].id,
                }
            )
            cls.campaign[key] = campaign
