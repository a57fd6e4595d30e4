# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.helpdesk_ticket import HELPDESK_USER_GROUP
from .common import ComplaintCase

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


class PortalComplaintMixin:
    @classmethod
    def _portal_complaint(cls):
        cls.portal_user = new_test_user(
            cls.env,
            login="c360_portal_customer",
            name="Portal Customer",
            groups="base.group_portal",
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
class TestHelpdeskComplaintPortalFields(PortalComplaintMixin, ComplaintCase):
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
                ticket[name]  # noqa: B018 - the read is the test

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
        employee = new_test_user(
            self.env, login="c360_follower_employee", groups="base.group_user"
        )
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
