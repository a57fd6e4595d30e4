# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv.expression import AND, OR
from odoo.tools import is_html_empty

from .helpdesk_complaint_priority import shift_datetime

# The start of a recurrence period too long to compute: every complaint counts
# (a day after the first one, so that any time zone can still show it).
RECURRENCE_EARLIEST = datetime(1, 1, 2)

INVESTIGATION_STATES = [
    ("open", "Open"),
    ("closed", "Closed"),
]
INVESTIGATION_ORIGINS = [
    ("recurrence", "Recurring Complaints"),
    ("manual", "Manual"),
]


class HelpdeskComplaintInvestigation(models.Model):
    """A root-cause investigation of recurring complaints (重复投诉根因调查): opened
    automatically when complaints about one product or one lot pile up, or by hand."""

    _name = "helpdesk.complaint.investigation"
    _description = "Complaint Investigation"
    _inherit = ["mail.thread", "helpdesk.complaint.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Everyone who reads an investigation may discuss it and see its to-dos.
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    origin = fields.Selection(
        INVESTIGATION_ORIGINS,
        string="Opened For",
        required=True,
        default="manual",
        readonly=True,
        help="Recurring Complaints: opened automatically when complaints about the "
        "product or lot reached the threshold set in the Helpdesk settings.",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The product the complaints are about.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The lot the complaints are about, when they share one.",
    )
    date_from = fields.Date(
        string="Complaints From", help="Start of the period the complaints counted in."
    )
    date_to = fields.Date(
        string="Complaints To", help="End of the period the complaints counted in."
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "complaint_investigation_id", string="Complaints"
    )
    complaint_count = fields.Integer(
        string="# Complaints",
        compute="_compute_complaint_count",
        store=True,
        help="Complaints attached to the investigation, visible to you or not.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Quality Owner",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.company.complaint_quality_user_id,
        help="Who leads the investigation. They may update it even without "
        "helpdesk rights, and read its complaints.",
    )
    state = fields.Selection(
        INVESTIGATION_STATES,
        string="Status",
        required=True,
        default="open",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    root_cause_id = fields.Many2one(
        "helpdesk.complaint.root.cause",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The cause found. On closing, it becomes the root cause of the "
        "complaints of the investigation that have none yet.",
    )
    conclusion = fields.Html(help="What was found, and the evidence.")
    action_ids = fields.One2many(
        "helpdesk.complaint.action",
        "investigation_id",
        string="Corrective and Preventive Actions",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    _sql_constraints = [
        (
            "open_subject_uniq",
            "EXCLUDE (company_id WITH =, product_id WITH =, "
            "(COALESCE(lot_id, 0)) WITH =) WHERE (state = 'open')",
            "An investigation of this product or lot is already open.",
        ),
    ]

    @api.depends("ticket_ids")
    def _compute_complaint_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            ._read_group(
                [("complaint_investigation_id", "in", self.ids)],
                ["complaint_investigation_id"],
                ["__count"],
            )
        )
        for investigation in self:
            investigation.complaint_count = counts.get(investigation, 0)

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        for investigation in self:
            # The quality owner may have no inventory rights.
            lot = investigation.lot_id.sudo()
            if lot and lot.product_id != investigation.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=lot.display_name,
                        product=investigation.product_id.display_name,
                    )
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    @api.model_create_multi
    def create(self, vals_list):
        investigations = super().create(vals_list)
        # The reference is a system field: numbered with superuser rights.
        Sequence = self.env["ir.sequence"].sudo()
        new = self.env._("New")
        for investigation in investigations.sudo():
            if investigation.name == new:
                investigation.name = (
                    Sequence.with_company(
                        investigation.company_id or self.env.company
                    ).next_by_code("helpdesk.complaint.investigation")
                    or new
                )
        return investigations

    def action_close(self):
        for investigation in self:
            if not investigation.root_cause_id or is_html_empty(
                investigation.conclusion
            ):
                raise UserError(
                    self.env._(
                        "Record the root cause found and the conclusion before "
                        "closing %(investigation)s.",
                        investigation=investigation.name,
                    )
                )
        investigations = self.filtered(lambda inv: inv.state == "open")
        investigations._write_state(
            {"state": "closed", "date_closed": fields.Datetime.now()}
        )
        investigations._close_owner_activity(self.env._("Investigation closed."))
        # The cause found explains the complaints investigated: the quality owner
        # records it on all of them, including those they cannot open themselves.
        for investigation in investigations:
            investigation.sudo().ticket_ids.filtered(
                lambda ticket: not ticket.complaint_root_cause_id
            ).write({"complaint_root_cause_id": investigation.root_cause_id.id})

    def action_reopen(self):
        investigations = self.filtered(lambda inv: inv.state == "closed")
        others = self.sudo().search(
            [
                ("state", "=", "open"),
                ("company_id", "in", investigations.company_id.ids),
                ("product_id", "in", investigations.product_id.ids),
            ]
        )
        subjects = {(inv.company_id, inv.product_id, inv.lot_id) for inv in others}
        for investigation in investigations:
            subject = (
                investigation.company_id,
                investigation.product_id,
                investigation.lot_id,
            )
            if investigation.product_id and subject in subjects:
                raise UserError(
                    self.env._(
                        "%(investigation)s cannot be reopened: another investigation "
                        "of %(subject)s is open.",
                        investigation=investigation.name,
                        subject=(investigation.lot_id or investigation.product_id)
                        .sudo()
                        .display_name,
                    )
                )
        investigations._write_state({"state": "open", "date_closed": False})

    @api.readonly
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            domain=[("complaint_investigation_id", "=", self.id)],
            context={"default_complaint_investigation_id": self.id},
        )
        return action

    @api.model
    def _cron_check_complaint_recurrence(self):
        self.sudo()._investigate_complaint_recurrence()

    @api.model
    def _investigate_complaint_recurrence(self, tickets=None):
        """Attach the recent complaints without investigation to the open
        investigation of their lot or else of their product, and open one where a
        lot or a product reaches its company's threshold. A lot investigation takes
        precedence: its complaints do not count again for the product.

        Only complaints without investigation count, so that a closed investigation
        is not reopened by the complaints it already covered, and running the check
        twice changes nothing. ``tickets`` limits the check to their products and
        lots; without it every product and lot is checked (the daily cron).

        Called as superuser: a recurrence counts every complaint of the company,
        including those the user who registers the last one cannot see; nothing of
        them is returned to that user. Returns the investigations opened.
        """
        companies = (
            self.env["res.company"].search([])
            if tickets is None
            else tickets.company_id
        ).filtered("complaint_recurrence_threshold")
        if not companies:
            return self.browse()
        now = fields.Datetime.now()
        # A period reaching before the first day there can be counts every
        # complaint (a stored setting far too large breaks no job).
        windows = {
            company: shift_datetime(now, days=-company.complaint_recurrence_days)
            or RECURRENCE_EARLIEST
            for company in companies
        }
        groups = self.env["helpdesk.ticket"]._read_group(
            self._recurrence_domain(windows, tickets),
            ["company_id", "product_id", "lot_id"],
            ["id:recordset"],
        )
        if not groups:
            return self.browse()
        attach, to_open = self._recurrence_dispatch(groups)
        extended = self.browse([investigation.id for investigation in attach])
        new = self.create(
            [
                {
                    "origin": "recurrence",
                    "company_id": company.id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "date_from": fields.Date.context_today(self, windows[company]),
                    "date_to": fields.Date.context_today(self, now),
                    "user_id": (
                        company.complaint_quality_user_id
                        or complaints.team_id.user_id[:1]
                    ).id,
                }
                for company, product, lot, complaints in to_open
            ]
        )
        for investigation, (_c, _p, _l, complaints) in zip(new, to_open, strict=True):
            attach[investigation] = complaints
        for investigation, complaints in attach.items():
            complaints.write({"complaint_investigation_id": investigation.id})
        for investigation in extended:
            investigation.message_post(
                body=self.env._(
                    "%(count)s more complaint(s) attached: %(complaints)s.",
                    count=len(attach[investigation]),
                    complaints=", ".join(attach[investigation].mapped("number")),
                )
            )
        new._recurrence_notify(attach)
        return new

    @api.model
    def _recurrence_domain(self, windows, tickets=None):
        """Complaints without investigation registered within their company's
        period, about the products or lots of ``tickets`` if given."""
        if tickets is None:
            subject = ["|", ("product_id", "!=", False), ("lot_id", "!=", False)]
        else:
            subject = [
                "|",
                ("product_id", "in", tickets.product_id.ids),
                ("lot_id", "in", tickets.lot_id.ids),
            ]
        periods = OR(
            [
                [("company_id", "=", company.id), ("create_date", ">=", start)]
                for company, start in windows.items()
            ]
        )
        return AND(
            [
                [
                    ("is_complaint", "=", True),
                    ("complaint_investigation_id", "=", False),
                ],
                periods,
                subject,
            ]
        )

    @api.model
    def _recurrence_dispatch(self, groups):
        """Share the complaints of ``groups`` ((company, product, lot, tickets) as
        read) out: {open investigation: complaints to attach}, and the
        [(company, product, lot, complaints)] that need a new investigation."""
        Ticket = self.env["helpdesk.ticket"]
        opened = self.search(
            [
                ("state", "=", "open"),
                ("company_id", "in", [group[0].id for group in groups]),
                "|",
                ("product_id", "in", [group[1].id for group in groups if group[1]]),
                ("lot_id", "in", [group[2].id for group in groups if group[2]]),
            ]
        )
        open_by_lot = {
            (inv.company_id, inv.lot_id): inv for inv in opened if inv.lot_id
        }
        open_by_product = {
            (inv.company_id, inv.product_id): inv for inv in opened if not inv.lot_id
        }
        attach = defaultdict(lambda: Ticket)
        to_open = []

        by_lot = defaultdict(lambda: Ticket)
        for company, _product, lot, complaints in groups:
            if lot:
                by_lot[company, lot] |= complaints
        taken = Ticket
        for (company, lot), complaints in by_lot.items():
            if investigation := open_by_lot.get((company, lot)):
                attach[investigation] |= complaints
            elif len(complaints) >= company.complaint_recurrence_threshold:
                to_open.append((company, lot.product_id, lot, complaints))
            else:
                continue
            taken |= complaints

        by_product = defaultdict(lambda: Ticket)
        for company, product, _lot, complaints in groups:
            if product and (complaints - taken):
                by_product[company, product] |= complaints - taken
        for (company, product), complaints in by_product.items():
            if investigation := open_by_product.get((company, product)):
                attach[investigation] |= complaints
            elif len(complaints) >= company.complaint_recurrence_threshold:
                to_open.append((company, product, self.env["stock.lot"], complaints))
        return attach, to_open

    def _recurrence_notify(self, attach):
        """Tell what opened these investigations, and ask their quality owner to
        start."""
        for investigation in self:
            company = investigation.company_id
            complaints = attach[investigation]
            subject = (investigation.lot_id or investigation.product_id).display_name
            investigation.message_post(
                body=self.env._(
                    "Opened automatically: %(count)s complaints about %(subject)s "
                    "within %(days)s days (threshold: %(threshold)s): "
                    "%(complaints)s.",
                    count=len(complaints),
                    subject=subject,
                    days=company.complaint_recurrence_days,
                    threshold=company.complaint_recurrence_threshold,
                    complaints=", ".join(complaints.mapped("number")),
                )
            )
        self._schedule_owner_activity()

    def _owner_activity_values(self):
        # The quality owner's to-do names what the complaints are about.
        values = super()._owner_activity_values()
        if subject := self.lot_id or self.product_id:
            values["summary"] = self.env._(
                "Investigate recurring complaints about %(subject)s",
                subject=subject.display_name,
            )
        return values
