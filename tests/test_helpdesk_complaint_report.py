# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintReport(ComplaintCommon):
    """The complaint analysis (Pareto): what it counts, and for whom."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {"name": "Field Service", "user_ids": [(6, 0, cls.agent_2.ids)]}
        )
        ref = cls.env.ref
        cls.design = ref("crm_360.complaint_root_cause_product_design")
        cls.manufacturing = ref("crm_360.complaint_root_cause_product_manufacturing")
        cls.training = ref("crm_360.complaint_root_cause_staff_training")
        cls.misuse = ref("crm_360.complaint_root_cause_other_misuse")
        cls.staff_category = ref("crm_360.complaint_category_staff")

        def complaint(user, team, aspect, cause, **vals):
            return cls.env["helpdesk.ticket"].create(
                dict(
                    {
                        "name": "Complaint",
                        "description": "<p>Not happy.</p>",
                        "partner_id": cls.contact.id,
                        "is_complaint": True,
                        "user_id": user.id,
                        "team_id": team.id,
                        "complaint_aspect_id": aspect.id,
                        "complaint_root_cause_id": cause.id,
                    },
                    **vals,
                )
            )

        nobody = cls.env["res.users"]
        no_team = cls.env["helpdesk.ticket.team"]
        no_cause = cls.env["helpdesk.complaint.root.cause"]
        cls.c_own = complaint(
            cls.agent, cls.team, cls.quality, cls.design, product_id=cls.pump.id
        )
        cls.c_own_2 = complaint(
            cls.agent, cls.team, cls.quality, cls.design, product_id=cls.valve.id
        )
        cls.c_unassigned = complaint(nobody, cls.team, cls.attitude, cls.training)
        cls.c_team_b = complaint(
            cls.agent_2, cls.team_b, cls.service_fees, cls.manufacturing
        )
        cls.c_no_team = complaint(nobody, no_team, cls.price, cls.misuse)
        cls.c_unclassified = complaint(
            cls.team_agent, cls.team, cls.env["helpdesk.complaint.category"], no_cause
        )
        cls.complaints = (
            cls.c_own
            | cls.c_own_2
            | cls.c_unassigned
            | cls.c_team_b
            | cls.c_no_team
            | cls.c_unclassified
        )
        # Neither a question nor an archived complaint is analysed.
        complaint(cls.agent, cls.team, cls.quality, cls.design, is_complaint=False)
        complaint(cls.agent, cls.team, cls.quality, cls.design, active=False)
        cls.company_b = cls.env["res.company"].create({"name": "crm_360 Branch B"})
        cls.helpdesk_manager.company_ids = [(4, cls.company_b.id)]
        cls.c_company_b = complaint(
            nobody, no_team, cls.quality, cls.design, company_id=cls.company_b.id
        )

    @contextmanager
    def _at(self, when):
        moment = datetime.fromisoformat(when)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _report(self, user, domain=(), **context):
        context.setdefault("allowed_company_ids", self.company.ids)
        return (
            self.env["helpdesk.complaint.report"]
            .with_user(user)
            .with_context(**context)
            .search([("partner_id", "=", self.customer.id), *domain])
        )

    def _assert_same_counts(self, user, **context):
        """Counts of the analysis, as ``user`` reads them, equal the counts of the
        tickets he may open."""
        Report = self.env["helpdesk.complaint.report"].with_user(user)
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        Report, Ticket = Report.with_context(**context), Ticket.with_context(**context)
        complaints = [("is_complaint", "=", True)]
        for report_group, ticket_group in (
            ("root_cause_id", "complaint_root_cause_id"),
            ("root_cause_object", "complaint_root_cause_object"),
            ("complaint_object", "complaint_object"),
            ("complaint_aspect_id", "complaint_aspect_id"),
            ("product_id", "product_id"),
            ("partner_id", "commercial_partner_id"),
            ("date:month", "create_date:month"),
        ):
            self.assertEqual(
                dict(Report._read_group([], [report_group], ["nbr:sum"])),
                dict(Ticket._read_group(complaints, [ticket_group], ["__count"])),
                f"{user.login}: complaints by {report_group}",
            )
            self.assertEqual(
                dict(Report._read_group([], [report_group], ["cost:sum"])),
                dict(
                    Ticket._read_group(
                        complaints, [ticket_group], ["complaint_cost:sum"]
                    )
                ),
                f"{user.login}: cost by {report_group}",
            )

    def test_cost_by_root_cause(self):
        # A free replacement pump (cost 700) on one complaint about a design fault.
        action = self.c_own.action_complaint_replacement_order()
        self.env["sale.order"].browse(action["res_id"]).action_confirm()
        self.assertEqual(self.c_own.complaint_cost, 700.0)
        Report = self.env["helpdesk.complaint.report"]
        costs = dict(Report._read_group([], ["root_cause_id"], ["cost:sum"]))
        self.assertEqual(costs[self.design], 700.0)
        self._assert_same_counts(self.agent, allowed_company_ids=self.company.ids)

    def test_counts_equal_what_each_user_may_open(self):
        for user in (self.agent, self.agent_2, self.team_agent, self.helpdesk_manager):
            self._assert_same_counts(user, allowed_company_ids=self.company.ids)
        self._assert_same_counts(
            self.helpdesk_manager,
            allowed_company_ids=[self.company.id, self.company_b.id],
        )

    def test_agents_see_their_complaints_only(self):
        self.assertEqual(
            self._report(self.agent).ticket_id,
            self.c_own | self.c_own_2 | self.c_unassigned,
        )
        self.assertEqual(self._report(self.agent_2).ticket_id, self.c_team_b)
        self.assertEqual(
            self._report(self.team_agent).ticket_id,
            self.c_own
            | self.c_own_2
            | self.c_unassigned
            | self.c_unclassified
            | self.c_no_team,
        )
        self.assertEqual(self._report(self.helpdesk_manager).ticket_id, self.complaints)
        self.assertEqual(
            self._report(
                self.helpdesk_manager,
                allowed_company_ids=[self.company.id, self.company_b.id],
            ).ticket_id,
            self.complaints | self.c_company_b,
        )

    def test_followers_see_what_they_follow(self):
        self.c_own.message_subscribe(partner_ids=self.agent_2.partner_id.ids)
        self.assertEqual(
            self._report(self.agent_2).ticket_id, self.c_team_b | self.c_own
        )
        self._assert_same_counts(self.agent_2)

    def test_only_for_helpdesk_users(self):
        employee = self._new_user("c360_employee", "base.group_user")
        with self.assertRaises(AccessError):
            self._report(employee)

    def test_classes_and_causes(self):
        rows = {row.ticket_id: row for row in self._report(self.helpdesk_manager)}
        row = rows[self.c_own]
        self.assertEqual(row.complaint_category_id, self.product_category)
        self.assertEqual(row.complaint_aspect_id, self.quality)
        self.assertEqual(row.complaint_object, "product")
        self.assertEqual(row.root_cause_id, self.design)
        self.assertEqual(row.root_cause_object, "product")
        self.assertEqual(row.product_id, self.pump)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.user_id, self.agent)
        self.assertEqual(row.nbr, 1)
        self.assertEqual(
            rows[self.c_unassigned].complaint_category_id, self.staff_category
        )
        self.assertEqual(rows[self.c_unassigned].root_cause_object, "staff")
        self.assertFalse(rows[self.c_unclassified].complaint_category_id)
        self.assertFalse(rows[self.c_unclassified].root_cause_id)
        # A deeper aspect still counts under its top class.
        leak = self.env["helpdesk.complaint.category"].create(
            {"name": "Leak", "parent_id": self.quality.id}
        )
        self.c_own_2.complaint_aspect_id = leak
        self.env.invalidate_all()
        row = self._report(self.helpdesk_manager, [("ticket_id", "=", self.c_own_2.id)])
        self.assertEqual(row.complaint_category_id, self.product_category)
        self.assertEqual(row.complaint_aspect_id, leak)

    def test_pareto_ranks_the_causes(self):
        Report = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.helpdesk_manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        ranking = Report._read_group(
            [("partner_id", "=", self.customer.id)],
            ["root_cause_id"],
            ["nbr:sum"],
            order="nbr:sum desc, root_cause_id",
        )
        self.assertEqual(ranking[0], (self.design, 2))
        self.assertEqual(sum(count for _cause, count in ranking), 6)
        by_class = dict(
            Report._read_group(
                [("partner_id", "=", self.customer.id)],
                ["complaint_category_id"],
                ["nbr:sum"],
            )
        )
        self.assertEqual(by_class[self.product_category], 3)

    def test_closing_and_deadlines(self):
        with self._at("2026-03-02 08:00:00"):
            late = self._complaint(
                complaint_urgency="high",
                complaint_importance="high",
                user_id=self.agent.id,
            )
            on_time = self._complaint(
                complaint_urgency="low",
                complaint_importance="low",
                user_id=self.agent.id,
            )
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with self._at("2026-03-02 12:00:00"):
            on_time.stage_id = done
        with self._at("2026-03-05 08:00:00"):
            rows = self._report(self.agent, [("ticket_id", "in", (late | on_time).ids)])
            states = {row.ticket_id: row.deadline_state for row in rows}
            self.assertEqual(
                states,
                {
                    late: late.complaint_deadline_state,
                    on_time: on_time.complaint_deadline_state,
                },
            )
            self.assertEqual(states, {late: "overdue", on_time: "met"})
            closed = {row.ticket_id: row.is_closed for row in rows}
            self.assertEqual(closed, {late: False, on_time: True})
            self.assertEqual(sum(rows.mapped("overdue_count")), 1)

    def test_pareto_cumulative_share_and_not_classified(self):
        """The views' grouped read: unclassified complaints named so, and the
        cumulative share of the Pareto over what the user may open."""
        domain = [("partner_id", "=", self.customer.id)]
        Report = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.helpdesk_manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        groups = Report.web_read_group(
            domain, ["nbr:sum", "cumulative_share:max"], ["root_cause_id"]
        )["groups"]
        shares = {group["root_cause_id"][0]: group for group in groups}
        self.assertEqual(shares[False]["root_cause_id"][1], "Not classified")
        self.assertEqual(shares[False]["__domain"][-1], ("root_cause_id", "=", False))
        # 6 complaints: design 2, three causes 1 each (by name), not classified
        # last although as large.
        self.assertAlmostEqual(shares[self.design.id]["cumulative_share"], 100 * 2 / 6)
        self.assertEqual(
            sorted(
                round(shares[cause.id]["cumulative_share"], 2)
                for cause in (self.training, self.manufacturing, self.misuse)
            ),
            [50.0, 66.67, 83.33],
        )
        self.assertAlmostEqual(shares[False]["cumulative_share"], 100.0)
        # A page of groups still counts every group; the total is everything.
        [first] = Report.read_group(
            domain, ["cumulative_share:max"], ["root_cause_id"], limit=1
        )
        self.assertIn(
            first["cumulative_share"], [g["cumulative_share"] for g in groups]
        )
        [total] = Report.read_group(domain, ["cumulative_share:max"], [])
        self.assertEqual(total["cumulative_share"], 100.0)
        # Grouped by cause and object: causes ranked within each object
        # (product: design 2, misuse 1 — the price complaint's cause).
        by_object = {
            (group["root_cause_id"][0], group["complaint_object"]): group[
                "cumulative_share"
            ]
            for group in Report.read_group(
                domain,
                ["cumulative_share:max"],
                ["root_cause_id", "complaint_object"],
                lazy=False,
            )
        }
        self.assertAlmostEqual(by_object[self.design.id, "product"], 100 * 2 / 3)
        self.assertAlmostEqual(by_object[self.misuse.id, "product"], 100.0)
        # An agent's Pareto is made of the complaints he may open only.
        agent_groups = Report.with_user(self.agent).read_group(
            domain, ["cumulative_share:max"], ["root_cause_id"]
        )
        self.assertEqual(
            {
                g["root_cause_id"][0]: round(g["cumulative_share"], 2)
                for g in agent_groups
            },
            {self.design.id: 66.67, self.training.id: 100.0},
        )
