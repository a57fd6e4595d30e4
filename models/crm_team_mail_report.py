# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date

from .stage_history_entry_mixin import STAGE_ENTERING_EVENTS

_logger = logging.getLogger(__name__)

PERIODICITIES = [
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
]
# Stuck deals listed in the e-mail body; the XLSX attachment lists them all.
MAIL_STUCK_LIMIT = 20


class CrmTeamMailReport(models.Model):
    """A sales report mailed to a team's managers every day, week, month or quarter.

    For the last completed period, each recipient gets an e-mail in his language with
    the team's new, won and lost opportunities, the funnel movement, the forecast
    against the targets, the stuck deals, the overdue activities and the confirmed
    orders, and the same figures as an XLSX attachment. The figures are computed
    with the recipient's own access rights, so nobody learns through the report what
    he could not open. Each send is logged once per period and recipient
    (``crm.team.mail.report.log``): a period is never sent twice.
    """

    _name = "crm.team.mail.report"
    _description = "Sales Report Mailed to Managers"
    _order = "team_id, id"
    _rec_names_search = ["team_id"]

    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True, ondelete="cascade", index=True
    )
    periodicity = fields.Selection(PERIODICITIES, required=True, default="weekly")
    send_to_leader = fields.Boolean(
        string="Send to Team Leader",
        default=True,
        help="The team leader receives the report, besides the other recipients.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "crm_team_mail_report_res_users_rel",
        "report_id",
        "user_id",
        string="Other Recipients",
        domain=[("share", "=", False)],
        help="Internal users who receive the report too. Each sees the figures his "
        "own access rights allow.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True)
    log_ids = fields.One2many(
        "crm.team.mail.report.log", "report_id", string="Sent Reports"
    )
    last_sent_date = fields.Datetime(
        string="Last Sent", compute="_compute_last_sent_date"
    )

    _sql_constraints = [
        (
            "team_periodicity_uniq",
            "UNIQUE(team_id, periodicity)",
            "A sales team has one report per periodicity.",
        ),
    ]

    @api.depends("team_id", "periodicity")
    def _compute_display_name(self):
        labels = dict(self._fields["periodicity"]._description_selection(self.env))
        for report in self:
            report.display_name = self.env._(
                "%(team)s: %(periodicity)s Sales Report",
                team=report.team_id.display_name or "",
                periodicity=labels.get(report.periodicity, ""),
            )

    def _compute_last_sent_date(self):
        groups = self.env["crm.team.mail.report.log"]._read_group(
            [("report_id", "in", self.ids)], ["report_id"], ["create_date:max"]
        )
        last = {report.id: date for report, date in groups}
        for report in self:
            report.last_sent_date = last.get(report.id, False)

    # ------------------------------------------------------------------
    # Periods and recipients
    # ------------------------------------------------------------------

    @api.model
    def _get_period(self, periodicity, today):
        """Return (first day, last day) of the last completed period before today."""
        if periodicity == "daily":
            day = today - timedelta(days=1)
            return day, day
        if periodicity == "weekly":
            monday = today - timedelta(days=today.weekday())
            return monday - timedelta(days=7), monday - timedelta(days=1)
        if periodicity == "monthly":
            first = today.replace(day=1)
            return first - relativedelta(months=1), first - timedelta(days=1)
        if periodicity == "quarterly":
            first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
            return first - relativedelta(months=3), first - timedelta(days=1)
        raise UserError(self.env._("Unknown report periodicity: %s", periodicity))

    def _get_recipients(self):
        """Active internal users receiving the report."""
        self.ensure_one()
        users = self.user_ids
        if self.send_to_leader:
            users |= self.team_id.user_id
        return users.filtered(lambda user: user.active and not user.share)

    @api.model
    def _recipient_today(self, user):
        """Today in the recipient's time zone: periods end at his midnight."""
        tz = pytz.timezone(user.tz or "UTC")
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    def _recipient_env(self, user):
        """The report as the recipient sees it: his rights, language, time zone."""
        self.ensure_one()
        return self.with_user(user).with_context(
            lang=user.lang,
            tz=user.tz,
            allowed_company_ids=user.company_ids.ids,
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _period_bounds(self, date_from, date_to):
        """UTC datetimes of the period's first and next-to-last midnights."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))

    def _get_report_figures(self, date_from, date_to):
        """Figures of the report for the period, as the current user may see them.

        Call it on ``_recipient_env(user)``. Returns plain values (numbers, strings,
        lists of dicts) that the mail template and the XLSX attachment present.
        """
        self.ensure_one()
        if date_from > date_to:
            raise UserError(
                self.env._("The period of a sales report cannot end before it starts.")
            )
        team = self.team_id
        company = team.company_id or self.env.company
        currency = company.currency_id
        start, end = self._period_bounds(date_from, date_to)
        in_period = [("date_closed", ">=", start), ("date_closed", "<", end)]
        leads = self.env["crm.lead"].with_context(active_test=False)
        team_domain = [("team_id", "=", team.id)]

        def amount(value):
            return format_amount(self.env, value or 0.0, currency)

        # New leads and opportunities, won and lost in the period
        new = dict.fromkeys(("lead", "opportunity"), 0)
        new_revenue = 0.0
        for lead_type, count, revenue in leads._read_group(
            team_domain + [("create_date", ">=", start), ("create_date", "<", end)],
            ["type"],
            ["__count", "expected_revenue:sum"],
        ):
            new[lead_type] = count
            new_revenue += revenue
        [(won_count, won_revenue)] = leads._read_group(
            team_domain
            + in_period
            + [("active", "=", True), ("stage_id.is_won", "=", True)],
            [],
            ["__count", "expected_revenue:sum"],
        )
        [(lost_count, lost_revenue)] = leads._read_group(
            team_domain + in_period + [("active", "=", False), ("probability", "=", 0)],
            [],
            ["__count", "expected_revenue:sum"],
        )

        # Funnel movement: deals entering and leaving each stage, and open now
        history = self.env["crm.lead.stage.history"]
        moves = [("team_id", "=", team.id), ("date", ">=", start), ("date", "<", end)]
        entered = dict(
            history._read_group(
                moves + [("event", "in", STAGE_ENTERING_EVENTS)],
                ["stage_to_id"],
                ["__count"],
            )
        )
        left = dict(
            history._read_group(
                moves + [("event", "in", ("stage", "won"))],
                ["stage_from_id"],
                ["__count"],
            )
        )
        open_now = {
            stage: (count, revenue)
            for stage, count, revenue in self.env["crm.lead"]._read_group(
                team_domain
                + [("type", "=", "opportunity"), ("stage_id.is_won", "=", False)],
                ["stage_id"],
                ["__count", "expected_revenue:sum"],
            )
        }
        stages = (
            self.env["crm.stage"].union(*entered, *left, *open_now).filtered("id")
        ).sorted(lambda stage: (stage.sequence, stage.id))
        funnel = [
            {
                "stage": stage.name,
                "entered": entered.get(stage, 0),
                "left": left.get(stage, 0),
                "open": open_now.get(stage, (0, 0.0))[0],
                "open_revenue": open_now.get(stage, (0, 0.0))[1],
                "open_revenue_display": amount(open_now.get(stage, (0, 0.0))[1]),
            }
            for stage in stages
        ]

        # Forecast against the targets: the months the period covers (daily and
        # weekly reports: the month of the period's last day)
        month_from = date_from.replace(day=1)
        if self.periodicity in ("daily", "weekly"):
            month_from = date_to.replace(day=1)
        forecast = []
        totals = dict.fromkeys(("won", "prorated", "forecast", "target", "gap"), 0.0)
        for user, won, prorated, total, target, gap in self.env[
            "crm.forecast.report"
        ]._read_group(
            team_domain + [("month", ">=", month_from), ("month", "<=", date_to)],
            ["user_id"],
            [
                "won_revenue:sum",
                "prorated_revenue:sum",
                "forecast_revenue:sum",
                "target_amount:sum",
                "gap_amount:sum",
            ],
        ):
            row = {
                "user": user.name or self.env._("Unassigned"),
                "won": won,
                "prorated": prorated,
                "forecast": total,
                "target": target,
                "gap": gap,
            }
            for key in totals:
                totals[key] += row[key]
            row.update({f"{key}_display": amount(row[key]) for key in totals})
            forecast.append(row)
        forecast_total = dict(totals, user=self.env._("Total"))
        forecast_total.update({f"{key}_display": amount(totals[key]) for key in totals})

        # Stuck deals (stage aging alarms), oldest stay first
        stuck_leads = self.env["crm.lead"].search(
            team_domain + [("stage_aging_state", "!=", False)],
            order="stage_entered_date, id",
        )
        aging_labels = dict(
            stuck_leads._fields["stage_aging_state"]._description_selection(self.env)
        )
        stuck = [
            {
                "name": lead.name,
                "user": lead.user_id.name or "",
                "stage": lead.stage_id.name or "",
                "days": lead.stage_age_days,
                "state": aging_labels.get(lead.stage_aging_state, ""),
                "revenue": lead.expected_revenue,
                "revenue_display": amount(lead.expected_revenue),
            }
            for lead in stuck_leads
        ]

        # Overdue activities on the team's leads, per assignee, as of now
        overdue = [
            {"user": user.name or self.env._("Unassigned"), "count": count}
            for user, count in self.env["crm.sales.activity.report"]._read_group(
                team_domain + [("state", "=", "overdue")],
                ["user_id"],
                ["nbr_overdue:sum"],
            )
            if count
        ]

        # Purchases ordered in the period (crm.customer.purchase), in the
        # company currency at each order's rate, as every crm_360 figure
        orders = self.env["sale.order"]._search(
            team_domain + [("date_order", ">=", start), ("date_order", "<", end)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*), COALESCE(SUM(purchase.amount), 0) "
                "FROM (%s) purchase WHERE purchase.order_id IN %s",
                self.env["crm.customer.purchase"]._order_sql(),
                orders.subselect(),
            )
        )
        order_count, order_amount = self.env.cr.fetchone()
        order_amount = float(order_amount)

        return {
            "team": team.display_name,
            "currency": currency.name,
            "date_from": date_from,
            "date_to": date_to,
            "period": self._period_label(date_from, date_to),
            "new_leads": new["lead"],
            "new_opportunities": new["opportunity"],
            "new_revenue": new_revenue,
            "new_revenue_display": amount(new_revenue),
            "won_count": won_count,
            "won_revenue": won_revenue,
            "won_revenue_display": amount(won_revenue),
            "lost_count": lost_count,
            "lost_revenue": lost_revenue,
            "lost_revenue_display": amount(lost_revenue),
            "funnel": funnel,
            "forecast": forecast,
            "forecast_total": forecast_total,
            "stuck": stuck,
            "stuck_count": len(stuck),
            "stuck_shown": stuck[:MAIL_STUCK_LIMIT],
            "overdue_activities": overdue,
            "overdue_count": sum(row["count"] for row in overdue),
            "order_count": order_count,
            "order_amount": order_amount,
            "order_amount_display": amount(order_amount),
        }

    def _period_label(self, date_from, date_to):
        """The period in words, in the current language."""
        labels = dict(self._fields["periodicity"]._description_selection(self.env))
        if date_from == date_to:
            dates = format_date(self.env, date_from)
        else:
            dates = self.env._(
                "%(from)s to %(to)s",
                **{
                    "from": format_date(self.env, date_from),
                    "to": format_date(self.env, date_to),
                },
            )
        return self.env._(
            "%(periodicity)s report, %(dates)s",
            periodicity=labels.get(self.periodicity, ""),
            dates=dates,
        )

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _send_to(self, user, date_from, date_to):
        """Send the period's report to one recipient, unless he already got it.

        The log row and the e-mail are written in the same transaction, and the
        log is unique per report, period and recipient: a second run, or a
        concurrent one, sends nothing. Returns the log, or an empty recordset.
        """
        self.ensure_one()
        logs = self.env["crm.team.mail.report.log"].sudo()
        if logs.search_count(
            [
                ("report_id", "=", self.id),
                ("date_from", "=", date_from),
                ("user_id", "=", user.id),
            ],
            limit=1,
        ):
            return logs
        # Analysis rows are numbered within what their reader may see: the same
        # id is another row for another recipient. Start each recipient from an
        # empty cache so that nobody's figures are read from somebody else's.
        self.env.invalidate_all()
        figures = self._recipient_env(user)._get_report_figures(date_from, date_to)
        lang_self = self.sudo().with_context(lang=user.lang)
        content, _report_type = (
            self.env["report.crm_360.crm_team_mail_report_xlsx"]
            .with_context(lang=user.lang, active_model=self._name)
            .create_xlsx_report(self.ids, {"figures": figures})
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": lang_self._attachment_name(figures),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                }
            )
        )
        template = self.env.ref("crm_360.mail_template_crm_team_mail_report").sudo()
        mail_id = template.with_context(
            report_lang=user.lang,
            report_figures=figures,
            report_user_name=user.name,
        ).send_mail(
            self.id,
            email_values={
                "recipient_ids": [(6, 0, user.partner_id.ids)],
                "attachment_ids": [(6, 0, attachment.ids)],
            },
            email_layout_xmlid="mail.mail_notification_light",
        )
        return logs.create(
            {
                "report_id": self.id,
                "date_from": date_from,
                "date_to": date_to,
                "user_id": user.id,
                "mail_id": mail_id,
            }
        )

    def _attachment_name(self, figures):
        return self.env._(
            "Sales report %(team)s %(from)s %(to)s.xlsx",
            team=figures["team"],
            **{"from": figures["date_from"], "to": figures["date_to"]},
        )

    def _send_last_period(self, raise_errors=True):
        """Send each report's last completed period to those who did not get it."""
        logs = self.env["crm.team.mail.report.log"]
        for report in self:
            for user in report._get_recipients():
                if not user.partner_id.email:
                    _logger.warning(
                        "Sales report %s: recipient %s has no e-mail address",
                        report.display_name,
                        user.login,
                    )
                    continue
                date_from, date_to = self._get_period(
                    report.periodicity, self._recipient_today(user)
                )
                try:
                    with self.env.cr.savepoint():
                        logs |= report._send_to(user, date_from, date_to)
                except Exception:
                    if raise_errors:
                        raise
                    # One recipient's failure (a broken template translation, a
                    # rule error) must not stop the others; the next run retries.
                    _logger.exception(
                        "Sales report %s could not be sent to %s",
                        report.display_name,
                        user.login,
                    )
        return logs

    @api.model
    def _cron_send_reports(self):
        """Daily: send the periods that ended to everybody who has not got them."""
        reports = self.search([("team_id.active", "=", True)])
        done = 0
        for report in reports:
            report._send_last_period(raise_errors=False)
            done += 1
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(reports) - done
            )

    def action_send_now(self):
        """Send the last completed period now to the recipients still missing it."""
        self.check_access("write")
        for report in self:
            if not report._get_recipients().filtered("partner_id.email"):
                raise UserError(
                    self.env._(
                        "The %(report)s has no recipient with an e-mail address: "
                        "set a team leader or other recipients.",
                        report=report.display_name,
                    )
                )
        logs = self._send_last_period()
        if not logs:
            raise UserError(
                self.env._(
                    "Every recipient has already received the last period's report."
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%s sales reports queued for sending.", len(logs)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class CrmTeamMailReportLog(models.Model):
    """One sales report sent: report, period and recipient, never twice."""

    _name = "crm.team.mail.report.log"
    _description = "Sales Report Sent"
    _order = "date_from desc, id desc"
    _rec_name = "report_id"

    report_id = fields.Many2one(
        "crm.team.mail.report",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    team_id = fields.Many2one(related="report_id.team_id", store=True)
    periodicity = fields.Selection(related="report_id.periodicity", store=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Recipient", required=True, readonly=True, index=True
    )
    mail_id = fields.Many2one(
        "mail.mail", string="E-mail", readonly=True, ondelete="set null"
    )

    _sql_constraints = [
        (
            "period_recipient_uniq",
            "UNIQUE(report_id, date_from, user_id)",
            "This period's report was already sent to this recipient.",
        ),
    ]
