# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged, users
from odoo.tools import mute_logger

from .common_cute import CuteCommon


@tagged("post_install", "-at_install")
class TestCrmLeadInfluencerAccess(CuteCommon):
    """Influencers follow their opportunity's record rules, user by user."""

    def _assert_allowed(self, influencer, lead):
        Influencer = self.env["crm.lead.influencer"]
        influencer = influencer.with_env(self.env)
        self.assertTrue(influencer.read(["role", "partner_id"]))
        self.assertIn(influencer, Influencer.search([("lead_id", "=", lead.id)]))
        influencer.write({"attitude": "supporter", "concerns": "Budget"})
        created = Influencer.create(
            {"lead_id": lead.id, "partner_id": self.p_coach.id, "role": "coach"}
        )
        self.assertEqual(created.lead_id, lead)
        created.unlink()

    def _assert_denied(self, influencer, lead):
        Influencer = self.env["crm.lead.influencer"]
        influencer = influencer.with_env(self.env)
        self.assertNotIn(influencer, Influencer.search([]))
        self.assertFalse(Influencer.search_count([("lead_id", "=", lead.id)]))
        with self.assertRaises(AccessError):
            influencer.read(["role"])
        with self.assertRaises(AccessError):
            influencer.write({"attitude": "opponent"})
        with self.assertRaises(AccessError):
            influencer.unlink()
        with self.assertRaises(AccessError):
            Influencer.create(
                {"lead_id": lead.id, "partner_id": self.p_coach.id, "role": "coach"}
            )
        # Nothing leaked through the lead's one2many either.
        with self.assertRaises(AccessError):
            lead.with_env(self.env).influencer_ids.mapped("role")

    @users("c360_own")
    def test_salesman_own_documents(self):
        self._assert_allowed(self.inf_own, self.lead_own)
        self._assert_allowed(self.inf_unassigned, self.lead_unassigned)
        self._assert_denied(self.inf_other, self.lead_other)
        self._assert_denied(self.inf_company_b, self.lead_company_b)
        # Re-pointing an own influencer to someone else's lead is refused.
        coach = self.env["crm.lead.influencer"].create(
            {
                "lead_id": self.lead_own.id,
                "partner_id": self.p_coach.id,
                "role": "coach",
            }
        )
        with self.assertRaises(AccessError):
            coach.write({"lead_id": self.lead_other.id})
        self.assertEqual(coach.lead_id, self.lead_own)

    @users("c360_all")
    def test_salesman_all_leads(self):
        self._assert_allowed(self.inf_own, self.lead_own)
        self._assert_allowed(self.inf_other, self.lead_other)
        self._assert_denied(self.inf_company_b, self.lead_company_b)

    @users("c360_manager")
    def test_sales_manager(self):
        self._assert_allowed(self.inf_other, self.lead_other)
        self._assert_allowed(self.inf_unassigned, self.lead_unassigned)
        self._assert_denied(self.inf_company_b, self.lead_company_b)

    @users("c360_company_b")
    def test_user_of_another_company(self):
        self._assert_allowed(self.inf_company_b, self.lead_company_b)
        self._assert_denied(self.inf_own, self.lead_own)
        self._assert_denied(self.inf_other, self.lead_other)

    @users("c360_internal")
    def test_internal_user_without_sales_rights(self):
        Influencer = self.env["crm.lead.influencer"]
        with self.assertRaises(AccessError):
            Influencer.search([])
        with self.assertRaises(AccessError):
            self.inf_unassigned.with_env(self.env).read(["role"])
        with self.assertRaises(AccessError):
            self.inf_unassigned.with_env(self.env).write({"role": "user"})
        with self.assertRaises(AccessError):
            self.inf_unassigned.with_env(self.env).unlink()
        with self.assertRaises(AccessError):
            Influencer.create(
                {
                    "lead_id": self.lead_unassigned.id,
                    "partner_id": self.p_coach.id,
                    "role": "coach",
                }
            )
        with self.assertRaises(AccessError):
            self.env["crm.lead.influencer.memory"].create(
                {"lead_id": self.lead_unassigned.id}
            )

    @users("c360_own")
    def test_lost_lead_influencers_stay_visible(self):
        self.lead_own.with_env(self.env).action_set_lost()
        self.assertEqual(self.inf_own.with_env(self.env).role, "economic")

    @users("c360_own")
    def test_influence_memory_respects_rules(self):
        """The wizard never proposes influencers from opportunities one cannot open."""
        self.env["crm.lead.influencer"].sudo().create(
            {
                "lead_id": self.lead_other.id,
                "partner_id": self.p_user.id,
                "role": "user",
            }
        )
        lead = self.lead_own.with_env(self.env)
        wizard = self.env["crm.lead.influencer.memory"].create({"lead_id": lead.id})
        self.assertNotIn(self.p_user, wizard.line_ids.partner_id)
        self.assertFalse(wizard.line_ids.source_lead_id & self.lead_other)

    def _meeting(self, **vals):
        now = fields.Datetime.now()
        return self.env["calendar.event"].create(
            dict(
                {
                    "name": "Site visit",
                    "start": now - timedelta(days=3),
                    "stop": now - timedelta(days=3, hours=-1),
                    "partner_ids": [(6, 0, self.p_economic.ids)],
                },
                **vals,
            )
        )

    @users("c360_internal", "c360_own")
    def test_meeting_link_needs_write_on_opportunity(self):
        """Linking a meeting to an opportunity one may not change is refused,
        and leaves its influencers' contacts and coverage as they were."""
        inf_other = self.inf_other.sudo()
        before = (inf_other.last_contact_date, inf_other.lead_id.cute_score)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            self._meeting(opportunity_id=self.lead_other.id)
        meeting = self._meeting()
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            meeting.write({"opportunity_id": self.lead_other.id})
        self.assertFalse(meeting.opportunity_id)
        self.assertEqual(
            (inf_other.last_contact_date, inf_other.lead_id.cute_score), before
        )

    @users("c360_own")
    def test_meeting_linked_to_own_opportunity(self):
        meeting = self._meeting(opportunity_id=self.lead_own.id)
        self.assertEqual(meeting.opportunity_id, self.lead_own)
        self.assertEqual(
            self.inf_own.with_env(self.env).last_contact_date,
            meeting.start.date(),
        )
        other = self._meeting()
        other.write({"opportunity_id": self.lead_unassigned.id})
        self.assertEqual(
            self.inf_unassigned.with_env(self.env).last_contact_date,
            other.start.date(),
        )

    @users("c360_internal")
    def test_meeting_of_others_opportunity_not_refreshed_by_attendee(self):
        """Moving a meeting linked (by its salesman) to an opportunity the user
        may not change does not refresh that opportunity's influencers."""
        meeting = self._meeting().sudo()
        meeting.opportunity_id = self.lead_other
        contact = self.inf_other.sudo().last_contact_date
        now = fields.Datetime.now()
        meeting.with_env(self.env).write(
            {"start": now - timedelta(days=1), "stop": now - timedelta(hours=23)}
        )
        self.assertEqual(self.inf_other.sudo().last_contact_date, contact)

    @users("c360_own")
    def test_influence_memory_lines_refuse_unreadable_sources(self):
        """Ids of another salesman's opportunity or influencer given to the
        wizard or its lines are refused, never shown."""
        Memory = self.env["crm.lead.influencer.memory"]
        Line = self.env["crm.lead.influencer.memory.line"]
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            Memory.create({"lead_id": self.lead_other.id})
        wizard = Memory.create({"lead_id": self.lead_own.id})
        line_vals = {
            "wizard_id": wizard.id,
            "partner_id": self.p_coach.id,
            "role": "coach",
        }
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            Line.create(dict(line_vals, source_influencer_id=self.inf_other.id))
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            Line.create(dict(line_vals, source_influencer_id=self.inf_company_b.id))
        line = Line.create(dict(line_vals, source_influencer_id=self.inf_own.id))
        self.assertEqual(line.source_lead_id, self.lead_own)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            line.write({"source_influencer_id": self.inf_other.id})
        self.assertEqual(line.source_influencer_id, self.inf_own)
        self.assertNotIn(self.lead_other.name, str(wizard.line_ids.read()))

    @users("c360_own")
    def test_influence_memory_proposes_only_readable_opportunities(self):
        """An own-documents salesman is proposed influencers only from the
        earlier opportunities he may read (own and unassigned)."""
        Influencer = self.env["crm.lead.influencer"].sudo()
        Influencer.create(
            {
                "lead_id": self.lead_other.id,
                "partner_id": self.p_user.id,
                "role": "economic",
            }
        )
        Influencer.create(
            {
                "lead_id": self.lead_unassigned.id,
                "partner_id": self.p_coach.id,
                "role": "economic",
            }
        )
        new = self.env["crm.lead"].create(
            {
                "name": "Next deal",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.env.user.id,
            }
        )
        wizard = self.env["crm.lead.influencer.memory"].create({"lead_id": new.id})
        self.assertIn(self.p_coach, wizard.line_ids.partner_id)
        self.assertNotIn(self.p_user, wizard.line_ids.partner_id)
        self.assertTrue(wizard.line_ids.source_lead_id)
        self.assertFalse(
            wizard.line_ids.source_lead_id - (self.lead_own | self.lead_unassigned)
        )

    @users("c360_own")
    def test_brief_report_respects_rules(self):
        report = self.env["ir.actions.report"]
        with self.assertRaises(AccessError):
            report._render_qweb_html(
                "crm_360.crm_lead_brief_document", self.lead_other.ids
            )


