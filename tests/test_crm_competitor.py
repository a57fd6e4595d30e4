# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_competitor import CompetitorCommon


@tagged("post_install", "-at_install")
class TestCrmCompetitor(CompetitorCommon):
    def test_general_swot_copied_into_the_deal(self):
        line = self._add_competitor(self.lead_own, self.competitor_a)
        self.assertEqual(line.status, "active")
        self.assertEqual(line.swot_count, 2)
        copied = {
            (item.quadrant, item.factor_id, item.description, item.score)
            for item in line.swot_item_ids
        }
        self.assertEqual(
            copied,
            {
                ("strength", self.factor_price, "Always 15% cheaper", 4),
                ("weakness", self.factor_service, "服务网点少", 2),
            },
        )
        self.assertEqual(line.swot_item_ids.lead_id, self.lead_own)
        self.assertEqual(line.swot_item_ids.competitor_id, self.competitor_a)
        # The general SWOT itself is untouched, and copying again adds nothing.
        self.assertEqual(len(self.competitor_a.swot_item_ids), 2)
        line.action_copy_general_swot()
        self.assertEqual(line.swot_count, 2)
        # The deal shows its matrix of this competitor.
        action = line.action_view_swot_matrix()
        self.assertEqual(
            self.env["crm.swot.item"].search(action["domain"]), line.swot_item_ids
        )

    def test_own_swot_given_at_creation_plus_the_general_one(self):
        """Items given with the competitor are kept; the general SWOT is copied
        for the (quadrant, factor) pairs not given."""
        line = self._add_competitor(
            self.lead_own,
            self.competitor_a,
            swot_item_ids=[
                (
                    0,
                    0,
                    {
                        "quadrant": "threat",
                        "factor_id": self.factor_delivery.id,
                        "score": 5,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "quadrant": "strength",
                        "factor_id": self.factor_price.id,
                        "description": "Cheaper again in this deal",
                        "score": 5,
                    },
                ),
            ],
        )
        self.assertEqual(
            {
                (item.quadrant, item.factor_id, item.description)
                for item in line.swot_item_ids
            },
            {
                ("threat", self.factor_delivery, False),
                ("strength", self.factor_price, "Cheaper again in this deal"),
                ("weakness", self.factor_service, "服务网点少"),
            },
        )
        self.assertEqual(line.swot_item_ids.competitor_id, self.competitor_a)

    def test_matrix_shows_all_four_quadrants(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        action = self.lead_own._action_view_swot_matrix(self.competitor_b)
        self.assertEqual(action["context"]["default_lead_competitor_id"], line.id)
        groups = self.env["crm.swot.item"].read_group(
            action["domain"], ["quadrant"], ["quadrant"]
        )
        self.assertEqual(
            [group["quadrant"] for group in groups],
            ["strength", "weakness", "opportunity", "threat"],
        )

    def test_matrix_action_takes_no_argument_over_rpc(self):
        """The button takes no argument; the variant for one competitor is
        private, out of reach of RPC (no crash on a plain integer)."""
        lead = self.lead_own.with_user(self.user_own)
        action = lead.action_view_swot_matrix()
        self.assertEqual(action["domain"], [("lead_id", "=", self.lead_own.id)])
        with self.assertRaises(AccessError):
            get_public_method(lead, "_action_view_swot_matrix")
        self.assertTrue(get_public_method(lead, "action_view_swot_matrix"))

    def test_competitor_status_follows_the_deal(self):
        line_a = self._add_competitor(self.lead_own, self.competitor_a)
        line_b = self._add_competitor(self.lead_own, self.competitor_b, eliminated=True)
        self.assertEqual((line_a.status, line_b.status), ("active", "eliminated"))
        self.lead_own.stage_id = self.stage_won
        self.assertEqual((line_a.status, line_b.status), ("beaten", "beaten"))

    def test_lost_to_competitor_and_restore(self):
        line_a = self._add_competitor(self.lead_own, self.competitor_a)
        line_b = self._add_competitor(self.lead_own, self.competitor_b)
        self._mark_lost(
            self.lead_own,
            lost_competitor_id=self.competitor_b.id,
            decisive_factor_id=self.factor_price.id,
        )
        self.assertFalse(self.lead_own.active)
        self.assertEqual(self.lead_own.lost_competitor_id, self.competitor_b)
        self.assertEqual(self.lead_own.decisive_factor_id, self.factor_price)
        self.assertEqual((line_a.status, line_b.status), ("eliminated", "won"))
        # Restoring the deal makes it open again against both competitors.
        self.lead_own.toggle_active()
        self.assertTrue(self.lead_own.active)
        self.assertFalse(self.lead_own.lost_competitor_id)
        self.assertFalse(self.lead_own.decisive_factor_id)
        self.assertEqual((line_a.status, line_b.status), ("active", "active"))
        # Lost again, then won directly from the lost state.
        self._mark_lost(self.lead_own, lost_competitor_id=self.competitor_a.id)
        self.assertEqual(line_a.status, "won")
        self.lead_own.action_set_won()
        self.assertFalse(self.lead_own.lost_competitor_id)
        self.assertEqual((line_a.status, line_b.status), ("beaten", "beaten"))

    def test_lost_wizard_adds_the_missing_competitor(self):
        leads = self.lead_own | self.lead_unassigned
        self._add_competitor(self.lead_own, self.competitor_b)
        self._mark_lost(leads, lost_competitor_id=self.competitor_b.id)
        for lead in leads:
            winner = lead.competitor_ids.filtered(
                lambda line: line.competitor_id == self.competitor_b
            )
            self.assertEqual(len(winner), 1)
            self.assertEqual(winner.status, "won")

    def test_lost_wizard_optional_by_default(self):
        self._add_competitor(self.lead_own, self.competitor_a)
        self._mark_lost(self.lead_own)
        self.assertFalse(self.lead_own.active)
        self.assertFalse(self.lead_own.lost_competitor_id)
        self.assertEqual(self.lead_own.competitor_ids.status, "eliminated")

    def test_lost_wizard_mandatory_per_team(self):
        self.team.write(
            {"lost_competitor_required": True, "lost_factor_required": True}
        )
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, self.lead_own.ids)]}
        )
        self.assertTrue(wizard.lost_competitor_required)
        self.assertTrue(wizard.lost_factor_required)
        with self.assertRaisesRegex(UserError, "competitor who won.*decisive factor"):
            wizard.action_lost_reason_apply()
        wizard.lost_competitor_id = self.competitor_a
        with self.assertRaisesRegex(UserError, "decisive factor"):
            wizard.action_lost_reason_apply()
        # Nothing was half-written by the refused attempts.
        self.assertTrue(self.lead_own.active)
        self.assertFalse(self.lead_own.competitor_ids)
        wizard.decisive_factor_id = self.factor_delivery
        wizard.action_lost_reason_apply()
        self.assertFalse(self.lead_own.active)
        self.assertEqual(self.lead_own.competitor_ids.status, "won")
        self.assertEqual(self.lead_own.decisive_factor_id, self.factor_delivery)
        # Another team does not ask.
        other_team = self.env["crm.team"].create({"name": "No questions"})
        self.lead_unassigned.team_id = other_team
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": [(6, 0, self.lead_unassigned.ids)]}
        )
        self.assertFalse(wizard.lost_competitor_required)
        wizard.action_lost_reason_apply()
        self.assertFalse(self.lead_unassigned.active)

    def test_competitor_record_against_us(self):
        self.lead_own.expected_revenue = 10000
        self.lead_other.expected_revenue = 20000
        self._add_competitor(self.lead_own, self.competitor_a)
        self._add_competitor(self.lead_other, self.competitor_a)
        self._add_competitor(self.lead_unassigned, self.competitor_a)
        self._mark_lost(self.lead_own, lost_competitor_id=self.competitor_a.id)
        self.lead_other.stage_id = self.stage_won
        competitor = self.competitor_a.with_user(self.user_manager)
        self.assertEqual(competitor.deal_count, 3)
        self.assertEqual((competitor.won_count, competitor.lost_count), (1, 1))
        self.assertEqual(competitor.win_rate, 50.0)
        self.assertEqual(competitor.lost_revenue, 10000)
        html = str(competitor.battlecard_html)
        self.assertIn("Own deal", html)
        self.assertIn("Someone else&#39;s deal", html.replace("'", "&#39;"))
        # The salesman's figures come from the deals he may open.
        competitor = self.competitor_a.with_user(self.user_own)
        self.assertEqual(competitor.deal_count, 2)
        self.assertEqual((competitor.won_count, competitor.lost_count), (0, 1))
        self.assertEqual(competitor.win_rate, 0.0)
        self.assertNotIn("Someone else", str(competitor.battlecard_html))

    def test_win_rate_undefined_without_closed_deal(self):
        """No closed deal against them: the win rate is undefined, shown as a
        dash, never as 0 %."""
        self._add_competitor(self.lead_own, self.competitor_b)
        competitor = self.competitor_b.with_user(self.user_manager)
        self.assertEqual((competitor.deal_count, competitor.closed_count), (1, 0))
        html = str(competitor.battlecard_html)
        self.assertIn("—", html)
        self.assertNotRegex(html, r"o_battlecard_win_rate\">\s*0\s*%")
        pdf_html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.user_manager)
            ._render_qweb_html(
                "crm_360.crm_competitor_battlecard_report", competitor.ids
            )
        )
        self.assertIn("No closed deal against them yet", pdf_html.decode())
        # The analysis leaves the rate empty where no deal is closed.
        groups = (
            self.env["crm.competitor.report"]
            .with_user(self.user_manager)
            ._read_group(
                [("competitor_id", "=", self.competitor_b.id)],
                ["competitor_id"],
                ["win_rate:avg", "closed_count:sum"],
            )
        )
        self.assertEqual(groups, [(self.competitor_b, False, 0)], "empty, not 0.0")
        # Once a deal is closed, the rate is defined, 0 % included.
        self._mark_lost(self.lead_own, lost_competitor_id=self.competitor_b.id)
        competitor.invalidate_recordset()
        self.assertEqual((competitor.closed_count, competitor.win_rate), (1, 0.0))
        self.assertRegex(
            str(competitor.battlecard_html), r"o_battlecard_win_rate\">\s*0\s*%"
        )

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_same_competitor_twice_in_a_deal(self):
        """Refused by a clear message before the database's unique constraint:
        no ERROR line in the server log (no mute_logger here)."""
        line = self._add_competitor(self.lead_own, self.competitor_a)
        with self.assertRaisesRegex(ValidationError, "already a competitor in"):
            self._add_competitor(self.lead_own, self.competitor_a)
        # Twice in one save of the opportunity form.
        with self.assertRaisesRegex(ValidationError, "already a competitor in"):
            self.lead_other.write(
                {
                    "competitor_ids": [
                        (0, 0, {"competitor_id": self.competitor_b.id}),
                        (0, 0, {"competitor_id": self.competitor_b.id}),
                    ]
                }
            )
        # Changing a line into a competitor already in the deal.
        other = self._add_competitor(self.lead_own, self.competitor_b)
        with self.assertRaisesRegex(ValidationError, "already a competitor in"):
            other.competitor_id = self.competitor_a
        self.assertEqual(self.lead_own.competitor_ids, line | other)
        self.assertFalse(self.lead_other.competitor_ids)
        # The same competitor in another deal is fine.
        self._add_competitor(self.lead_other, self.competitor_a)

    def test_competitor_cannot_be_the_customer(self):
        customer_as_competitor = self.env["crm.competitor"].create(
            {"partner_id": self.customer.id}
        )
        # A contact person of the customer counts as the customer.
        self.lead_own.partner_id = self.p_economic
        with self.assertRaisesRegex(ValidationError, "its own purchase"):
            self._add_competitor(self.lead_own, customer_as_competitor)
        line = self._add_competitor(self.lead_unassigned, self.competitor_b)
        with self.assertRaisesRegex(ValidationError, "its own purchase"):
            line.competitor_id = customer_as_competitor
        # So does a customer chosen after the competitor was added.
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self.lead_other.partner_id = other
        self._add_competitor(self.lead_other, customer_as_competitor)
        with self.assertRaisesRegex(ValidationError, "its own purchase"):
            self.lead_other.partner_id = self.customer

    def test_same_company_twice_as_competitor(self):
        partner = self.competitor_a.partner_id
        # Once shared by all companies and once for a company is fine...
        self.env["crm.competitor"].create(
            {"partner_id": partner.id, "company_id": self.company.id}
        )
        # ... twice shared is not.
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.competitor"].create({"partner_id": partner.id})

    def test_swot_score_out_of_range(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        for score in (0, 6, -1):
            with (
                self.subTest(score=score),
                # The field's bounds refuse it first, the database would too.
                self.assertRaises(ValidationError),
                mute_logger("odoo.sql_db"),
                self.cr.savepoint(),
            ):
                self.env["crm.swot.item"].create(
                    {
                        "lead_competitor_id": line.id,
                        "quadrant": "strength",
                        "factor_id": self.factor_price.id,
                        "score": score,
                    }
                ).flush_recordset()

    def test_swot_unknown_quadrant(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        with self.assertRaises(ValueError):
            self.env["crm.swot.item"].create(
                {
                    "lead_competitor_id": line.id,
                    "quadrant": "advantage",
                    "factor_id": self.factor_price.id,
                }
            )

    def test_swot_unknown_or_missing_factor(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.swot.item"].create(
                {
                    "lead_competitor_id": line.id,
                    "quadrant": "strength",
                    "factor_id": 999999999,
                }
            ).flush_recordset()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.swot.item"].create(
                {"lead_competitor_id": line.id, "quadrant": "strength"}
            ).flush_recordset()
        # A factor in use cannot be deleted; archiving it is the way.
        self.env["crm.swot.item"].create(
            {
                "lead_competitor_id": line.id,
                "quadrant": "strength",
                "factor_id": self.factor_delivery.id,
            }
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.factor_delivery.unlink()

    def test_swot_item_of_another_competitor(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        with self.assertRaisesRegex(ValidationError, "competitor of that deal"):
            self.env["crm.swot.item"].create(
                {
                    "competitor_id": self.competitor_a.id,
                    "lead_competitor_id": line.id,
                    "quadrant": "strength",
                    "factor_id": self.factor_price.id,
                }
            )

    def test_favoured_by_influencers_of_the_deal_only(self):
        line = self._add_competitor(self.lead_own, self.competitor_b)
        line.influencer_ids = self.inf_own
        self.assertEqual(line.influencer_ids, self.inf_own)
        with self.assertRaisesRegex(ValidationError, "buying influencers of"):
            line.influencer_ids = self.inf_other
