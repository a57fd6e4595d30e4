# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, timedelta

from freezegun import freeze_time
from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_funnel import FunnelCommon


@tagged("post_install", "-at_install")
class TestCrmTeamMailReport(FunnelCommon):
    """Sales reports mailed to managers: periods, figures per recipient's access,
    one send per period and recipient, XLSX attachment, language, bad input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mail_team = cls.env["crm.team"].create(
            {
                "name": "Mail Team",
                "user_id": cls.user_manager.id,
                "company_id": cls.company.id,
            }
        )
        Lead = cls.env["crm.lead"]
        vals = {
            "type": "opportunity",
            "partner_id": cls.customer.id,
            "team_id": cls.mail_team.id,
            "stage_id": cls.stage_new.id,
        }
        cls.deal_moved = Lead.create(
            dict(
                vals, name="Moved deal", user_id=cls.user_own.id, expected_revenue=1000
            )
        )
        cls.deal_moved.stage_id = cls.stage_proposal
        cls.deal_won = Lead.create(
            dict(
                vals, name="Won deal", user_id=cls.user_own_2.id, expected_revenue=2000
            )
        )
        cls.deal_won.stage_id = cls.stage_won
        cls.deal_lost = Lead.create(
            dict(vals, name="Lost deal", user_id=cls.user_own.id, expected_revenue=500)
        )
        cls.deal_lost.action_set_lost()
        cls.deal_open = Lead.create(
            dict(vals, name="Unassigned deal", user_id=False, expected_revenue=300)
        )
        cls.report = cls.env["crm.team.mail.report"].create(
            {
                "team_id": cls.mail_team.id,
                "periodicity": "daily",
                "user_ids": [(6, 0, cls.user_own.ids)],
            }
        )
        # Today as the recipients count it (their time zone), not as the test's own
        # user does: the two differ for an hour or more around midnight.
        assert cls.user_own.tz == cls.user_manager.tz
        cls.today = cls.report._recipient_today(cls.user_own)

    def _figures(self, user):
        return self.report._recipient_env(user)._get_report_figures(
            self.today, self.today
        )

    def _tomorrow(self):
        """Freeze the clock on tomorrow: the daily period is then today."""
        return freeze_time(fields.Datetime.now() + timedelta(days=1))

    def test_period(self):
        period = self.env["crm.team.mail.report"]._get_period
        wednesday = date(2026, 11, 18)
        self.assertEqual(
            period("daily", wednesday), (date(2026, 11, 17), date(2026, 11, 17))
        )
        self.assertEqual(
            period("weekly", wednesday), (date(2026, 11, 9), date(2026, 11, 15))
        )
        monday = date(2026, 11, 16)
        self.assertEqual(
            period("weekly", monday), (date(2026, 11, 9), date(2026, 11, 15))
        )
        self.assertEqual(
            period("monthly", wednesday), (date(2026, 10, 1), date(2026, 10, 31))
        )
        self.assertEqual(
            period("quarterly", wednesday), (date(2026, 7, 1), date(2026, 9, 30))
        )
        new_year = date(2027, 1, 1)
        self.assertEqual(period("daily", new_year), (date(2026, 12, 31),) * 2)
        self.assertEqual(
            period("monthly", new_year), (date(2026, 12, 1), date(2026, 12, 31))
        )
        self.assertEqual(
            period("quarterly", new_year), (date(2026, 10, 1), date(2026, 12, 31))
        )
        self.assertEqual(
            period("monthly", date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))
        )

    def test_figures_follow_the_recipient_access(self):
        manager = self._figures(self.user_manager)
        self.assertEqual(manager["new_opportunities"], 4)
        self.assertEqual(manager["new_revenue"], 3800)
        self.assertEqual((manager["won_count"], manager["won_revenue"]), (1, 2000))
        self.assertEqual((manager["lost_count"], manager["lost_revenue"]), (1, 500))
        funnel = {line["stage"]: line for line in manager["funnel"]}
        self.assertEqual(funnel["C360 New"]["entered"], 4)
        self.assertEqual(funnel["C360 New"]["left"], 2)
        self.assertEqual(funnel["C360 New"]["open"], 1)
        self.assertEqual(funnel["C360 Proposal"]["entered"], 1)
        self.assertEqual(funnel["C360 Proposal"]["open"], 1)
        self.assertEqual(funnel["C360 Won"]["entered"], 1)
        self.assertEqual(funnel["C360 Won"]["open"], 0, "a won deal is not open")

        # A salesman sees his own and unassigned deals only.
        own = self._figures(self.user_own)
        self.assertEqual(own["new_opportunities"], 3)
        self.assertEqual((own["won_count"], own["won_revenue"]), (0, 0))
        self.assertEqual((own["lost_count"], own["lost_revenue"]), (1, 500))
        funnel = {line["stage"]: line for line in own["funnel"]}
        self.assertNotIn("C360 Won", funnel)
        self.assertEqual(funnel["C360 New"]["entered"], 3)

    def test_stuck_deals_and_overdue_activities(self):
        self.deal_moved.sudo().stage_aging_state = "overdue"
        self.deal_won.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.today - timedelta(days=2),
            user_id=self.user_own_2.id,
        )
        manager = self._figures(self.user_manager)
        self.assertEqual([line["name"] for line in manager["stuck"]], ["Moved deal"])
        self.assertEqual(manager["overdue_count"], 1)
        own = self._figures(self.user_own)
        self.assertEqual(own["stuck_count"], 1)
        self.assertEqual(own["overdue_count"], 0, "the activity is on another's deal")
        other = self._figures(self.user_own_2)
        self.assertEqual(other["stuck_count"], 0)

    def test_confirmed_orders(self):
        product = self.env["product.product"].create({"name": "Pump", "list_price": 50})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.mail_team.id,
                "user_id": self.user_own_2.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 4})
                ],
            }
        )
        order.action_confirm()
        manager = self._figures(self.user_manager)
        self.assertEqual((manager["order_count"], manager["order_amount"]), (1, 200))
        own = self._figures(self.user_own)
        self.assertEqual(own["order_count"], 0, "sale.order rules apply")

    def test_cron_sends_once_per_period_and_recipient(self):
        Mail = self.env["mail.mail"]
        with self._tomorrow():
            self.env["crm.team.mail.report"]._cron_send_reports()
        logs = self.report.log_ids
        self.assertEqual(logs.user_id, self.user_manager | self.user_own)
        self.assertEqual(set(logs.mapped("date_from")), {self.today})
        mails = logs.mail_id
        self.assertEqual(len(mails), 2)
        for log in logs:
            self.assertEqual(log.mail_id.recipient_ids, log.user_id.partner_id)
            self.assertIn("Mail Team", log.mail_id.subject)
        mail_count = Mail.search_count([])

        # Second run, same period: nothing sent.
        with self._tomorrow():
            self.env["crm.team.mail.report"]._cron_send_reports()
            self.assertEqual(self.report.log_ids, logs)
            self.assertEqual(Mail.search_count([]), mail_count)
            with self.assertRaisesRegex(UserError, "already received"):
                self.report.with_user(self.user_manager).action_send_now()
        # Already sent is refused by the database too.
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            logs[0].copy()

        # Next day: a new period.
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.report._send_last_period()
        self.assertEqual(len(self.report.log_ids), 4)

    def test_attachment_has_the_recipient_figures(self):
        with self._tomorrow():
            self.report._send_last_period()
        for user in (self.user_manager, self.user_own):
            log = self.report.log_ids.filtered(
                lambda log, user=user: log.user_id == user
            )
            attachment = log.mail_id.attachment_ids
            self.assertEqual(len(attachment), 1)
            self.assertTrue(attachment.name.endswith(".xlsx"))
            book = load_workbook(io.BytesIO(attachment.raw))
            self.assertEqual(
                book.sheetnames,
                [
                    "Summary",
                    "Funnel Movement",
                    "Forecast vs Target",
                    "Stuck Deals",
                    "Overdue Activities",
                ],
            )
            summary = {
                row[0]: row[1:]
                for row in book["Summary"].iter_rows(min_row=5, values_only=True)
            }
            figures = self._figures(user)
            self.assertEqual(
                summary["New opportunities"][0], figures["new_opportunities"]
            )
            self.assertEqual(
                tuple(summary["Won"]), (figures["won_count"], figures["won_revenue"])
            )
            self.assertEqual(summary["Lost"], (1, 500))
            funnel = {
                row[0]: row[1:]
                for row in book["Funnel Movement"].iter_rows(
                    min_row=2, values_only=True
                )
            }
            self.assertEqual(
                funnel["C360 New"][0], 4 if user == self.user_manager else 3
            )
        bodies = {log.user_id: log.mail_id.body_html for log in self.report.log_ids}
        self.assertIn("C360 Won", bodies[self.user_manager])
        self.assertNotIn("C360 Won", bodies[self.user_own], "won by another")

    def test_recipient_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_own.lang = "zh_CN"
        template = self.env.ref("crm_360.mail_template_crm_team_mail_report")
        template.with_context(
            lang="zh_CN"
        ).subject = (
            "{{ object.team_id.name }} 销售报告：{{ ctx['report_figures']['period'] }}"
        )
        self.stage_new.with_context(lang="zh_CN").name = "新建"
        with self._tomorrow():
            self.report._send_last_period()
        by_user = {log.user_id: log.mail_id for log in self.report.log_ids}
        self.assertTrue(
            by_user[self.user_own].subject.startswith("Mail Team 销售报告：")
        )
        self.assertIn("新建", by_user[self.user_own].body_html)
        self.assertNotIn("销售报告", by_user[self.user_manager].subject)
        self.assertIn("C360 New", by_user[self.user_manager].body_html)

    def test_print_xlsx_from_the_menu(self):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.user_manager)
            ._render_xlsx("crm_360.crm_team_mail_report_xlsx", self.report.ids, {})
        )
        self.assertEqual(report_type, "xlsx")
        book = load_workbook(io.BytesIO(content))
        self.assertEqual(book["Summary"]["A1"].value, "Mail Team")

    def test_bad_input(self):
        MailReport = self.env["crm.team.mail.report"].with_user(self.user_manager)
        leaderless = self.env["crm.team"].create({"name": "No Leader"})
        report = MailReport.create({"team_id": leaderless.id, "periodicity": "weekly"})
        with self.assertRaisesRegex(UserError, "no recipient"):
            report.action_send_now()
        with self.assertRaisesRegex(UserError, "end before"):
            report._get_report_figures(self.today, self.today - timedelta(days=1))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            MailReport.create({"team_id": leaderless.id, "periodicity": "weekly"})

    def test_access(self):
        MailReport = self.env["crm.team.mail.report"]
        self.assertTrue(MailReport.with_user(self.user_own).search([]))
        with self.assertRaises(AccessError):
            MailReport.with_user(self.user_own).create(
                {"team_id": self.team.id, "periodicity": "monthly"}
            )
        with self.assertRaises(AccessError):
            self.report.with_user(self.user_own).action_send_now()
        with self.assertRaises(AccessError):
            self.env["crm.team.mail.report.log"].with_user(self.user_own).search([])
        # Another company's user does not see this company's reports.
        self.assertFalse(MailReport.with_user(self.user_company_b).search([]))
