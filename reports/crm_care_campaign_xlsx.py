# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmCareCampaignXlsx(models.AbstractModel):
    """Care campaign results to XLSX: a "Campaigns" sheet with one line per
    campaign (its members, response, revenue against the hold-out, uplift,
    costs and ROI, as the campaign computes them) and a "Members" sheet with
    one line per member and what was done for him.

    Read through the ORM as the printing user (report_xlsx renders without
    sudo): the revenue counts the orders he may see, the members sheet lists
    the members he may see.
    """

    _name = "report.crm_360.crm_care_campaign_xlsx"
    _inherit = ["report.report_xlsx.abstract", "crm.funnel.xlsx.mixin"]
    _description = "Care Campaign Results XLSX"

    def _selection_labels(self, model, fname):
        return dict(self.env[model]._fields[fname]._description_selection(self.env))

    def _yes_no(self, value):
        return self.env._("Yes") if value else self.env._("No")

    def _campaign_columns(self):
        return [
            (self.env._("Campaign"), 30, None),
            (self.env._("Type"), 22, None),
            (self.env._("Status"), 12, None),
            (self.env._("Owner"), 20, None),
            (self.env._("Members"), 10, None),
            (self.env._("Hold-out"), 10, None),
            (self.env._("Customers"), 11, None),
            (self.env._("Responded"), 11, None),
            (self.env._("Response"), 11, "percent"),
            (self.env._("Orders"), 10, None),
            (self.env._("Revenue"), 16, "money"),
            (self.env._("Hold-out Revenue per Customer"), 18, "money"),
            (self.env._("Revenue per Customer"), 16, "money"),
            (self.env._("Uplift"), 10, "percent"),
            (self.env._("Gift Cost"), 14, "money"),
            (self.env._("Coupon Cost"), 14, "money"),
            (self.env._("Resource Cost"), 14, "money"),
            (self.env._("Total Cost"), 14, "money"),
            (self.env._("Budget"), 14, "money"),
            (self.env._("ROI"), 10, "percent"),
        ]

    def _campaign_rows(self, campaigns):
        types = self._selection_labels("crm.care.campaign", "campaign_type")
        states = self._selection_labels("crm.care.campaign", "state")
        return [
            (
                campaign.currency_id,
                [
                    campaign.name,
                    types.get(campaign.campaign_type, ""),
                    states.get(campaign.state, ""),
                    campaign.user_id.name or "",
                    campaign.member_count,
                    campaign.holdout_count,
                    campaign.member_customer_count,
                    campaign.responded_count,
                    campaign.response_rate / 100.0,
                    campaign.member_order_count,
                    campaign.member_revenue,
                    campaign.holdout_revenue_per_customer,
                    campaign.revenue_per_customer,
                    # Undefined (see the field help): an empty cell, not 0.
                    campaign.uplift_percent / 100.0
                    if campaign.uplift_defined
                    else None,
                    campaign.gift_cost,
                    campaign.coupon_cost,
                    campaign.resource_cost,
                    campaign.total_cost,
                    campaign.budget_amount,
                    campaign.roi_percent / 100.0 if campaign.roi_defined else None,
                ],
            )
            for campaign in campaigns
        ]

    def _member_columns(self):
        return [
            (self.env._("Campaign"), 30, None),
            (self.env._("Day of Care"), 12, "date"),
            (self.env._("Contact"), 26, None),
            (self.env._("Customer"), 26, None),
            (self.env._("Salesperson"), 20, None),
            (self.env._("Status"), 12, None),
            (self.env._("E-mail Status"), 12, None),
            (self.env._("Activity"), 12, None),
            (self.env._("Gift Order"), 12, None),
            (self.env._("Coupon Code"), 20, None),
            (self.env._("Coupon Used"), 10, None),
            (self.env._("Responded"), 10, None),
            (self.env._("Orders"), 10, None),
            (self.env._("Revenue"), 16, "money"),
        ]

    def _member_rows(self, members):
        Member = "crm.care.campaign.member"
        states = self._selection_labels(Member, "state")
        email_statuses = self._selection_labels(Member, "email_status")
        activity_states = self._selection_labels(Member, "activity_state")
        return [
            (
                member.currency_id,
                [
                    member.campaign_id.name,
                    member.occurrence_date or None,
                    member.partner_id.display_name or "",
                    member.commercial_partner_id.display_name or "",
                    member.user_id.name or "",
                    states.get(member.state, ""),
                    email_statuses.get(member.email_status, ""),
                    activity_states.get(member.activity_state, ""),
                    # The order's reference, as a form shows it (Many2one
                    # names are read as superuser): the order itself may be
                    # another salesperson's.
                    member.gift_order_id.sudo().name or "",
                    member.coupon_code or "",
                    self._yes_no(member.coupon_used) if member.coupon_id else "",
                    self._yes_no(member.responded),
                    member.order_count,
                    member.revenue,
                ],
            )
            for member in members
        ]

    def _write_sheet(self, workbook, formats, title, columns, rows):
        """A sheet with a frozen, formatted header; money in each row's
        currency."""
        sheet = workbook.add_worksheet(title)
        for col, (label, width, _fmt) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, label, formats["header"])
        sheet.set_row(0, 30)
        sheet.freeze_panes(1, 1)
        row = 0
        for row, (currency, values) in enumerate(rows, start=1):
            for col, value in enumerate(values):
                kind = columns[col][2]
                if value is None or value == "":
                    continue
                if kind == "money":
                    money = self._money(workbook, formats, currency)
                    sheet.write_number(row, col, value, money)
                elif kind == "date":
                    sheet.write_datetime(row, col, value, formats["date"])
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, formats.get(kind))
                else:
                    sheet.write_string(row, col, value)
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        return sheet

    def _money(self, workbook, formats, currency):
        key = ("money", currency.id)
        if key not in formats:
            formats[key] = workbook.add_format(
                {"num_format": self._report_xlsx_currency_format(currency)}
            )
        return formats[key]

    def create_xlsx_report(self, docids, data):
        self._xlsx_check_data(docids, data)
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, objs):
        # The selected campaigns (archived ones too) or the printed domain,
        # searched as the user: his record rules apply whatever ids are sent.
        campaigns = (
            self.env["crm.care.campaign"]
            .with_context(active_test=not objs)
            .search(self._xlsx_domain(data, objs))
        )
        formats = self._xlsx_formats(workbook)
        formats["date"] = workbook.add_format(
            {"num_format": "yyyy-mm-dd", "align": "left"}
        )
        self._write_sheet(
            workbook,
            formats,
            self.env._("Campaigns"),
            self._campaign_columns(),
            self._campaign_rows(campaigns),
        )
        members = self.env["crm.care.campaign.member"].search(
            [("campaign_id", "in", campaigns.ids)], order="occurrence_date, id"
        )
        campaign_order = {
            campaign.id: index for index, campaign in enumerate(campaigns)
        }
        members = members.sorted(lambda m: campaign_order[m.campaign_id.id])
        self._write_sheet(
            workbook,
            formats,
            self.env._("Members"),
            self._member_columns(),
            self._member_rows(members),
        )
