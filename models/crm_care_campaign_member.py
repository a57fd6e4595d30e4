# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .interval_limits import MAX_INTERVAL_DAYS

CARE_MEMBER_STATES = [
    ("pending", "To Do"),
    ("done", "Cared For"),
    ("holdout", "Hold-out"),
    ("excluded", "Excluded"),
]
CARE_EXCLUSIONS = [
    ("customer_blacklist", "Blacklisted Customer"),
    ("email_blacklist", "Opted Out"),
]
CARE_ACTIVITY_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
EMAIL_STATUSES = [
    ("sent", "Sent"),
    ("open", "Opened"),
    ("reply", "Replied"),
    ("bounce", "Bounced"),
    ("error", "Failed"),
]


class CrmCareCampaignMember(models.Model):
    _name = "crm.care.campaign.member"
    _description = "Customer Care Campaign Member"
    _order = "occurrence_date desc, id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Care Campaign",
        required=True,
        ondelete="cascade",
        index=True,
    )
    occurrence_id = fields.Many2one(
        "crm.care.campaign.occurrence",
        string="Day of Care",
        required=True,
        ondelete="cascade",
        index=True,
    )
    occurrence_date = fields.Date(
        string="Date", related="occurrence_id.date", store=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    campaign_type = fields.Selection(related="campaign_id.campaign_type")
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, index=True, ondelete="cascade"
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        help="The contact's salesperson (or the customer's) when the member was "
        "added: the care activities are theirs.",
    )
    state = fields.Selection(
        CARE_MEMBER_STATES, required=True, default="pending", index=True
    )
    exclusion_reason = fields.Selection(CARE_EXCLUSIONS)
    # Actions performed, one of each per member.
    email_done = fields.Boolean(string="E-mail Sent", readonly=True)
    mailing_id = fields.Many2one(
        "mailing.mailing", readonly=True, index="btree_not_null"
    )
    email_status = fields.Selection(
        EMAIL_STATUSES,
        compute="_compute_figures",
        help="From the mailing's statistics: sent, opened, replied, bounced.",
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    activity_state = fields.Selection(CARE_ACTIVITY_STATES, readonly=True)
    gift_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    gift_delivered = fields.Boolean(compute="_compute_gift_delivered")
    coupon_id = fields.Many2one("loyalty.card", readonly=True, index="btree_not_null")
    coupon_code = fields.Char(string="Coupon Code", related="coupon_id.code")
    coupon_used = fields.Boolean(compute="_compute_figures")
    note_message_id = fields.Many2one("mail.message", readonly=True)
    response_note = fields.Text(
        string="Response", help="What the contact said or did in return."
    )
    responded = fields.Boolean(
        compute="_compute_figures",
        help="Opened or replied to the e-mail, used the coupon, or ordered within "
        "the result window.",
    )
    order_count = fields.Integer(string="Orders", compute="_compute_figures")
    revenue = fields.Monetary(
        compute="_compute_figures",
        help="Untaxed confirmed orders of the member's customer within the result "
        "window after the day of care (gift orders excluded; only orders you may "
        "see).",
    )

    _sql_constraints = [
        (
            "member_unique",
            "UNIQUE (campaign_id, occurrence_id, partner_id)",
            "A contact is a member once per day of care.",
        ),
    ]

    @api.depends("gift_order_id.delivery_status")
    def _compute_gift_delivered(self):
        for member in self:
            member.gift_delivered = member.gift_order_id.delivery_status == "full"

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_figures(self):
        figures = self._get_member_figures()
        for member in self:
            figure = figures.get(member.id, {})
            member.email_status = figure.get("email_status") or False
            member.coupon_used = figure.get("coupon_used", False)
            member.order_count = figure.get("orders", 0)
            member.revenue = figure.get("revenue", 0.0)
            member.responded = figure.get("responded", False)

    def _get_member_figures(self):
        """{member id: figures}: e-mail status from the mailing statistics,
        coupon use and the purchases (``crm.customer.purchase``) of the member's
        customer in the result window, in one query; orders are those the
        current user may see."""
        members = self.filtered("id")
        if not members:
            return {}
        self.env.flush_all()
        orders = self.env["sale.order"]._search([])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id,
                       (SELECT t.trace_status FROM mailing_trace t
                         WHERE t.mass_mailing_id = m.mailing_id
                           AND t.model = 'res.partner' AND t.res_id = m.partner_id
                         ORDER BY t.id DESC LIMIT 1),
                       EXISTS (SELECT 1 FROM sale_order_line sol
                                 JOIN sale_order cso ON cso.id = sol.order_id
                                WHERE sol.coupon_id = m.coupon_id
                                  AND cso.state = 'sale'),
                       COUNT(purchase.order_id),
                       COALESCE(SUM(purchase.amount), 0)
                  FROM crm_care_campaign_member m
                  JOIN crm_care_campaign c ON c.id = m.campaign_id
                  LEFT JOIN LATERAL (
                        SELECT p.order_id, p.amount
                          FROM (%(purchases)s) p
                         WHERE p.partner_id = m.commercial_partner_id
                           AND p.order_id IN %(orders)s
                           AND p.date_order >= m.occurrence_date
                           AND p.date_order < m.occurrence_date
                               + (LEAST(c.result_window_days, %(max_days)s) + 1)
                                 * INTERVAL '1 day'
                  ) purchase ON TRUE
                 WHERE m.id IN %(ids)s
                 GROUP BY m.id
                """,
                ids=tuple(members.ids),
                purchases=self.env["crm.customer.purchase"]._order_sql(),
                orders=orders.subselect(),
                max_days=MAX_INTERVAL_DAYS,
            )
        )
        result = {}
        statuses = {"pending": "sent", "sent": "sent", "open": "open", "reply": "reply"}
        statuses.update(bounce="bounce", error="error", cancel="error")
        for member_id, trace, coupon_used, count, revenue in self.env.cr.fetchall():
            status = statuses.get(trace)
            result[member_id] = {
                "email_status": status,
                "coupon_used": coupon_used,
                "orders": count,
                "revenue": float(revenue),
                "responded": bool(status in ("open", "reply") or coupon_used or count),
            }
        return result

    def write(self, vals):
        if (
            self
            and set(vals) - {"response_note"}
            and not self.env.su
            and not self.env.user.has_group("crm_360.group_care_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only customer care managers change campaign members; you may "
                    "note their response."
                )
            )
        if "response_note" in vals and not self.env.su:
            self._assert_response_author()
        return super().write(vals)

    def _assert_response_author(self):
        """Only the member's salesperson, the campaign's owner or its team
        leader (or a care manager) records what the contact answered."""
        if self.env.user.has_group("crm_360.group_care_manager"):
            return
        user = self.env.user
        others = self.filtered(
            lambda m: user
            not in (m.user_id | m.campaign_id.user_id | m.campaign_id.team_id.user_id)
        )
        if others:
            raise AccessError(
                self.env._(
                    "Only the member's salesperson, the campaign's owner or its "
                    "sales team leader (or a customer care manager) may note the "
                    "response of %(contacts)s.",
                    contacts=", ".join(others.mapped("partner_id.display_name")),
                )
            )

    def _update_state(self):
        """A pending member is cared for once each of the campaign's actions
        has been performed for it."""
        done_members = self.browse()
        for member in self.filtered(lambda m: m.state == "pending"):
            campaign = member.campaign_id
            has_email = bool(member.partner_id.email_normalized)
            done = (
                (campaign.email_mode == "none" or member.email_done or not has_email)
                and (
                    not (
                        campaign.do_activity
                        or (campaign.email_mode != "none" and not has_email)
                    )
                    or member.activity_state
                )
                and (not campaign.do_gift or member.gift_order_id)
                and (not campaign.do_coupon or member.coupon_id)
                and (not campaign.do_note or member.note_message_id)
            )
            if done:
                done_members |= member
        done_members.write({"state": "done"})

    @api.readonly
    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": self.partner_id.id,
        }
