# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.helpdesk_complaint_classifier import (
    HELDOUT_MODULO,
    predict_naive_bayes,
    train_naive_bayes,
)
from ..models.helpdesk_complaint_keyword import tokenize
from ..models.helpdesk_ticket import HELPDESK_USER_GROUP
from .common import Crm360UserFactory
from .common_complaint import ComplaintCommon

# The fields crm_360 adds on helpdesk.ticket that a portal customer may read on
# his own ticket: what he reported at intake (who complains, when, where, about
# which of his documents), that it is a complaint, the priority helpdesk_mgmt
# already shows and how long the ticket has been in its stage (the portal page
# shows the stage and its last update). The remedy lists carry the groups of
# their documents, which no portal user has.
PORTAL_TICKET_FIELDS = {
    "is_complaint",
    "complainant_id",
    "complainant_phone",
    "complaint_date",
    "complaint_location",
    "product_id",
    "sale_order_id",
    "picking_id",
    "lot_id",
    "invoice_id",
    "priority",
    "stage_entered_date",
    "stage_age_days",
}


def crm_360_fields(model):
    """{name: field} of the fields crm_360 defines or redefines on ``model``."""
    return {
        name: field
        for name, field in model._fields.items()
        if "crm_360" in (field._modules or ())
    }


class PortalComplaintMixin(Crm360UserFactory):
    @classmethod
    def _portal_complaint(cls):
        cls.portal_user = cls._new_user(
            "c360_portal_customer", "base.group_portal", name="Portal Customer"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        root_cause = cls.env["helpdesk.complaint.root.cause"].create(
            {"name": "C360 Seal supplier", "cause_object": "product"}
        )
        cls.portal_ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Pump leaking after two weeks",
                "description": "<p>The pump leaks oil.</p>",
                "partner_id": cls.portal_user.partner_id.id,
                "is_complaint": True,
                "complaint_aspect_id": cls.quality.id,
                "complaint_urgency": "high",
                "complaint_importance": "high",
                "complaint_root_cause_id": root_cause.id,
                "complaint_root_cause_description": "Batch of bad seals",
            }
        )
        cls.portal_ticket.sudo().write(
            {
                "complaint_escalated": True,
                "complaint_escalation_reason": "Do not admit fault",
            }
        )


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintPortalFields(PortalComplaintMixin, ComplaintCommon):
    """A portal customer reads his own ticket but none of its handling."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_complaint()

    def test_allow_list_names_real_fields(self):
        fields = crm_360_fields(self.env["helpdesk.ticket"])
        self.assertLessEqual(PORTAL_TICKET_FIELDS, set(fields))

    def test_portal_reads_no_internal_ticket_field(self):
        ticket = self.portal_ticket.with_user(self.portal_user)
        ticket.read(["name", "stage_id"])
        for name in crm_360_fields(ticket):
            with self.subTest(model="helpdesk.ticket", field=name, role="portal"):
                ticket.invalidate_recordset()
                if name in PORTAL_TICKET_FIELDS:
                    ticket.read([name])
                    continue
                with self.assertRaises(
                    AccessError,
                    msg=f"a portal user reads helpdesk.ticket.{name} of his ticket",
                ):
                    ticket.read([name])

    def test_portal_reads_nothing_through_the_record(self):
        ticket = self.portal_ticket.with_user(self.portal_user)
        for name in ("complaint_escalation_reason", "complaint_cost"):
            ticket.invalidate_recordset()
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.assertIsNotNone(ticket[name])

    def test_portal_cannot_search_or_group_by_internal_fields(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.portal_user)
        self.assertEqual(Ticket.search([]), self.portal_ticket)
        domains = [
            [("complaint_escalation_reason", "ilike", "fault")],
            [("complaint_cost", ">=", 0)],
            [("complaint_root_cause_id", "!=", False)],
            [("complaint_deadline_state", "=", "overdue")],
            [("complaint_employee_id", "=", False)],
        ]
        for domain in domains:
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Ticket.search_read(domain, ["name"])
        for groupby in ("complaint_root_cause_id", "complaint_escalated"):
            with self.subTest(groupby=groupby), self.assertRaises(AccessError):
                Ticket.read_group([], ["name"], [groupby])
        with self.assertRaises(AccessError):
            Ticket.search_read([], ["complaint_escalation_reason"])
        # Portal users may not export at all (UserError).
        with self.assertRaises(UserError):
            Ticket.browse(self.portal_ticket.id).export_data(
                ["complaint_escalation_reason"]
            )

    def test_helpdesk_user_reads_every_field(self):
        ticket = self.portal_ticket.with_user(self.helpdesk_manager)
        # The remedy lists follow the groups of their documents instead.
        ticket.read(
            [
                name
                for name, field in crm_360_fields(ticket).items()
                if field.groups in (None, HELPDESK_USER_GROUP)
            ]
        )
        self.assertEqual(ticket.complaint_escalation_reason, "Do not admit fault")

    def test_internal_user_without_helpdesk_sees_no_handling(self):
        employee = self._new_user("c360_follower_employee", "base.group_user")
        self.portal_ticket.message_subscribe(employee.partner_id.ids)
        ticket = self.portal_ticket.with_user(employee)
        ticket.read(["name", "is_complaint"])
        with self.assertRaises(AccessError):
            ticket.read(["complaint_escalation_reason"])


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintPortalPages(PortalComplaintMixin, HttpCase):
    """helpdesk_mgmt's portal pages still render for the customer, without the
    complaint's handling."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hengxin Electronics", "is_company": True}
        )
        cls.quality = cls.env.ref("crm_360.complaint_category_product_quality")
        cls._portal_complaint()

    def test_portal_pages_render(self):
        self.authenticate("c360_portal_customer", "c360_portal_customer")
        for url in ("/my/tickets", f"/my/ticket/{self.portal_ticket.id}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Pump leaking after two weeks", response.text)
                self.assertNotIn("Do not admit fault", response.text)


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintIntegrity(ComplaintCommon):
    """Wizards given a ticket the user may not change, cross-company
    escalation, the handling log's recorder and date, error messages of the
    document checks, and deadlines from any stored setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Other Desk",
                "user_id": cls.helpdesk_manager.id,
                "user_ids": [(6, 0, cls.agent_2.ids)],
            }
        )
        cls.company_b = cls.env["res.company"].create({"name": "Complaints Branch B"})
        cls.user_b = cls._new_user(
            "c360_agent_company_b",
            "helpdesk_mgmt.group_helpdesk_user_own",
            company=cls.company_b,
            name="Agent Branch B",
        )
        cls.coupon_agent = cls._new_user(
            "c360_coupon_agent",
            "helpdesk_mgmt.group_helpdesk_user_own,sales_team.group_sale_manager",
            name="Coupon Agent",
        )
        cls.team.user_ids = [(4, cls.coupon_agent.id)]
        cls.secret = cls.env["helpdesk.ticket"].create(
            {
                "name": "Secret complaint of another team",
                "description": "<p>Confidential</p>",
                "partner_id": cls.other_customer.id,
                "is_complaint": True,
                "team_id": cls.other_team.id,
                "user_id": cls.agent_2.id,
            }
        )

    # --- wizards on a ticket the user may not change ---------------------------

    def test_wizards_refuse_a_ticket_the_user_cannot_change(self):
        readable_only = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        cases = [
            ("helpdesk.complaint.escalate", self.agent, self.secret),
            ("helpdesk.complaint.coupon", self.coupon_agent, self.secret),
        ]
        # The team agent reads the team's tickets, the coupon agent only his
        # own: the ticket of another handler is out of his reach to change.
        cases.append(("helpdesk.complaint.coupon", self.coupon_agent, readable_only))
        for model, user, ticket in cases:
            Wizard = self.env[model].with_user(user)
            with self.subTest(model=model, user=user.login, path="ticket_id"):
                with self.assertRaises(AccessError) as caught:
                    Wizard.create({"ticket_id": ticket.id, "reason": "Why not"})
                self.assertNotIn(ticket.name, str(caught.exception))
                self.assertNotIn(ticket.partner_id.name, str(caught.exception))
            with self.subTest(model=model, user=user.login, path="default_ticket_id"):
                with self.assertRaises(AccessError):
                    Wizard.with_context(default_ticket_id=ticket.id).create(
                        {"reason": "Why not"}
                    )
            with self.subTest(model=model, user=user.login, path="form"):
                with self.assertRaises(AccessError):
                    Form(Wizard.with_context(default_ticket_id=ticket.id))
            with self.subTest(model=model, user=user.login, path="onchange"):
                with self.assertRaises(AccessError):
                    Wizard.onchange(
                        {"ticket_id": ticket.id}, ["ticket_id"], {"ticket_id": {}}
                    )

    def test_wizards_refuse_a_ticket_of_another_company(self):
        ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        for model in ("helpdesk.complaint.escalate", "helpdesk.complaint.coupon"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_b).create(
                    {"ticket_id": ticket.id, "reason": "Across companies"}
                )

    def test_wizards_open_on_a_ticket_the_user_may_change(self):
        ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        wizard = (
            self.env["helpdesk.complaint.escalate"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "user_id": self.agent_2.id, "reason": "R"})
        )
        self.assertEqual(wizard.ticket_id, ticket)

    # --- escalation within the complaint's company -------------------------------

    def test_escalation_stays_in_the_company(self):
        ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        wizard = (
            self.env["helpdesk.complaint.escalate"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "user_id": self.user_b.id, "reason": "R"})
        )
        with self.assertRaisesRegex(UserError, "does not work for"):
            wizard.action_escalate()
        self.assertFalse(ticket.complaint_escalated)
        self.assertFalse(ticket.complaint_step_ids)
        department_b = self.env["hr.department"].create(
            {"name": "Quality B", "company_id": self.company_b.id}
        )
        # The agent cannot read the other company's department: the wizard
        # refuses it when it is created, before showing anything of it.
        with self.assertRaises(AccessError):
            self.env["helpdesk.complaint.escalate"].with_user(self.agent).create(
                {
                    "ticket_id": ticket.id,
                    "department_id": department_b.id,
                    "user_id": self.agent_2.id,
                    "reason": "R",
                }
            )
        wizard = self.env["helpdesk.complaint.escalate"].create(
            {
                "ticket_id": ticket.id,
                "department_id": department_b.id,
                "user_id": self.agent_2.id,
                "reason": "R",
            }
        )
        with self.assertRaisesRegex(UserError, "another company"):
            wizard.action_escalate()
        # The model holds the same rule, whatever path writes the fields.
        with self.assertRaisesRegex(ValidationError, "does not work for"):
            ticket.sudo().complaint_escalation_user_id = self.user_b
        other = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        with self.assertRaisesRegex(ValidationError, "another company"):
            other.sudo().complaint_escalation_department_id = department_b

    # --- the handling log ----------------------------------------------------------

    def test_step_recorded_by_its_author_when_it_happened(self):
        ticket = self._complaint(team_id=self.team.id, user_id=self.agent.id)
        Step = self.env["helpdesk.complaint.step"].with_user(self.agent)
        values = {"ticket_id": ticket.id, "description": "Called the customer"}
        with self.assertRaisesRegex(ValidationError, "your own name"):
            Step.create(dict(values, user_id=self.agent_2.id))
        with self.assertRaisesRegex(ValidationError, "before the complaint"):
            Step.create(dict(values, date=ticket.create_date - timedelta(days=400)))
        with self.assertRaisesRegex(ValidationError, "in the future"):
            Step.create(dict(values, date=datetime.now() + timedelta(days=3)))
        step = Step.create(dict(values, user_id=self.agent.id))
        self.assertEqual(step.user_id, self.agent)
        self.assertEqual(Step.create(values).user_id, self.agent)
        # Not even a helpdesk manager rewrites who recorded a step and when.
        as_manager = step.with_user(self.helpdesk_manager)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            as_manager.user_id = self.helpdesk_manager
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            as_manager.date = ticket.create_date
        as_manager.description = "Called the customer twice"
        # The superuser (data imports, migrations) records for others.
        imported = self.env["helpdesk.complaint.step"].create(
            dict(values, user_id=self.agent_2.id)
        )
        self.assertEqual(imported.user_id, self.agent_2)

    def test_step_logged_with_the_new_complaint(self):
        # The complaint's creation date keeps microseconds, the step's does not.
        moment = datetime(2026, 3, 2, 9, 0, 0, 999999)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(
                    {
                        "name": "Leak",
                        "description": "<p>Leak</p>",
                        "is_complaint": True,
                        "team_id": self.team.id,
                        "user_id": self.agent.id,
                        "complaint_step_ids": [
                            Command.create({"description": "Calmed the customer"})
                        ],
                    }
                )
            )
        self.assertEqual(ticket.complaint_step_ids.date, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.complaint_step_ids.user_id, self.agent)

    # --- messages of the document checks -------------------------------------------

    def test_document_check_names_only_readable_documents(self):
        vendor = self.env["res.partner"].create({"name": "Seal Supplier Ltd"})
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": vendor.id,
                "invoice_date": "2026-03-01",
                "invoice_line_ids": [
                    (0, 0, {"name": "Seals", "quantity": 1, "price_unit": 10.0})
                ],
            }
        )
        bill.action_post()
        ticket = self._complaint(
            team_id=self.team.id, user_id=self.agent.id, partner_id=vendor.id
        )
        # The agent has no accounting right: the message names nothing.
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.agent).invoice_id = bill
        self.assertNotIn(bill.name, str(caught.exception))
        self.assertIn("do not agree", str(caught.exception))
        # An accountant handling complaints is told which document.
        accountant = self._new_user(
            "c360_complaint_accountant",
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
        )
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(accountant).invoice_id = bill
        self.assertIn(bill.name, str(caught.exception))

    # --- dates from any stored setting -------------------------------------------

    def test_huge_resolution_window_means_no_deadline(self):
        priority = self.env["helpdesk.complaint.priority"].create(
            {
                "urgency": "high",
                "importance": "high",
                "priority": "3",
                "response_hours": 1.0,
                "resolution_hours": 2.0,
                "company_id": self.company.id,
            }
        )
        # Beyond the fields' bounds: stored by SQL, as an old database may hold.
        self.env.cr.execute(
            "UPDATE helpdesk_complaint_priority"
            " SET response_hours = %s, resolution_hours = %s WHERE id = %s",
            (10.0**9, 10.0**12, priority.id),
        )
        priority.invalidate_recordset()
        ticket = self._complaint(
            team_id=self.team.id,
            user_id=self.agent.id,
            complaint_urgency="high",
            complaint_importance="high",
        )
        self.assertEqual(ticket.priority, "3")
        self.assertFalse(ticket.complaint_response_deadline)
        self.assertFalse(ticket.complaint_resolution_deadline)
        self.assertFalse(ticket.complaint_deadline_state)
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(
            Ticket.search(
                [("id", "=", ticket.id), ("complaint_deadline_state", "=", "overdue")]
            )
        )
        Ticket._cron_complaint_deadline_alerts()
        Form(ticket.with_user(self.agent))
        self.env["helpdesk.complaint.report"].read_group(
            [], ["nbr:sum"], ["deadline_state"]
        )

    def test_huge_recurrence_period_counts_all_history(self):
        self.company.write({"complaint_recurrence_threshold": 2})
        # Beyond the field's bounds: stored by SQL, as an old database may hold.
        self.env.cr.execute(
            "UPDATE res_company SET complaint_recurrence_days = %s WHERE id = %s",
            (2**31 - 1, self.company.id),
        )
        self.company.invalidate_recordset()
        first = self._complaint(product_id=self.valve.id)
        second = self._complaint(product_id=self.valve.id)
        investigation = second.complaint_investigation_id
        self.assertTrue(investigation)
        self.assertEqual(first.complaint_investigation_id, investigation)
        self.env["helpdesk.complaint.investigation"]._investigate_complaint_recurrence()


@tagged("post_install", "-at_install")
class TestHelpdeskComplaintClassifierRobustness(TransactionCase):
    """The classifier trains and predicts on any text, and a company whose
    training fails stops no other."""

    TEXTS = ["", "😡😡😡", "🔥", "Ça ne marche pas du tout", "Не работает насос", "!!!"]

    def _samples(self, heldout_texts=()):
        """(id, label, tokens): ten known complaints of two aspects, and the
        held-out ones (ids multiple of HELDOUT_MODULO) with the texts given."""
        samples = []
        next_id = 1
        for index in range(12):
            label = "1" if index % 2 else "2"
            text = "pump leaking oil" if label == "1" else "price too expensive"
            if not next_id % HELDOUT_MODULO:
                next_id += 1
            samples.append((next_id, label, tokenize(text)))
            next_id += 1
        for offset, text in enumerate(heldout_texts or self.TEXTS, start=1):
            samples.append((HELDOUT_MODULO * 1000 * offset, "1", tokenize(text)))
        return samples

    def test_predict_on_any_text(self):
        model = train_naive_bayes([(label, t) for _i, label, t in self._samples()])
        for text in [*self.TEXTS, "pump", None]:
            with self.subTest(text=text):
                probabilities = predict_naive_bayes(model, tokenize(text))
                self.assertIsInstance(probabilities, dict)
        self.assertEqual(predict_naive_bayes(model, tokenize("😡")), {})
        self.assertEqual(predict_naive_bayes(train_naive_bayes([]), ["pump"]), {})
        empty = {"docs": {"1": 0}, "words": {"1": {"pump": 1}}, "totals": {}}
        self.assertEqual(predict_naive_bayes(dict(empty, vocabulary=1), ["pump"]), {})

    def test_train_with_held_out_texts_sharing_no_token(self):
        company = self.env.company
        Classifier = self.env["helpdesk.complaint.classifier"]
        for texts in (self.TEXTS, ["😡"], ["Не работает"], [""]):
            with (
                self.subTest(texts=texts),
                patch.object(
                    type(Classifier),
                    "_training_samples",
                    lambda _model, _company, texts=texts: self._samples(texts),
                ),
            ):
                classifier = Classifier._train(company)
                self.assertTrue(classifier.model_data)
                self.assertGreater(classifier.heldout_count, 0)
                self.assertLessEqual(classifier.accuracy, 1.0)
                for text in [*self.TEXTS, "pump leaking"]:
                    self.assertIsInstance(classifier._predict(text), dict)

    def test_damaged_model_predicts_nothing(self):
        company = self.env["res.company"].create({"name": "Damaged Classifier"})
        classifier = self.env["helpdesk.complaint.classifier"].create(
            {"company_id": company.id, "model_data": {"docs": "broken"}}
        )
        with mute_logger("odoo.addons.crm_360.models.helpdesk_complaint_classifier"):
            self.assertEqual(classifier._predict("pump leaking"), {})

    def test_a_failing_company_stops_no_other(self):
        companies = self.env["res.company"].create(
            [{"name": "Classifier A"}, {"name": "Classifier B"}, {"name": "C"}]
        )
        Classifier = self.env["helpdesk.complaint.classifier"]
        original = type(Classifier)._train

        def train(self, company):
            classifier = original(self, company)
            if company == companies[1]:
                raise ValueError("broken training data")
            return classifier

        with (
            patch.object(type(Classifier), "_train", train),
            mute_logger("odoo.addons.crm_360.models.helpdesk_complaint_classifier"),
        ):
            failed = Classifier._train_companies(companies)
            Classifier._cron_train()
        self.assertEqual(failed, companies[1])
        trained = Classifier.search([("company_id", "in", companies.ids)])
        # The failing company's classifier is rolled back with its training.
        self.assertEqual(trained.company_id, companies[0] | companies[2])
        settings = self.env["res.config.settings"].with_company(companies[1]).create({})
        with (
            patch.object(type(Classifier), "_train", train),
            mute_logger("odoo.addons.crm_360.models.helpdesk_complaint_classifier"),
            self.assertRaisesRegex(UserError, "could not be trained"),
        ):
            settings.action_train_complaint_classifier()
