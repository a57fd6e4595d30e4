# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common_cute import CuteCommon


@tagged("post_install", "-at_install")
class TestCrmLeadInfluencer(CuteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        engaged = {"met_in_person": True, "attitude": "supporter"}
        cls.lead_healthy = cls._new_lead(
            "Healthy",
            [
                (cls.p_economic, "economic", engaged),
                (cls.p_user, "user", {}),
                (cls.p_technical, "technical", {}),
                (cls.p_coach, "coach", {}),
            ],
        )

    # ------------------------------------------------------------------
    # Coverage score and red flags
    # ------------------------------------------------------------------

    def test_score_no_influencer(self):
        """Nobody assessed yet is not at risk: no score, no red flag."""
        lead = self._new_lead("Empty")
        self.assertEqual(lead.cute_state, "not_assessed")
        self.assertEqual(lead.cute_score, 0)
        self.assertFalse(lead.cute_flags)
        self.assertEqual(lead.cute_flag_count, 0)
        self.assertFalse(lead.cute_at_risk)
        self.assertFalse(lead.cute_flag_text)
        # The first influencer makes it assessed, with its flags.
        lead.write(
            {"influencer_ids": [(0, 0, {"partner_id": self.p_user.id, "role": "user"})]}
        )
        self.assertEqual(lead.cute_state, "at_risk")
        self.assertEqual(lead.cute_flags, "no_economic,no_coach,single_thread")
        self.assertIn("No Economic influence identified", lead.cute_flag_text)
        # Removing it makes it not assessed again.
        lead.influencer_ids.unlink()
        self.assertEqual(lead.cute_state, "not_assessed")
        self.assertFalse(lead.cute_flags)

    def test_new_line_has_no_default_role(self):
        """A new line scores nothing until someone picks its role; it cannot be
        saved without one."""
        self.assertFalse(self.env["crm.lead.influencer"].default_get(["role"]))
        lead = self._new_lead("Half-filled")
        form = Form(lead)
        with self.assertRaisesRegex(AssertionError, "role"):
            with form.influencer_ids.new() as line:
                line.partner_id = self.p_economic
                self.assertFalse(line.role)
        # A line without role, as the form holds it while being filled.
        draft = self.env["crm.lead"].new(
            {
                "name": "Draft",
                "type": "opportunity",
                "influencer_ids": [(0, 0, {"partner_id": self.p_economic.id})],
            }
        )
        self.assertEqual(draft.cute_state, "not_assessed")
        self.assertEqual((draft.cute_score, draft.cute_flag_count), (0, 0))
        with self.assertRaisesRegex(ValidationError, "Choose the buying role"):
            self.env["crm.lead.influencer"].create(
                {"lead_id": lead.id, "partner_id": self.p_user.id}
            )
        with self.assertRaisesRegex(ValidationError, "Choose the buying role"):
            self.inf_own.write({"role": False})
        self.assertFalse(lead.influencer_ids)

    def test_score_healthy(self):
        self.assertEqual(self.lead_healthy.cute_score, 100)
        self.assertFalse(self.lead_healthy.cute_flags)
        self.assertEqual(self.lead_healthy.cute_flag_count, 0)
        self.assertFalse(self.lead_healthy.cute_at_risk)
        self.assertFalse(self.lead_healthy.cute_flag_text)

    def test_score_single_threaded_economic(self):
        lead = self._new_lead(
            "Single",
            [
                (
                    self.p_economic,
                    "economic",
                    {"met_in_person": True, "attitude": "supporter"},
                )
            ],
        )
        # economic 30 + engaged 15 out of 100
        self.assertEqual(lead.cute_score, 45)
        self.assertEqual(lead.cute_flags, "no_coach,single_thread")
        self.assertIn("only one influencer", lead.cute_flag_text)

    def test_flag_economic_not_met_or_not_supporter(self):
        lead = self._new_lead(
            "Weak economic",
            [
                (self.p_economic, "economic", {"attitude": "supporter"}),
                (self.p_user, "user", {}),
            ],
        )
        # economic 30 + user 10 + two people 10
        self.assertEqual(lead.cute_score, 50)
        self.assertEqual(lead.cute_flags, "economic_weak,no_coach")
        lead.influencer_ids.filtered(lambda i: i.role == "economic").write(
            {"met_in_person": True, "attitude": "neutral"}
        )
        self.assertIn("economic_weak", lead.cute_flags)
        lead.influencer_ids.filtered(
            lambda i: i.role == "economic"
        ).attitude = "supporter"
        self.assertNotIn("economic_weak", lead.cute_flags or "")
        self.assertEqual(lead.cute_score, 65)

    def test_flag_high_influence_opponent(self):
        technical = self.lead_healthy.influencer_ids.filtered(
            lambda i: i.role == "technical"
        )
        technical.write({"attitude": "opponent", "influence": "medium"})
        self.assertEqual(self.lead_healthy.cute_score, 100)
        technical.influence = "high"
        self.assertEqual(self.lead_healthy.cute_flags, "high_opponent")
        self.assertEqual(self.lead_healthy.cute_score, 80)

    def test_flag_stale_contact(self):
        lead = self.lead_healthy
        self.assertNotIn("stale", lead.cute_flags or "")
        later = fields.Date.today() + timedelta(days=31)
        with freeze_time(later):
            lead._recompute_cute_coverage()
            self.assertEqual(lead.cute_flags, "stale")
            self.assertEqual(lead.cute_score, 85)
            self.assertIn("more than 30 days", lead.cute_flag_text)
            # A recent contact with any influencer clears it.
            lead.influencer_ids[0].last_contact_date = later - timedelta(days=2)
            self.assertFalse(lead.cute_flags)

    def test_stale_days_setting_and_cron(self):
        lead = self.lead_healthy
        lead.influencer_ids.last_contact_date = fields.Date.today() - timedelta(days=10)
        self.assertFalse(lead.cute_flags)
        settings = self.env["res.config.settings"].create({"cute_stale_days": 7})
        settings.execute()
        self.assertEqual(lead.cute_flags, "stale")
        self.env["ir.config_parameter"].sudo().set_param("crm_360.cute_stale_days", 30)
        self.env["crm.lead"]._cron_refresh_cute_coverage()
        self.assertFalse(lead.cute_flags)

    def test_stale_days_any_stored_value(self):
        """A stored "no contact after" of 2^31 days (or any value) never
        overflows: nobody is stale, the daily refresh runs."""
        lead = self.lead_healthy
        lead.influencer_ids.last_contact_date = fields.Date.today() - timedelta(days=10)
        Param = self.env["ir.config_parameter"].sudo()
        for value in (2**31, 10**12, -(2**31)):
            Param.set_param("crm_360.cute_stale_days", str(value))
            self.env["crm.lead"]._cron_refresh_cute_coverage()
            self.assertEqual(lead.cute_flags, "stale" if value < 0 else False)
            self.assertTrue(lead.cute_flag_text is not None)

    def test_weights_are_settings(self):
        lead = self._new_lead(
            "Weights",
            [
                (
                    self.p_economic,
                    "economic",
                    {"met_in_person": True, "attitude": "supporter"},
                )
            ],
        )
        self.assertEqual(lead.cute_score, 45)
        self.env["res.config.settings"].create({"cute_weight_coach": 0}).execute()
        # 45 points out of 80
        self.assertEqual(lead.cute_score, 56)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"cute_weight_user": -5})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"cute_at_risk_below": 101})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {
                    "cute_weight_economic": 0,
                    "cute_weight_user": 0,
                    "cute_weight_technical": 0,
                    "cute_weight_coach": 0,
                    "cute_weight_economic_engaged": 0,
                    "cute_weight_multi_thread": 0,
                }
            )

    def test_search_filters(self):
        empty = self._new_lead("Empty for filters")
        Lead = self.env["crm.lead"]
        missing_economic = Lead.search([("cute_flags", "like", "no_economic")])
        self.assertNotIn(self.lead_healthy, missing_economic)
        self.assertNotIn(empty, Lead.search([("cute_flags", "like", "no_coach")]))
        # Not assessed is not at risk.
        self.assertNotIn(empty, missing_economic)
        at_risk = Lead.search([("cute_state", "=", "at_risk")])
        self.assertNotIn(empty, at_risk)
        self.assertNotIn(self.lead_healthy, at_risk)
        self.assertIn(self.lead_own, at_risk)
        self.assertIn(empty, Lead.search([("cute_state", "=", "not_assessed")]))
        self.assertEqual(self.lead_healthy.cute_state, "covered")

    def test_views_neutral_for_not_assessed_and_closed_deals(self):
        """The "At Risk" filter leaves out deals nobody assessed and won deals;
        the kanban and list show no coverage or aging badge on closed deals."""
        Lead = self.env["crm.lead"]
        views = Lead.get_views([(False, "kanban"), (False, "list"), (False, "search")])[
            "views"
        ]
        search = etree.fromstring(views["search"]["arch"])
        domain = safe_eval(
            search.xpath("//filter[@name='cute_at_risk']")[0].get("domain")
        )
        empty = self._new_lead("Empty for the view")
        won = self._new_lead("Won at risk", [(self.p_user, "user", {})])
        self.assertEqual(won.cute_state, "at_risk")
        won.action_set_won()
        at_risk = Lead.search(domain)
        self.assertIn(self.lead_own, at_risk)
        self.assertNotIn(empty, at_risk)
        self.assertNotIn(won, at_risk)
        kanban = etree.fromstring(views["kanban"]["arch"])
        badges = kanban.xpath("//div[contains(@class, 'o_cute_kanban')]")[0]
        self.assertIn("stage_is_won", badges.get("t-if"))
        self.assertIn("record.active", badges.get("t-if"))
        self.assertTrue(badges.xpath(".//*[contains(@class, 'o_cute_not_assessed')]"))
        tree = etree.fromstring(views["list"]["arch"])
        for fname in ("cute_score", "cute_flag_count", "stage_age_days"):
            field = tree.xpath(f"//field[@name='{fname}']")[0]
            self.assertIn("stage_is_won", field.get("invisible"), fname)

    def test_influence_map(self):
        html = str(self.lead_healthy.cute_map_html)
        for label in ("Economic", "User", "Technical", "Coach", "王建国", "Supporter"):
            self.assertIn(label, html)
        self.assertIn("text-bg-success", html)
        empty_map = str(self._new_lead("Empty map").cute_map_html)
        self.assertIn("Not identified", empty_map)

    def test_form_onchange_updates_flags(self):
        lead = self._new_lead("Form")
        with Form(lead) as form:
            self.assertEqual(form.cute_flag_count, 0)
            with form.influencer_ids.new() as line:
                line.partner_id = self.p_economic
                line.role = "economic"
            with form.influencer_ids.new() as line:
                line.partner_id = self.p_coach
                line.role = "coach"
            self.assertEqual(form.cute_flag_count, 1)
            self.assertIn("not met in person", form.cute_flag_text)
        self.assertEqual(lead.influencer_count, 2)
        self.assertEqual(lead.cute_score, 60)

    # ------------------------------------------------------------------
    # Constraint and bad input
    # ------------------------------------------------------------------

    def test_same_role_twice_refused(self):
        Influencer = self.env["crm.lead.influencer"]
        # Two roles for one person is fine...
        Influencer.create(
            {
                "lead_id": self.lead_own.id,
                "partner_id": self.p_economic.id,
                "role": "coach",
            }
        )
        # ...the same role twice is not.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Influencer.create(
                    {
                        "lead_id": self.lead_own.id,
                        "partner_id": self.p_economic.id,
                        "role": "economic",
                    }
                )
        # The same person and role on another deal is fine.
        other = self._new_lead("Another deal", [(self.p_economic, "economic", {})])
        self.assertEqual(other.influencer_ids.partner_id, self.p_economic)
        self.assertEqual(
            set(self.p_economic.influencer_ids.mapped("lead_id").ids)
            >= {self.lead_own.id, other.id},
            True,
        )

    def test_duplicate_constraint_message(self):
        constraints = dict(
            (name, message)
            for name, _definition, message in self.env[
                "crm.lead.influencer"
            ]._sql_constraints
        )
        self.assertIn(
            "already holds this buying role", constraints["lead_partner_role_uniq"]
        )

    def test_missing_contact(self):
        Influencer = self.env["crm.lead.influencer"]
        with self.assertRaisesRegex(ValidationError, "Choose the contact"):
            Influencer.create({"lead_id": self.lead_own.id, "role": "user"})
        with self.assertRaisesRegex(ValidationError, "Choose the contact"):
            self.inf_own.write({"partner_id": False})
        with self.assertRaisesRegex(ValidationError, "belongs to an opportunity"):
            Influencer.create({"partner_id": self.p_user.id, "role": "user"})
        self.assertEqual(self.inf_own.partner_id, self.p_economic)

    def test_unknown_role_value(self):
        count = self.env["crm.lead.influencer"].search_count([])
        with self.assertRaises(ValueError):
            self.env["crm.lead.influencer"].create(
                {
                    "lead_id": self.lead_own.id,
                    "partner_id": self.p_user.id,
                    "role": "sponsor",
                }
            )
        with self.assertRaises(ValueError):
            self.inf_own.write({"role": "decision_maker"})
        self.assertEqual(self.env["crm.lead.influencer"].search_count([]), count)
        self.assertEqual(self.inf_own.role, "economic")

    def test_future_contact_date_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be in the future"):
            self.inf_own.last_contact_date = fields.Date.today() + timedelta(days=3)

    def test_long_and_non_latin_texts(self):
        long_text = "需求变更频繁，担心交付周期。" * 2000 + "Ünïcödé ✓ العربية"
        influencer = self.env["crm.lead.influencer"].create(
            {
                "lead_id": self.lead_own.id,
                "partner_id": self.p_user.id,
                "role": "user",
                "personal_win": long_text,
                "concerns": long_text,
            }
        )
        influencer.invalidate_recordset()
        self.assertEqual(influencer.personal_win, long_text)
        self.assertEqual(influencer.concerns, long_text)
        partner = self.env["res.partner"].create({"name": "欧阳" * 200})
        self.lead_own.influencer_ids = [
            (0, 0, {"partner_id": partner.id, "role": "coach"})
        ]
        self.assertIn("欧阳欧阳", str(self.lead_own.cute_map_html))

    def test_map_escapes_names(self):
        partner = self.env["res.partner"].create({"name": "<script>alert(1)</script>"})
        lead = self._new_lead("Escape", [(partner, "user", {})])
        html = str(lead.cute_map_html)
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    # ------------------------------------------------------------------
    # Last contact date
    # ------------------------------------------------------------------

    def test_last_contact_from_messages(self):
        lead = self._new_lead(
            "Contact", [(self.p_economic, "economic", {}), (self.p_user, "user", {})]
        )
        economic, user = lead.influencer_ids.sorted("role_sequence")
        self.assertFalse(economic.last_contact_date)
        today = fields.Date.today()
        # A message written by the contact.
        lead.message_post(
            body="Budget approved", author_id=self.p_economic.id, message_type="comment"
        )
        self.assertEqual(economic.last_contact_date, today)
        self.assertFalse(user.last_contact_date)
        # A message addressed to the other contact.
        lead.message_post(
            body="Demo next week?", partner_ids=self.p_user.ids, message_type="comment"
        )
        self.assertEqual(user.last_contact_date, today)
        # A message on another opportunity does not count.
        other = self._new_lead("Other", [(self.p_technical, "technical", {})])
        self.lead_own.message_post(
            body="Hi", author_id=self.p_technical.id, message_type="comment"
        )
        self.assertFalse(other.influencer_ids.last_contact_date)

    def test_last_contact_from_done_activity(self):
        lead = self._new_lead(
            "Activity",
            [(self.p_economic, "economic", {})],
            partner_id=self.p_economic.id,
        )
        activity = lead.activity_schedule(
            "mail.mail_activity_data_call", summary="Call the CFO"
        )
        self.assertFalse(lead.influencer_ids.last_contact_date)
        activity.action_feedback(feedback="Discussed the budget")
        self.assertEqual(lead.influencer_ids.last_contact_date, fields.Date.today())

    def test_last_contact_from_meeting_and_typed_date(self):
        lead = self._new_lead("Meeting", [(self.p_economic, "economic", {})])
        influencer = lead.influencer_ids
        now = fields.Datetime.now()
        meeting = self.env["calendar.event"].create(
            {
                "name": "Site visit",
                "start": now - timedelta(days=10),
                "stop": now - timedelta(days=10, hours=-2),
                "partner_ids": [(6, 0, self.p_economic.ids)],
                "opportunity_id": lead.id,
            }
        )
        self.assertEqual(
            influencer.last_contact_date, (now - timedelta(days=10)).date()
        )
        # A more recent typed date is kept...
        typed = fields.Date.today() - timedelta(days=2)
        influencer.last_contact_date = typed
        self.assertEqual(influencer.last_contact_date, typed)
        # ...and an older one gives way to the meeting.
        influencer.last_contact_date = fields.Date.today() - timedelta(days=20)
        self.assertEqual(
            influencer.last_contact_date, (now - timedelta(days=10)).date()
        )
        # A meeting moved to the future is not a contact yet.
        meeting.write(
            {"start": now + timedelta(days=5), "stop": now + timedelta(days=5, hours=1)}
        )
        self.assertEqual(
            influencer.last_contact_date, fields.Date.today() - timedelta(days=20)
        )

    # ------------------------------------------------------------------
    # Influence memory
    # ------------------------------------------------------------------

    def test_influence_memory(self):
        customer = self.env["res.partner"].create(
            {"name": "Lianchuang", "is_company": True}
        )
        self.p_economic.parent_id = self.p_coach.parent_id = customer
        self.p_technical.parent_id = customer
        earlier = self._new_lead(
            "Earlier deal",
            [
                (
                    self.p_economic,
                    "economic",
                    {
                        "attitude": "supporter",
                        "influence": "high",
                        "personal_win": "ROI",
                    },
                ),
                (self.p_coach, "coach", {"attitude": "supporter"}),
                (self.p_technical, "technical", {"attitude": "opponent"}),
            ],
        )
        earlier.partner_id = self.p_economic  # a contact of the customer
        earlier.action_set_lost()  # lost deals are remembered too
        lead = self._new_lead(
            "New deal", [(self.p_coach, "coach", {})], partner_id=customer.id
        )
        action = lead.action_open_influencer_memory()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        proposed = {(line.partner_id, line.role) for line in wizard.line_ids}
        self.assertEqual(
            proposed,
            {(self.p_economic, "economic"), (self.p_technical, "technical")},
        )
        economic_line = wizard.line_ids.filtered(lambda line: line.role == "economic")
        self.assertEqual(economic_line.attitude, "supporter")
        self.assertEqual(economic_line.influence, "high")
        self.assertEqual(economic_line.source_lead_id, earlier)
        with Form(wizard) as form:
            with form.line_ids.edit(
                1 if wizard.line_ids[1].role == "technical" else 0
            ) as line:
                line.selected = False
        wizard.action_apply()
        added = lead.influencer_ids.filtered(lambda i: i.role == "economic")
        self.assertEqual(added.partner_id, self.p_economic)
        self.assertEqual(added.personal_win, "ROI")
        self.assertFalse(lead.influencer_ids.filtered(lambda i: i.role == "technical"))
        self.assertEqual(len(lead.influencer_ids), 2)

    def test_influence_memory_nothing_to_propose(self):
        lonely = self.env["res.partner"].create(
            {"name": "New Customer", "is_company": True}
        )
        lead = self._new_lead("First deal", partner_id=lonely.id)
        with self.assertRaisesRegex(UserError, "No earlier opportunity"):
            lead.action_open_influencer_memory()
        wizard = self.env["crm.lead.influencer.memory"].create(
            {"lead_id": self.lead_own.id}
        )
        wizard.line_ids.selected = False
        with self.assertRaisesRegex(UserError, "Tick at least one"):
            wizard.action_apply()

    # ------------------------------------------------------------------
    # Buying roles on the contact
    # ------------------------------------------------------------------

    def test_partner_buying_roles(self):
        self.assertEqual(self.p_economic.buying_role_count, 5)  # 4 in common + healthy
        self.assertEqual(self.p_coach.buying_role_count, 1)
        action = self.p_economic.action_view_buying_roles()
        self.assertEqual(action["res_model"], "crm.lead.influencer")
        self.assertEqual(
            self.env["crm.lead.influencer"].search(action["domain"]),
            self.p_economic.influencer_ids,
        )
        # A salesman counts only the opportunities they may open.
        self.assertEqual(self.p_economic.with_user(self.user_own).buying_role_count, 3)
        self.assertEqual(
            self.p_economic.with_user(self.user_internal).buying_role_count, 0
        )
        # The button comes first in the contact's button box, never under "More".
        arch = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_form").id, "form"
        )["arch"]
        box = arch[arch.index('name="button_box"') :]
        self.assertEqual(
            box.index("<button"), box.index('<button name="action_view_buying_roles"')
        )
