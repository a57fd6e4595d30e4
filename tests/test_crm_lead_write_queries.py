# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from .common_cute import CuteCommon


@tagged("post_install", "-at_install")
class TestCrmLeadWriteQueries(CuteCommon):
    """What crm_360 costs on everyday writes of opportunities: assignment, mass
    edit, import and stage moves make no query of crm_360 per opportunity (the
    count of crm_360's queries is the same for 3 deals and for 9), and a write
    that changes no stage touches no stage history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_b = cls.env["crm.team"].create({"name": "Perf Team B"})
        cls.factor = cls.env.ref("crm_360.crm_swot_factor_price")
        cls.competitor = cls.env["crm.competitor"].create(
            {
                "partner_id": cls.env["res.partner"]
                .create({"name": "Rival Works", "is_company": True})
                .id
            }
        )
        cls.leads = cls.env["crm.lead"]
        for index in range(9):
            lead = cls._new_lead(
                name=f"Perf deal {index}",
                influencers=[(cls.p_economic, "economic", {})],
            )
            line = cls.env["crm.lead.competitor"].create(
                {"lead_id": lead.id, "competitor_id": cls.competitor.id}
            )
            cls.env["crm.swot.item"].create(
                {
                    "lead_competitor_id": line.id,
                    "quadrant": "strength",
                    "factor_id": cls.factor.id,
                }
            )
            cls.leads |= lead
        # crm_360's own tables: a query naming one of them is crm_360's.
        tables = {
            model._table
            for model in cls.env.registry.values()
            if model._original_module == "crm_360"
            and not model._abstract
            and model._auto
        }
        cls.crm_360_tables = re.compile(
            r'\b"?({})"?\b'.format("|".join(sorted(map(re.escape, tables))))
        )

    def _queries(self, func):
        """The queries ``func`` makes, flushed, from a cold cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        queries = []
        execute = Cursor.execute

        def record(cursor, query, params=None, log_exceptions=None):
            queries.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", record):
            func()
            self.env.flush_all()
        return queries

    def _crm_360_queries(self, func):
        return [q for q in self._queries(func) if self.crm_360_tables.search(q)]

    def assertCrm360CostFlat(self, action):
        """``action(leads)`` costs as many crm_360 queries on 3 deals as on 9."""
        few = self._crm_360_queries(lambda: action(self.leads[:3]))
        many = self._crm_360_queries(lambda: action(self.leads[3:]))
        self.assertEqual(
            len(many),
            len(few),
            "crm_360 queries grow with the deals written:\n{}".format("\n".join(many)),
        )

    def test_assignment_one_deal_at_a_time(self):
        """Lead assignment writes each deal on its own (salesperson and team)."""

        def assign(leads):
            for lead in leads:
                lead.write({"user_id": self.user_own_2.id, "team_id": self.team_b.id})

        self.assertCrm360CostFlat(assign)

    def test_assignment_no_stage_history(self):
        """An assignment changes no stage: nothing of the stage history is read
        or written."""
        history_before = self.env["crm.lead.stage.history"].search_count(
            [("lead_id", "in", self.leads.ids)]
        )
        queries = self._queries(
            lambda: [
                lead.write({"user_id": self.user_own_2.id, "team_id": self.team_b.id})
                for lead in self.leads
            ]
        )
        self.assertFalse([q for q in queries if "crm_lead_stage_history" in q])
        self.assertEqual(
            self.env["crm.lead.stage.history"].search_count(
                [("lead_id", "in", self.leads.ids)]
            ),
            history_before,
        )
        self.assertEqual(set(self.leads.mapped("stage_id")), {self.stage_new})

    def test_mass_edit(self):
        self.assertCrm360CostFlat(
            lambda leads: leads.write(
                {"user_id": self.user_all.id, "partner_id": self.p_coach.id}
            )
        )

    def test_mass_stage_move(self):
        """Moving deals in one write (a kanban move of a selection) records each
        move, in a constant number of queries."""
        self.assertCrm360CostFlat(
            lambda leads: leads.write({"stage_id": self.stage_proposal.id})
        )
        moves = self.env["crm.lead.stage.history"].search(
            [("lead_id", "in", self.leads.ids), ("event", "=", "stage")]
        )
        self.assertEqual(moves.lead_id, self.leads)
        self.assertEqual(set(moves.mapped("stage_to_id")), {self.stage_proposal})

    def test_import(self):
        """Creating deals in one call (an import) costs crm_360 a constant
        number of queries."""

        def create(leads):
            self.env["crm.lead"].create(
                [
                    {
                        "name": f"Imported {lead.name}",
                        "type": "opportunity",
                        "team_id": self.team.id,
                        "user_id": self.user_own.id,
                        "partner_id": self.customer.id,
                    }
                    for lead in leads
                ]
            )

        self.assertCrm360CostFlat(create)

    def test_swot_item_company_follows_the_deal(self):
        """A deal's SWOT items belong to the deal's company, the general SWOT to
        the competitor's."""
        lead = self.leads[0]
        general = self.env["crm.swot.item"].create(
            {
                "competitor_id": self.competitor.id,
                "quadrant": "weakness",
                "factor_id": self.factor.id,
            }
        )
        items = lead.competitor_ids.swot_item_ids
        self.assertEqual(items.company_id, self.company)
        lead.write(
            {
                "team_id": False,
                "user_id": self.user_company_b.id,
                "company_id": self.company_b.id,
            }
        )
        self.assertEqual(items.company_id, self.company_b)
        self.assertFalse(general.company_id)
