# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import logging
import threading
from calendar import isleap
from datetime import date, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, float_compare, mute_logger
from odoo.tools.safe_eval import safe_eval

from .base import system_write
from .crm_care_holiday import MONTHS
from .interval_limits import clamp_days

_logger = logging.getLogger(__name__)

CARE_CAMPAIGN_TYPES = [
    ("holiday", "Holiday Care"),
    ("birthday", "Birthday & Anniversary Care"),
    ("class", "Customer Class Care"),
    ("personal", "Personalised Care"),
]
CARE_TARGET_CLASSES = [
    ("all", "All Customers"),
    ("key_account", "Key Accounts"),
    ("active", "Active Customers"),
    ("loyal", "Loyal Customers"),
    ("churn_risk", "At Risk of Churn"),
    ("none", "No Class (Rule Only)"),
]
CARE_SCHEDULES = [
    ("once", "One Date"),
    ("yearly", "Every Year on a Date"),
    ("holiday", "On a Holiday"),
    ("contact_date", "On Each Contact's Own Date"),
]
CARE_CONTACT_DATES = [
    ("birthday", "Birthday"),
    ("first_purchase", "First Purchase Anniversary"),
]
CARE_STATES = [
    ("draft", "Draft"),
    ("running", "Running"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
CARE_EMAIL_MODES = [
    ("none", "No E-mail"),
    ("mailing", "Mailing"),
    ("template", "E-mail Template"),
]
# A holiday or yearly date missed by the scheduler (server down) is still
# celebrated up to this many days late; never a year late.
CARE_CATCH_UP_DAYS = 7
# Members handled per batch; a cron commits and reports progress after each.
CARE_BATCH_SIZE = 200


def care_anniversary(original, year):
    """The day ``original`` (a birth or first purchase date) recurs in ``year``:
    29 February is celebrated on 28 February in other years."""
    if original.month == 2 and original.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return original.replace(year=year)


class CrmCareCampaign(models.Model):
    _name = "crm.care.campaign"
    _description = "Customer Care Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    campaign_type = fields.Selection(
        CARE_CAMPAIGN_TYPES,
        string="Type",
        required=True,
        default="holiday",
        tracking=True,
        help="Holiday care greets customers on a holiday; birthday and anniversary "
        "care on each contact's own date; class care looks after a class of "
        "customers (key accounts, loyal, at risk of churn...); personalised care "
        "after hand-picked customers.",
    )
    state = fields.Selection(
        CARE_STATES,
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        index=True,
    )
    state_sequence = fields.Integer(
        compute="_compute_state_sequence", store=True, export_string_translation=False
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who runs the campaign: budget warnings and the activities of members "
        "without a salesperson go to the owner.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    description = fields.Html(help="Purpose and plan of the campaign.")

    # Target ---------------------------------------------------------------------
    target_class = fields.Selection(
        CARE_TARGET_CLASSES,
        string="Customer Class",
        required=True,
        default="all",
        help="Defined on the customer analytics of the campaign's company: all "
        "customers have bought at least once; key accounts are in the TOP or VIP "
        "value tier; active customers bought within the class days; loyal "
        "customers are RFM champions or loyal; customers at risk of churn are in "
        "the decline lifecycle stage, RFM at risk or hibernating, or have not "
        "bought for the class days.",
    )
    class_days = fields.Integer(
        bounds=(0, 3650),
        compute="_compute_class_days",
        store=True,
        readonly=False,
        help="Active customers: bought within this many days. At risk of churn: "
        "no purchase for this many days (or declining, or RFM at risk).",
    )
    target_domain = fields.Char(
        string="Target Rule",
        default="[]",
        help="Further conditions on the contacts, with the class: the campaign "
        "targets the contacts of the class that match the rule (Contacts "
        "Targeted), not every contact the rule editor counts.",
    )
    include_contacts = fields.Boolean(
        string="Contacts of the Customers",
        compute="_compute_include_contacts",
        store=True,
        readonly=False,
        help="Also the people of the customer companies (their key contacts), "
        "not only the customers themselves.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "crm_care_campaign_partner_rel",
        "campaign_id",
        "partner_id",
        string="Hand-picked Customers",
        help="Personalised care: exactly these customers and contacts.",
    )
    target_count = fields.Integer(
        string="Contacts Targeted",
        compute="_compute_target_count",
        help="Contacts the campaign selects now: those of the customer class (the "
        "customers themselves, and their people with Contacts of the Customers) "
        "that also match the target rule, before exclusions, hold-out and dates. "
        "Preview lists exactly them. The record count of the rule editor counts "
        "every contact matching the rule alone, whatever its class.",
    )

    # Schedule -------------------------------------------------------------------
    schedule_type = fields.Selection(
        CARE_SCHEDULES,
        string="Schedule",
        compute="_compute_schedule_type",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    date_scheduled = fields.Date(string="Date", help="One date: the day of care.")
    holiday_id = fields.Many2one(
        "crm.care.holiday",
        help="The holiday of the calendar the campaign greets, every year.",
    )
    yearly_month = fields.Selection(MONTHS, string="Month")
    yearly_day = fields.Integer(string="Day", bounds=(0, 31))
    contact_date = fields.Selection(
        CARE_CONTACT_DATES,
        string="Contact's Date",
        default="birthday",
        help="Birthday: the contact's birth date. First purchase anniversary: the "
        "day the customer first bought, from the customer analytics.",
    )
    lead_days = fields.Integer(
        bounds=(0, 365),
        string="Days Ahead",
        help="Act this many days before the day of care: time for the gift to "
        "arrive or the call to be made.",
    )
    date_start = fields.Date(
        string="Running Since",
        copy=False,
        readonly=True,
        help="Set at launch: occurrences before it are not caught up.",
    )
    date_end = fields.Date(
        string="Until",
        help="A recurring campaign stops running after this day.",
    )
    next_date = fields.Date(
        string="Next Day of Care",
        compute="_compute_next_date",
        help="The next holiday or date of the schedule; for contacts' own dates, "
        "every day may be one.",
    )

    # Care actions ---------------------------------------------------------------
    email_mode = fields.Selection(
        CARE_EMAIL_MODES,
        string="E-mail",
        required=True,
        default="none",
        help="Mailing: each day of care sends a copy of the campaign's mailing "
        "through Email Marketing, with its statistics. E-mail template: a "
        "personal e-mail from a template. Members without an e-mail address get "
        "an activity instead.",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Mailing Model",
        copy=False,
        domain="[('mailing_model_name', '=', 'res.partner')]",
        help="The e-mail designed in Email Marketing; every day of care sends a "
        "copy of it to that day's members.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'res.partner')]",
    )
    utm_campaign_id = fields.Many2one(
        "utm.campaign",
        string="Marketing Campaign",
        copy=False,
        readonly=True,
        help="Groups the campaign's mailings in Email Marketing.",
    )
    do_activity = fields.Boolean(
        string="Activity",
        help="Schedule an activity (a call, a visit, a gift delivery) for each "
        "member's salesperson.",
    )
    care_activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity Type",
        help="The activity each member's salesperson gets (a call by default).",
    )
    care_activity_summary = fields.Char(
        string="Activity Summary", help="By default, the campaign's name."
    )
    do_gift = fields.Boolean(
        string="Gift",
        help="Give each member a gift product: a zero-priced sale order, "
        "confirmed, delivered from stock; its cost counts in the campaign's cost.",
    )
    gift_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    gift_quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", bounds=(0, 1_000_000)
    )
    gift_allow_backorder = fields.Boolean(
        string="Give Without Stock",
        help="Give gifts even when the free stock does not cover them (the "
        "deliveries wait for stock). Otherwise launching and running stop with "
        "an error.",
    )
    do_coupon = fields.Boolean(
        string="Discount Coupon",
        help="Generate a coupon of a coupon program for each member and send it "
        "with the program's e-mail.",
    )
    coupon_program_id = fields.Many2one(
        "loyalty.program",
        check_company=True,
        domain="[('program_type', '=', 'coupons')]",
    )
    coupon_points = fields.Float(
        bounds=(0, 1_000_000),
        default=1.0,
        help="Points on each coupon; the program's reward turns them into a "
        "discount.",
    )
    coupon_validity_days = fields.Integer(
        bounds=(0, 3650),
        help="Coupons expire this many days after the day of care (0: never).",
    )
    do_note = fields.Boolean(string="Note", help="Log a note on each member.")
    note_body = fields.Html(string="Note Text", sanitize_style=True)

    # Budget, resources, evaluation ------------------------------------------
    budget_amount = fields.Monetary(
        string="Budget", tracking=True, bounds=(0, 1_000_000_000_000)
    )
    budget_policy = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        compute="_compute_budget_policy",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="When gifts and resources would cost more than the budget: warn "
        "the owner, or block the gifts.",
    )
    resource_ids = fields.One2many(
        "crm.care.campaign.resource", "campaign_id", string="Resources", copy=True
    )
    holdout_percent = fields.Float(
        bounds=(0, 50),
        string="Hold-out Group (%)",
        help="A random share of the target kept out of the care, to measure "
        "uplift: members' revenue against the hold-out's. The draw is "
        "reproducible: a contact stays in the same group.",
    )
    result_window_days = fields.Integer(
        bounds=(1, 3650),
        string="Result Window (Days)",
        default=30,
        help="Orders a member's customer confirms within this many days after "
        "the day of care count as the campaign's results.",
    )
    occurrence_ids = fields.One2many(
        "crm.care.campaign.occurrence", "campaign_id", string="Days of Care"
    )
    member_ids = fields.One2many("crm.care.campaign.member", "campaign_id")
    member_count = fields.Integer(
        string="Members",
        compute="_compute_member_counts",
        help="Members cared for or about to be (hold-out and excluded contacts "
        "not included).",
    )
    member_all_count = fields.Integer(
        string="All Members",
        compute="_compute_member_counts",
        help="Every member you may see, hold-out and excluded included: what the "
        "Members button opens.",
    )
    holdout_count = fields.Integer(
        string="Hold-out Members", compute="_compute_member_counts"
    )
    excluded_count = fields.Integer(
        string="Excluded",
        compute="_compute_member_counts",
        help="Blacklisted customers and contacts who opted out of e-mails.",
    )
    pending_count = fields.Integer(string="To Do", compute="_compute_member_counts")
    responded_count = fields.Integer(string="Responded", compute="_compute_results")
    response_rate = fields.Float(compute="_compute_results", string="Response (%)")
    mailing_count = fields.Integer(compute="_compute_document_counts")
    gift_order_count = fields.Integer(compute="_compute_document_counts")
    coupon_count = fields.Integer(compute="_compute_document_counts")
    member_customer_count = fields.Integer(
        string="Customers Cared For",
        compute="_compute_results",
        help="Distinct customers (companies) among the members.",
    )
    holdout_customer_count = fields.Integer(
        string="Hold-out Customers", compute="_compute_results"
    )
    member_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_results",
        help="Untaxed confirmed orders of the members' customers within the result "
        "window after their day of care (gift orders excluded), each order "
        "counted once; only orders you may see.",
    )
    holdout_revenue = fields.Monetary(
        string="Hold-out Revenue", compute="_compute_results"
    )
    member_order_count = fields.Integer(string="Orders", compute="_compute_results")
    revenue_per_customer = fields.Monetary(
        string="Revenue per Customer", compute="_compute_results"
    )
    holdout_revenue_per_customer = fields.Monetary(
        string="Hold-out Revenue per Customer", compute="_compute_results"
    )
    uplift_percent = fields.Float(
        string="Uplift (%)",
        compute="_compute_results",
        help="Revenue per cared-for customer against revenue per hold-out "
        "customer. Undefined (shown as —) when the hold-out group has no customer "
        "or bought nothing: there is nothing to compare with. Meaningless on "
        "small groups: read it with the group sizes.",
    )
    uplift_defined = fields.Boolean(
        compute="_compute_results",
        help="The hold-out group has customers and bought something.",
    )
    incremental_revenue = fields.Monetary(
        compute="_compute_results",
        help="What the cared-for customers bought beyond what they would have "
        "bought at the hold-out's rate: (revenue per cared-for customer − revenue "
        "per hold-out customer) × cared-for customers. When the hold-out bought "
        "nothing, it is the whole revenue; undefined (—) without hold-out "
        "customers.",
    )
    incremental_defined = fields.Boolean(
        compute="_compute_results",
        help="The hold-out group has customers to compare with.",
    )
    gift_cost = fields.Monetary(
        compute="_compute_results",
        help="Cost of the gifts given (the products' cost on the gift orders).",
    )
    coupon_cost = fields.Monetary(
        compute="_compute_results",
        help="Discounts the campaign's coupons gave on confirmed orders.",
    )
    resource_cost = fields.Monetary(compute="_compute_results")
    total_cost = fields.Monetary(compute="_compute_results", string="Cost")
    roi_percent = fields.Float(
        string="ROI (%)",
        compute="_compute_results",
        help="(Return − cost) ÷ cost. The return is the incremental revenue when "
        "the hold-out group has customers, the revenue otherwise. Undefined "
        "(shown as —) while the campaign cost nothing.",
    )
    roi_defined = fields.Boolean(
        string="ROI Defined",
        compute="_compute_results",
        help="The campaign has a cost to divide by.",
    )
    budget_exceeded = fields.Boolean(compute="_compute_results")

    _sql_constraints = [
        (
            "holdout_percent_range",
            "CHECK (holdout_percent >= 0 AND holdout_percent <= 50)",
            "The hold-out group is between 0 and 50 % of the target.",
        ),
        (
            "lead_days_positive",
            "CHECK (lead_days >= 0)",
            "Days ahead cannot be negative.",
        ),
        (
            "result_window_positive",
            "CHECK (result_window_days > 0)",
            "The result window is at least one day.",
        ),
        (
            "budget_positive",
            "CHECK (budget_amount >= 0)",
            "The budget cannot be negative.",
        ),
    ]

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(CARE_STATES)}
        order["running"] = -1
        for campaign in self:
            campaign.state_sequence = order.get(campaign.state, 9)

    @api.depends("target_class")
    def _compute_class_days(self):
        for campaign in self:
            campaign.class_days = 180 if campaign.target_class == "churn_risk" else 90

    @api.depends("campaign_type")
    def _compute_include_contacts(self):
        for campaign in self:
            campaign.include_contacts = campaign.campaign_type == "birthday"

    @api.depends("campaign_type")
    def _compute_schedule_type(self):
        for campaign in self:
            if campaign.campaign_type == "birthday":
                campaign.schedule_type = "contact_date"
            elif campaign.campaign_type == "holiday":
                campaign.schedule_type = "holiday"
            elif not campaign.schedule_type or campaign.schedule_type in (
                "contact_date",
                "holiday",
            ):
                campaign.schedule_type = "once"

    @api.depends("company_id")
    def _compute_budget_policy(self):
        for campaign in self:
            campaign.budget_policy = (
                campaign.company_id.care_budget_policy
                or campaign.budget_policy
                or "warn"
            )

    @api.depends(
        "target_class",
        "class_days",
        "target_domain",
        "include_contacts",
        "partner_ids",
        "campaign_type",
        "schedule_type",
        "contact_date",
        "company_id",
    )
    def _compute_target_count(self):
        for campaign in self:
            try:
                domain = campaign._get_target_domain()
                # A rule saved before it was validated must not break the form.
                count = (
                    self.env["res.partner"]
                    .with_company(campaign.company_id or self.env.company)
                    .search_count(domain)
                )
            except (UserError, ValidationError, ValueError, KeyError, TypeError):
                campaign.target_count = 0
                continue
            campaign.target_count = count

    @api.depends(
        "schedule_type",
        "date_scheduled",
        "holiday_id",
        "holiday_id.date_ids.date",
        "yearly_month",
        "yearly_day",
        "lead_days",
    )
    def _compute_next_date(self):
        for campaign in self:
            today = campaign._care_today()
            events = campaign._get_event_dates(today, today + timedelta(days=400))
            campaign.next_date = events[0] if events else False

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_member_counts(self):
        counts = {
            (campaign.id, state): count
            for campaign, state, count in self.env[
                "crm.care.campaign.member"
            ]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "state"],
                ["__count"],
            )
        }
        for campaign in self:
            campaign.holdout_count = counts.get((campaign.id, "holdout"), 0)
            campaign.excluded_count = counts.get((campaign.id, "excluded"), 0)
            campaign.pending_count = counts.get((campaign.id, "pending"), 0)
            campaign.member_count = campaign.pending_count + counts.get(
                (campaign.id, "done"), 0
            )
            campaign.member_all_count = sum(
                count for (cid, _state), count in counts.items() if cid == campaign.id
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_document_counts(self):
        members = self.env["crm.care.campaign.member"]
        mailing = dict(
            members._read_group(
                [("campaign_id", "in", self.ids), ("mailing_id", "!=", False)],
                ["campaign_id"],
                ["mailing_id:count_distinct"],
            )
        )
        orders = dict(
            self.env["sale.order"]._read_group(
                [("care_campaign_id", "in", self.ids)],
                ["care_campaign_id"],
                ["__count"],
            )
        )
        coupons = dict(
            self.env["loyalty.card"]._read_group(
                [("care_campaign_id", "in", self.ids)],
                ["care_campaign_id"],
                ["__count"],
            )
        )
        for campaign in self:
            campaign.mailing_count = mailing.get(campaign, 0)
            campaign.gift_order_count = orders.get(campaign, 0)
            campaign.coupon_count = coupons.get(campaign, 0)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_results(self):
        results = self._get_results()
        for campaign in self:
            res = results.get(campaign.id, {})
            currency = campaign.currency_id
            customers = res.get("customers", 0)
            holdout_customers = res.get("holdout_customers", 0)
            revenue = res.get("revenue", 0.0)
            holdout_revenue = res.get("holdout_revenue", 0.0)
            per_customer = revenue / customers if customers else 0.0
            holdout_per_customer = (
                holdout_revenue / holdout_customers if holdout_customers else 0.0
            )
            campaign.member_customer_count = customers
            campaign.holdout_customer_count = holdout_customers
            campaign.member_revenue = revenue
            campaign.holdout_revenue = holdout_revenue
            campaign.member_order_count = res.get("orders", 0)
            campaign.revenue_per_customer = per_customer
            campaign.holdout_revenue_per_customer = holdout_per_customer
            # Undefined figures are stored as 0 and flagged: the views and the
            # XLSX show them as undefined, never as 0.
            campaign.uplift_defined = bool(holdout_customers and holdout_per_customer)
            campaign.uplift_percent = (
                (per_customer - holdout_per_customer) / holdout_per_customer * 100.0
                if campaign.uplift_defined
                else 0.0
            )
            incremental = (
                (per_customer - holdout_per_customer) * customers
                if holdout_customers
                else revenue
            )
            campaign.incremental_defined = bool(holdout_customers)
            campaign.incremental_revenue = incremental if holdout_customers else 0.0
            campaign.gift_cost = res.get("gift_cost", 0.0)
            campaign.coupon_cost = res.get("coupon_cost", 0.0)
            campaign.resource_cost = sum(campaign.resource_ids.mapped("cost"))
            total = campaign.gift_cost + campaign.coupon_cost + campaign.resource_cost
            campaign.total_cost = total
            campaign.roi_defined = bool(total)
            campaign.roi_percent = (
                (incremental - total) / total * 100.0 if total else 0.0
            )
            campaign.budget_exceeded = bool(
                campaign.budget_amount
                and currency
                and float_compare(
                    total,
                    campaign.budget_amount,
                    precision_rounding=currency.rounding,
                )
                > 0
            )
            responded = res.get("responded", 0)
            members = res.get("members", 0)
            campaign.responded_count = responded
            campaign.response_rate = responded / members * 100.0 if members else 0.0

    @api.constrains("yearly_month", "yearly_day", "schedule_type")
    def _check_yearly_date(self):
        for campaign in self.filtered(lambda c: c.schedule_type == "yearly"):
            if not campaign.yearly_month or not campaign.yearly_day:
                continue
            try:
                # 2024 is a leap year: 29 February is a valid yearly date.
                date(2024, int(campaign.yearly_month), campaign.yearly_day)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: %(month)s has no day %(day)s.",
                        campaign=campaign.name,
                        month=dict(
                            self._fields["yearly_month"]._description_selection(
                                self.env
                            )
                        )[campaign.yearly_month],
                        day=campaign.yearly_day,
                    )
                ) from error

    @api.constrains("target_domain", "company_id")
    def _check_target_domain(self):
        """The target rule must name real fields with valid operators and
        values: checked by running it once, so that it never breaks the
        campaign's form or runs afterwards."""
        for campaign in self:
            domain = campaign._get_user_domain()
            Partner = self.env["res.partner"].with_company(
                campaign.company_id or self.env.company
            )
            try:
                with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                    Partner.search(domain, limit=1)
            except (
                ValueError,
                KeyError,
                TypeError,
                IndexError,
                psycopg2.Error,
            ) as error:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: the target rule is not valid: %(reason)s",
                        campaign=campaign.name,
                        reason=str(error).strip().splitlines()[0]
                        if str(error)
                        else type(error).__name__,
                    )
                ) from error

    @api.constrains("gift_quantity", "coupon_points", "class_days")
    def _check_quantities(self):
        for campaign in self:
            if campaign.do_gift and campaign.gift_quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: the gift quantity must be positive.",
                        campaign=campaign.name,
                    )
                )
            if campaign.do_coupon and campaign.coupon_points <= 0:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: a coupon needs some points.",
                        campaign=campaign.name,
                    )
                )
            if campaign.class_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: the class days cannot be negative.",
                        campaign=campaign.name,
                    )
                )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for campaign, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%s (copy)", campaign.name))
        return vals_list

    def unlink(self):
        if any(campaign.member_ids for campaign in self):
            raise UserError(
                self.env._(
                    "A campaign that has cared for members cannot be deleted: "
                    "cancel or archive it."
                )
            )
        return super().unlink()

    # Actions ----------------------------------------------------------------------

    def action_launch(self):
        """Check the campaign, start running it and perform what is due today."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft campaign can be launched: %(campaign)s is not.",
                        campaign=campaign.name,
                    )
                )
            campaign._assert_launchable()
        with system_write():
            self.write(
                {"state": "running", "date_start": fields.Date.context_today(self)}
            )
        for campaign in self:
            campaign._run()
        return True

    def action_run_now(self):
        """Perform what is due now (what the scheduler would do at its next run)."""
        for campaign in self:
            if campaign.state != "running":
                raise UserError(
                    self.env._("%(campaign)s is not running.", campaign=campaign.name)
                )
            campaign._run()
        return True

    def action_done(self):
        self.filtered(lambda c: c.state == "running").write({"state": "done"})

    def action_cancel(self):
        self.filtered(lambda c: c.state in ("draft", "running")).write(
            {"state": "cancelled"}
        )

    def action_draft(self):
        self.filtered(lambda c: c.state == "cancelled").write({"state": "draft"})

    @api.readonly
    def action_view_target(self):
        self.ensure_one()
        return {
            "name": self.env._("Target of %(campaign)s", campaign=self.name),
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._get_target_domain(),
            "context": {"allowed_company_ids": [self.company_id.id]},
        }

    @api.readonly
    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_360.crm_care_campaign_member_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    @api.readonly
    def action_view_mailings(self):
        self.ensure_one()
        return {
            "name": self.env._("Mailings"),
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.member_ids.mailing_id.ids)],
        }

    @api.readonly
    def action_view_gift_orders(self):
        self.ensure_one()
        return {
            "name": self.env._("Gift Orders"),
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("care_campaign_id", "=", self.id)],
            "context": {"create": False},
        }

    @api.readonly
    def action_view_coupons(self):
        self.ensure_one()
        return {
            "name": self.env._("Coupons"),
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("care_campaign_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_edit_mailing(self):
        """Open the campaign's mailing model in Email Marketing, creating it the
        first time."""
        self.ensure_one()
        if not self.mailing_id:
            self.mailing_id = self.env["mailing.mailing"].create(
                {
                    "subject": self.name,
                    "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "mailing_domain": "[('id', '=', 0)]",
                    "campaign_id": self._get_utm_campaign().id,
                    "body_arch": self._default_mailing_body(),
                    "body_html": self._default_mailing_body(),
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": self.mailing_id.id,
        }

    def _default_mailing_body(self):
        return self.env["ir.qweb"]._render(
            "crm_360.crm_care_campaign_mailing_body", {"campaign": self}
        )

    # Target ---------------------------------------------------------------------

    def _get_user_domain(self):
        self.ensure_one()
        try:
            domain = safe_eval(self.target_domain or "[]")
        except Exception as error:
            raise ValidationError(
                self.env._(
                    "%(campaign)s: the target rule is not a valid domain.",
                    campaign=self.name,
                )
            ) from error
        if not isinstance(domain, list | tuple):
            raise ValidationError(
                self.env._(
                    "%(campaign)s: the target rule is not a valid domain.",
                    campaign=self.name,
                )
            )
        return list(domain)

    def _get_class_domain(self):
        """The customer class as a domain on contacts, read on the analytics of
        their commercial entity (company-dependent: search with the campaign's
        company)."""
        self.ensure_one()
        today = self._care_today()
        since = today - timedelta(days=clamp_days(self.class_days))
        prefix = "commercial_partner_id."
        if self.target_class == "none":
            return []
        if self.target_class == "all":
            return [(prefix + "customer_first_purchase_date", "!=", False)]
        if self.target_class == "key_account":
            return [(prefix + "value_tier", "in", ["top", "vip"])]
        if self.target_class == "active":
            return [(prefix + "customer_last_purchase_date", ">=", since)]
        if self.target_class == "loyal":
            return [(prefix + "rfm_segment", "in", ["champions", "loyal"])]
        # At risk of churn.
        return [
            "|",
            "|",
            (prefix + "lifecycle_stage", "=", "decline"),
            (prefix + "rfm_segment", "in", ["at_risk", "hibernating"]),
            (prefix + "customer_last_purchase_date", "<", since),
        ]

    def _get_target_domain(self):
        """Contacts the campaign targets (before exclusions and hold-out)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        domain = [
            ("type", "=", "contact"),
            ("company_id", "in", [False, company.id]),
        ]
        if self.campaign_type == "personal":
            return domain + [("id", "in", self.partner_ids.ids)]
        if not self.include_contacts:
            domain.append(("parent_id", "=", False))
        if self.schedule_type == "contact_date":
            if self.contact_date == "birthday":
                domain.append(("birthdate_date", "!=", False))
            else:
                domain.append(
                    ("commercial_partner_id.customer_first_purchase_date", "!=", False)
                )
        return domain + self._get_class_domain() + self._get_user_domain()

    def _search_target(self):
        return (
            self.env["res.partner"]
            .with_company(self.company_id)
            .search(self._get_target_domain(), order="id")
        )

    # Schedule -------------------------------------------------------------------

    def _care_tz(self):
        self.ensure_one()
        return (
            self.user_id.tz
            or self.company_id.partner_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _care_today(self, now=None):
        """Today in the campaign owner's time zone."""
        now = now or fields.Datetime.now()
        tz = pytz.timezone(self._care_tz() if self else (self.env.user.tz or "UTC"))
        return pytz.utc.localize(now).astimezone(tz).date()

    def _get_event_dates(self, date_from, date_to):
        """Days of care of a one-date, yearly or holiday schedule within the
        range, sorted. A contact-date schedule has none of its own."""
        self.ensure_one()
        if self.schedule_type == "once":
            day = self.date_scheduled
            return [day] if day and date_from <= day <= date_to else []
        if self.schedule_type == "yearly":
            if not self.yearly_month or not self.yearly_day:
                return []
            try:
                original = date(2024, int(self.yearly_month), self.yearly_day)
            except ValueError:
                return []
            days = (
                care_anniversary(original, year)
                for year in range(date_from.year, date_to.year + 1)
            )
            return [day for day in days if date_from <= day <= date_to]
        if self.schedule_type == "holiday":
            return self._get_holiday_dates(date_from, date_to)
        return []

    def _get_holiday_dates(self, date_from, date_to):
        if not self.holiday_id:
            return []
        return self.holiday_id._get_dates(date_from, date_to)

    def _get_due_event_dates(self, today):
        """Days of care whose time has come: from ``lead_days`` before the day
        to a few days after it (a missed run catches up), not before the
        campaign started running, not after its end, never twice."""
        self.ensure_one()
        start = today - timedelta(days=CARE_CATCH_UP_DAYS)
        if self.date_start and self.schedule_type != "once":
            start = max(start, self.date_start)
        if self.schedule_type == "once":
            # A one-date campaign launched late still takes place.
            start = date.min
        events = self._get_event_dates(
            start, today + timedelta(days=clamp_days(self.lead_days))
        )
        done = set(
            self.occurrence_ids.filtered(lambda o: o.state == "done").mapped("date")
        )
        return [
            day
            for day in events
            if day not in done and (not self.date_end or day <= self.date_end)
        ]

    def _search_birthdays(self, now):
        """The target's contacts whose birthday may fall on their today +
        ``lead_days``: a day either side of the UTC date covers every time zone
        (29 February included on 28 February). The exact day is checked per
        contact; the database only narrows the target to a few days' birthdays."""
        utc_day = now.date() + timedelta(days=clamp_days(self.lead_days))
        keys = set()
        for delta in (-1, 0, 1):
            day = utc_day + timedelta(days=delta)
            keys.add(day.month * 100 + day.day)
            if day.month == 2 and day.day == 28 and not isleap(day.year):
                keys.add(229)
        Partner = self.env["res.partner"].with_company(self.company_id)
        query = Partner._search(self._get_target_domain())
        query.add_where(
            SQL(
                "(EXTRACT(MONTH FROM %(birth)s) * 100 + EXTRACT(DAY FROM %(birth)s))"
                "::integer IN %(keys)s",
                birth=SQL.identifier(query.table, "birthdate_date"),
                keys=tuple(sorted(keys)),
            )
        )
        return Partner.browse(query).sorted("id")

    def _partner_today(self, partners, now):
        """Today in each contact's own time zone (else the campaign's)."""
        default_tz = self._care_tz()
        result = {}
        cache = {}
        for partner in partners:
            tz_name = partner.tz or default_tz
            if tz_name not in cache:
                try:
                    tz = pytz.timezone(tz_name)
                except pytz.UnknownTimeZoneError:
                    tz = pytz.timezone(default_tz)
                cache[tz_name] = pytz.utc.localize(now).astimezone(tz).date()
            result[partner.id] = cache[tz_name]
        return result

    def _get_contact_date_members(self, now):
        """{day of care: contacts} of a contact-date schedule: the contacts whose
        birthday or first purchase anniversary, ``lead_days`` from their own
        today, falls today."""
        self.ensure_one()
        if self.contact_date == "birthday":
            partners = self._search_birthdays(now)
        else:
            partners = self._search_target()
        if not partners:
            return {}
        if self.contact_date == "birthday":
            original = {p.id: p.birthdate_date for p in partners}
        else:
            commercial = partners.commercial_partner_id.with_company(self.company_id)
            firsts = {p.id: p.customer_first_purchase_date for p in commercial}
            original = {p.id: firsts.get(p.commercial_partner_id.id) for p in partners}
        todays = self._partner_today(partners, now)
        result = {}
        for partner in partners:
            first = original.get(partner.id)
            if not first:
                continue
            day = todays[partner.id] + timedelta(days=clamp_days(self.lead_days))
            if day.year <= first.year and self.contact_date == "first_purchase":
                continue
            if care_anniversary(first, day.year) != day:
                continue
            if self.date_end and day > self.date_end:
                continue
            result.setdefault(day, self.env["res.partner"])
            result[day] |= partner
        return result

    # Launch checks ----------------------------------------------------------------

    def _assert_launchable(self):
        self.ensure_one()
        self._assert_launch_schedule()
        self._assert_launch_actions()
        if not self.target_count:
            raise UserError(
                self.env._(
                    "%(campaign)s targets nobody: no contact matches its class and "
                    "rule.",
                    campaign=self.name,
                )
            )
        if self.budget_policy == "block" and self.budget_amount:
            estimate = self._estimate_cost(self.target_count)
            if (
                float_compare(
                    estimate,
                    self.budget_amount,
                    precision_rounding=self.currency_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(campaign)s would cost about %(estimate)s for its "
                        "%(count)s targeted contacts, more than its budget of "
                        "%(budget)s.",
                        campaign=self.name,
                        estimate=self._format_amount(estimate),
                        count=self.target_count,
                        budget=self._format_amount(self.budget_amount),
                    )
                )

    def _assert_launch_schedule(self):
        if self.schedule_type == "once" and not self.date_scheduled:
            raise UserError(
                self.env._("%(campaign)s: set the date of care.", campaign=self.name)
            )
        if self.schedule_type == "holiday":
            if not self.holiday_id:
                raise UserError(
                    self.env._("%(campaign)s: choose the holiday.", campaign=self.name)
                )
            today = self._care_today()
            if not self.holiday_id._get_next_date(
                today - timedelta(days=CARE_CATCH_UP_DAYS)
            ):
                raise UserError(
                    self.env._(
                        "%(holiday)s has no coming date in the holiday calendar: add "
                        "next year's date (CRM › Configuration › Holidays).",
                        holiday=self.holiday_id.name,
                    )
                )
        if self.schedule_type == "yearly" and not (
            self.yearly_month and self.yearly_day
        ):
            raise UserError(
                self.env._(
                    "%(campaign)s: set the month and day of care.", campaign=self.name
                )
            )

    def _assert_launch_actions(self):
        if not (
            self.email_mode != "none"
            or self.do_activity
            or self.do_gift
            or self.do_coupon
            or self.do_note
        ):
            raise UserError(
                self.env._(
                    "%(campaign)s does nothing: choose at least one care action "
                    "(e-mail, activity, gift, coupon or note).",
                    campaign=self.name,
                )
            )
        if self.email_mode == "mailing" and not self.mailing_id:
            raise UserError(
                self.env._(
                    "%(campaign)s: design the e-mail first (Mailing Model).",
                    campaign=self.name,
                )
            )
        if self.email_mode == "template" and not self.mail_template_id:
            raise UserError(
                self.env._(
                    "%(campaign)s: choose the e-mail template.", campaign=self.name
                )
            )
        if self.do_gift and not self.gift_product_id:
            raise UserError(
                self.env._("%(campaign)s: choose the gift product.", campaign=self.name)
            )
        if self.do_gift:
            self._assert_gift_stock(self.target_count)
        if self.do_coupon:
            program = self.coupon_program_id
            if not program:
                raise UserError(
                    self.env._(
                        "%(campaign)s: choose the coupon program.", campaign=self.name
                    )
                )
            if program.program_type != "coupons" or not program.active:
                raise UserError(
                    self.env._(
                        "%(program)s is not an active coupon program.",
                        program=program.name,
                    )
                )
        if self.do_note and not self.note_body:
            raise UserError(
                self.env._("%(campaign)s: write the note.", campaign=self.name)
            )

    def _assert_gift_stock(self, count):
        """Free stock of the gift product must cover ``count`` gifts, unless
        the campaign gives without stock."""
        self.ensure_one()
        product = self.gift_product_id.with_company(self.company_id)
        if self.gift_allow_backorder or not product.is_storable:
            return
        needed = count * self.gift_quantity
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        free = product.with_context(warehouse_id=warehouse.id).free_qty
        if float_compare(free, needed, precision_rounding=product.uom_id.rounding) < 0:
            raise UserError(
                self.env._(
                    "Not enough %(product)s in stock for the gifts of %(campaign)s: "
                    "%(needed)s needed, %(free)s free. Receive stock, or allow "
                    "giving without stock.",
                    product=product.display_name,
                    campaign=self.name,
                    needed=needed,
                    free=free,
                )
            )

    def _format_amount(self, amount):
        return self.env["ir.qweb.field.monetary"].value_to_html(
            amount, {"display_currency": self.currency_id}
        )

    def _gift_unit_cost(self):
        product = self.gift_product_id.with_company(self.company_id)
        return product.standard_price * self.gift_quantity

    def _estimate_cost(self, new_members):
        """Cost committed so far (resources, gifts given, coupons used) plus the
        gifts of ``new_members`` more members."""
        self.ensure_one()
        committed = self._get_results().get(self.id, {})
        cost = (
            sum(self.resource_ids.mapped("cost"))
            + committed.get("gift_cost", 0.0)
            + committed.get("coupon_cost", 0.0)
        )
        if self.do_gift:
            cost += new_members * self._gift_unit_cost()
        return cost

    # Running ----------------------------------------------------------------------

    @api.model
    def _cron_run_care_campaigns(self):
        """Run every running campaign. Outside tests, what is done is committed
        by batch; a campaign that fails (no more stock, budget blocked) has its
        current batch undone, its owner told, and the others go on."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        campaigns = self.search([("state", "=", "running")])
        for campaign in campaigns:
            campaign = campaign.with_company(campaign.company_id)
            try:
                if auto_commit:
                    campaign._run(commit=True)
                else:
                    with self.env.cr.savepoint():
                        campaign._run()
            except UserError as error:
                if auto_commit:
                    self.env.cr.rollback()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
                campaign.message_post(
                    body=self.env._(
                        "The scheduled run stopped: %(error)s", error=error.args[0]
                    ),
                    partner_ids=campaign.user_id.partner_id.ids,
                )
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit

    def _run(self, now=None, commit=False):
        """Create the members of what is due and perform their care actions.
        Idempotent: a contact is a member once per day of care, and each
        action is performed once per member. The engine sets the members'
        statuses and documents, which users may not type."""
        with system_write():
            return self._run_care(now=now, commit=commit)

    def _run_care(self, now=None, commit=False):
        self.ensure_one()
        campaign = self.with_company(self.company_id)
        now = now or fields.Datetime.now()
        today = campaign._care_today(now)
        if campaign.date_end and today > campaign.date_end:
            campaign.state = "done"
            return
        if campaign.schedule_type == "contact_date":
            due = campaign._get_contact_date_members(now)
        else:
            due = {}
            for day in campaign._get_due_event_dates(today):
                due[day] = None
        Occurrence = self.env["crm.care.campaign.occurrence"]
        for day in sorted(due):
            occurrence = campaign.occurrence_ids.filtered(lambda o, d=day: o.date == d)
            if not occurrence:
                occurrence = Occurrence.create(
                    {"campaign_id": campaign.id, "date": day}
                )
            partners = due[day]
            if partners is None:
                partners = campaign._search_target()
                if not partners:
                    occurrence.message_post(
                        body=self.env._("Nobody matched the target on this day.")
                    )
            occurrence._add_members(partners)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        pending = campaign.member_ids.filtered(lambda m: m.state == "pending")
        campaign._perform_care(pending, commit=commit)
        if campaign.schedule_type == "once" and not campaign.member_ids.filtered(
            lambda m: m.state == "pending"
        ):
            if campaign.occurrence_ids:
                campaign.state = "done"

    def _perform_care(self, members, commit=False):
        """Perform the pending care actions of ``members`` by batches; within a
        cron, commit and report progress after each batch."""
        self.ensure_one()
        total = len(members)
        done = 0
        for start in range(0, total, CARE_BATCH_SIZE):
            batch = members[start : start + CARE_BATCH_SIZE]
            self._perform_care_batch(batch)
            done += len(batch)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
                # A batched cron: what is done stays done if a later batch fails.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        occurrences = members.occurrence_id
        occurrences.filtered(
            lambda o: all(m.state != "pending" for m in o.member_ids)
        ).write({"state": "done"})

    def _perform_care_batch(self, members):
        members = members.filtered(lambda m: m.state == "pending")
        if not members:
            return
        with_email = members.filtered(lambda m: m.partner_id.email_normalized)
        if self.email_mode != "none":
            self._care_email(with_email.filtered(lambda m: not m.email_done))
        self._care_activity(
            members.filtered(
                lambda m: not m.activity_state
                and (
                    self.do_activity
                    or (self.email_mode != "none" and m not in with_email)
                )
            )
        )
        if self.do_gift:
            self._care_gift(members.filtered(lambda m: not m.gift_order_id))
        if self.do_coupon:
            self._care_coupon(members.filtered(lambda m: not m.coupon_id))
        if self.do_note:
            self._care_note(members.filtered(lambda m: not m.note_message_id))
        members._update_state()

    def _get_utm_campaign(self):
        self.ensure_one()
        if not self.utm_campaign_id:
            self.sudo().utm_campaign_id = (
                self.env["utm.campaign"]
                .sudo()
                .create({"name": self.name, "user_id": self.user_id.id})
            )
        return self.utm_campaign_id

    def _care_email(self, members):
        if not members:
            return
        partner_ids = members.partner_id.ids
        if self.email_mode == "mailing":
            dates = sorted(set(members.mapped("occurrence_date")))
            mailing = self.mailing_id.copy(
                {
                    "name": self.env._(
                        "%(campaign)s — %(date)s",
                        campaign=self.name,
                        date=", ".join(str(d) for d in dates[:3]),
                    ),
                    "mailing_domain": repr([("id", "in", partner_ids)]),
                    "campaign_id": self._get_utm_campaign().id,
                    "user_id": self.user_id.id,
                }
            )
            members.write({"mailing_id": mailing.id, "email_done": True})
            mailing.action_send_mail(res_ids=partner_ids)
        else:
            self.mail_template_id.send_mail_batch(partner_ids)
            members.write({"email_done": True})

    def _care_activity(self, members):
        if not members:
            return
        activity_type = self.care_activity_type_id or self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for member in members:
            no_email = (
                self.email_mode != "none" and not member.partner_id.email_normalized
            )
            summary = self.care_activity_summary or self.name
            if no_email:
                summary = self.env._(
                    "%(summary)s (no e-mail address: get in touch)", summary=summary
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": member.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": member.user_id.id or self.user_id.id,
                    "date_deadline": member.occurrence_date,
                }
            )
        activities = self.env["mail.activity"].sudo().create(vals_list)
        for member, activity in zip(members, activities, strict=True):
            member.write({"activity_id": activity.id, "activity_state": "planned"})

    def _care_gift(self, members):
        if not members:
            return
        product = self.gift_product_id.with_company(self.company_id)
        self._assert_gift_stock(len(members))
        if self.budget_amount:
            estimate = self._estimate_cost(len(members))
            over = (
                float_compare(
                    estimate,
                    self.budget_amount,
                    precision_rounding=self.currency_id.rounding,
                )
                > 0
            )
            if over and self.budget_policy == "block":
                raise UserError(
                    self.env._(
                        "The gifts of %(campaign)s would bring its cost to "
                        "%(estimate)s, more than its budget of %(budget)s.",
                        campaign=self.name,
                        estimate=self._format_amount(estimate),
                        budget=self._format_amount(self.budget_amount),
                    )
                )
            if over:
                self.message_post(
                    body=self.env._(
                        "Budget exceeded: with these %(count)s gifts the campaign "
                        "costs about %(estimate)s, for a budget of %(budget)s.",
                        count=len(members),
                        estimate=self._format_amount(estimate),
                        budget=self._format_amount(self.budget_amount),
                    ),
                    partner_ids=self.user_id.partner_id.ids,
                )
        orders = (
            self.env["sale.order"]
            .sudo()
            .with_company(self.company_id)
            .create(
                [
                    {
                        "partner_id": member.partner_id.id,
                        "company_id": self.company_id.id,
                        "user_id": member.user_id.id or self.user_id.id,
                        "team_id": self.team_id.id or False,
                        "care_campaign_id": self.id,
                        "origin": self.name,
                        "client_order_ref": self.env._(
                            "Gift: %(campaign)s", campaign=self.name
                        ),
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": self.gift_quantity,
                                    "price_unit": 0.0,
                                    "discount": 0.0,
                                }
                            )
                        ],
                    }
                    for member in members
                ]
            )
        )
        for member, order in zip(members, orders, strict=True):
            member.gift_order_id = order
        orders.action_confirm()

    def _care_coupon(self, members):
        if not members:
            return
        program = self.coupon_program_id
        if not program or not program.active or program.program_type != "coupons":
            raise UserError(
                self.env._(
                    "%(campaign)s: its coupon program is missing or is not an "
                    "active coupon program.",
                    campaign=self.name,
                )
            )
        expiration = False
        Card = self.env["loyalty.card"].sudo()
        for with_mail, group in (
            (True, members.filtered(lambda m: m.partner_id.email_normalized)),
            (False, members.filtered(lambda m: not m.partner_id.email_normalized)),
        ):
            if not group:
                continue
            vals_list = []
            for member in group:
                if self.coupon_validity_days:
                    expiration = member.occurrence_date + timedelta(
                        days=clamp_days(self.coupon_validity_days)
                    )
                vals_list.append(
                    {
                        "program_id": program.id,
                        "partner_id": member.partner_id.id,
                        "points": self.coupon_points,
                        "expiration_date": expiration,
                        "care_campaign_id": self.id,
                    }
                )
            cards = Card.with_context(loyalty_no_mail=not with_mail).create(vals_list)
            self.env["loyalty.history"].sudo().create(
                [
                    {
                        "card_id": card.id,
                        "description": self.env._(
                            "Customer care: %(campaign)s", campaign=self.name
                        ),
                        "issued": self.coupon_points,
                    }
                    for card in cards
                ]
            )
            for member, card in zip(group, cards, strict=True):
                member.coupon_id = card

    def _care_note(self, members):
        for member in members:
            message = member.partner_id.sudo().message_post(
                body=self.note_body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=self.user_id.partner_id.id,
            )
            member.note_message_id = message

    # Results ----------------------------------------------------------------------

    def _get_results(self):
        """{campaign id: figures}, read from the care analysis
        (``crm.care.campaign.report``) so that the campaign, its XLSX and the
        analysis say the same; the response rate from the member figures.
        Both count only what the current user may see, in a fixed number of
        queries whatever the number of members."""
        if not self.ids:
            return {}
        results = {campaign_id: {} for campaign_id in self.ids}
        report = self.env["crm.care.campaign.report"].with_context(active_test=False)
        groups = report._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "member_group"],
            [
                "customer_count:sum",
                "revenue:sum",
                "order_count:sum",
                "gift_cost:sum",
                "coupon_cost:sum",
            ],
        )
        for campaign, group, customers, revenue, orders, gift, coupon in groups:
            result = results[campaign.id]
            if group == "holdout":
                result.update(holdout_customers=customers, holdout_revenue=revenue)
            else:
                result.update(
                    customers=customers,
                    revenue=revenue,
                    orders=orders,
                    gift_cost=gift,
                    coupon_cost=coupon,
                )
        members = self.env["crm.care.campaign.member"].search(
            [("campaign_id", "in", self.ids), ("state", "in", ("pending", "done"))]
        )
        figures = members._get_member_figures()
        # The response rate is over the members the reader may see.
        for campaign_id in self.ids:
            results[campaign_id]["members"] = 0
        for member in members:
            result = results[member.campaign_id.id]
            result["members"] += 1
            if figures[member.id]["responded"]:
                result["responded"] = result.get("responded", 0) + 1
        return results

    def _get_holdout(self, partner):
        """Reproducible draw per commercial entity: a company and all its
        contacts always fall in the same group of the same campaign, so that no
        company is both cared for and held out (its revenue counts once, for
        its group)."""
        self.ensure_one()
        if not self.holdout_percent:
            return False
        entity = partner.commercial_partner_id or partner
        digest = hashlib.sha256(f"{self.id}:{entity.id}".encode()).hexdigest()
        return int(digest[:8], 16) % 10000 < self.holdout_percent * 100
