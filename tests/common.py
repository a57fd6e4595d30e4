# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every test of crm_360 shares: the user factory, the tour case, the base
on Odoo's ``BaseCommon`` and the sales pipeline. Each capability's own base and
set-up data live in ``common_<capability>.py``."""

from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon

# BaseCommon turns chatter and tracking off; a test of tracking turns it back on.
MAIL_CONTEXT_ON = dict.fromkeys(DISABLED_MAIL_CONTEXT, False)


class Crm360UserFactory:
    """The one user factory of the tests: users with exactly the groups under
    test, named after their login unless told otherwise."""

    @classmethod
    def _new_user(cls, login, groups="base.group_user", company=None, **values):
        """A user of ``groups`` (xml ids, comma-separated).

        ``company``: the user's only company (``company_ids`` in ``values``
        widens it); by default Odoo's (the current company). Other ``values``
        (name, tz, lang, ...) go to the user as they are.
        """
        values.setdefault("name", login.replace("_", " ").title())
        if company:
            values["company_id"] = company.id
            values.setdefault("company_ids", [(6, 0, company.ids)])
        return new_test_user(cls.env, login=login, groups=groups, **values)


class Crm360TourCase(Crm360UserFactory, HttpCase):
    """An HttpCase whose Chromium may take up to a minute to start.

    Odoo gives Chromium 10 s to publish its DevTools port and otherwise
    *skips* the tour.  On a busy two-core CI machine with a cold disk cache
    the first start can take longer; a skipped tour proves nothing, so wait.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch("odoo.tests.common.CHECK_BROWSER_ITERATIONS", 600))


class Crm360Common(Crm360UserFactory, BaseCommon):
    """Odoo's ``BaseCommon`` (mail tracking off, company in a known currency)
    with the user factory: the root of every capability's base."""


class Crm360SalesCommon(Crm360Common):
    """The sales pipeline every capability of crm_360 works on: a second
    company, users of each sales group, a team, stages, a customer with its
    contacts and opportunities of several owners.

    Everything is built here; no test relies on demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "crm_360 Branch B"})

        cls.user_own = cls._new_user(
            "c360_own", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_own_2 = cls._new_user(
            "c360_own_2", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.user_all = cls._new_user(
            "c360_all", "base.group_user,sales_team.group_sale_salesman_all_leads"
        )
        cls.user_manager = cls._new_user(
            "c360_manager", "base.group_user,sales_team.group_sale_manager"
        )
        cls.user_company_b = cls._new_user(
            "c360_company_b",
            "base.group_user,sales_team.group_sale_salesman_all_leads",
            company=cls.company_b,
        )
        cls.user_internal = cls._new_user("c360_internal", "base.group_user")

        cls.team = cls.env["crm.team"].create(
            {"name": "CUTE Team", "user_id": cls.user_manager.id}
        )
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.create({"name": "C360 New", "sequence": 1})
        cls.stage_proposal = Stage.create({"name": "C360 Proposal", "sequence": 2})
        cls.stage_negotiation = Stage.create(
            {"name": "C360 Negotiation", "sequence": 3}
        )
        cls.stage_won = Stage.create(
            {"name": "C360 Won", "sequence": 9, "is_won": True}
        )

        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Huaxin Machinery", "is_company": True})
        cls.p_economic = Partner.create(
            {"name": "王建国", "parent_id": cls.customer.id, "function": "CFO"}
        )
        cls.p_user = Partner.create({"name": "Li Na", "parent_id": cls.customer.id})
        cls.p_technical = Partner.create(
            {"name": "Chen Lei", "parent_id": cls.customer.id}
        )
        cls.p_coach = Partner.create({"name": "Zhao Min", "parent_id": cls.customer.id})

        Lead = cls.env["crm.lead"]
        lead_vals = {
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
        }
        cls.lead_own = Lead.create(
            dict(lead_vals, name="Own deal", user_id=cls.user_own.id)
        )
        cls.lead_other = Lead.create(
            dict(lead_vals, name="Someone else's deal", user_id=cls.user_own_2.id)
        )
        cls.lead_unassigned = Lead.create(
            dict(lead_vals, name="Unassigned deal", user_id=False)
        )
        cls.lead_company_b = Lead.create(
            dict(
                lead_vals,
                name="Branch B deal",
                user_id=cls.user_company_b.id,
                company_id=cls.company_b.id,
                team_id=False,
            )
        )

    @classmethod
    def _new_lead(cls, name="Deal", influencers=(), **vals):
        """An opportunity in stage New; ``influencers``: (partner, role, extra)."""
        lead_vals = {
            "name": name,
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "stage_id": cls.stage_new.id,
            "user_id": cls.user_own.id,
            "influencer_ids": [
                (0, 0, dict({"partner_id": partner.id, "role": role}, **extra))
                for partner, role, extra in influencers
            ],
        }
        lead_vals.update(vals)
        return cls.env["crm.lead"].create(lead_vals)