@tagged("post_install", "-at_install")
class TestCrmLeadInfluencerRpc(HttpCase, CuteCommon):
    """The same rules hold for JSON-RPC calls, as a browser or a script makes them."""

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    @mute_logger("odoo.http")
    def test_rpc_on_another_salesmans_lead(self):
        self.authenticate("c360_own", "c360_own")
        reply = self._call_kw(
            "crm.lead.influencer",
            "write",
            [self.inf_other.ids, {"attitude": "opponent"}],
        )
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        reply = self._call_kw(
            "crm.lead.influencer", "read", [self.inf_other.ids, ["role"]]
        )
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        reply = self._call_kw(
            "crm.lead.influencer",
            "create",
            [
                {
                    "lead_id": self.lead_other.id,
                    "partner_id": self.p_coach.id,
                    "role": "coach",
                }
            ],
        )
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        reply = self._call_kw(
            "crm.lead.influencer", "search_read", [[]], {"fields": ["lead_id"]}
        )
        seen = {row["lead_id"][0] for row in reply["result"]}
        self.assertIn(self.lead_own.id, seen)
        self.assertNotIn(self.lead_other.id, seen)
        self.assertEqual(self.inf_other.attitude, "neutral")
        # What the user may open, they may change.
        reply = self._call_kw(
            "crm.lead.influencer",
            "write",
            [self.inf_own.ids, {"attitude": "supporter"}],
        )
        self.assertIs(reply["result"], True)
