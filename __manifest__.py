# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM 360",
    "summary": "CUTE buying influencers with coverage scoring and stage gates, "
    "competitor SWOT and win/loss analysis on opportunities, "
    "complaint classification and handling on the helpdesk",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-360/crm_360",
    "author": "crm_360 contributors",
    "maintainers": ["crm-360"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": False,
    "installable": True,
    # zh_CN of OCA helpdesk_mgmt's Python/JS messages (hooks.py explains why)
    "post_load": "post_load",
    # The whole dependency set lives here; README.md "Dependencies" explains each one.
    "depends": [
        "crm",  # opportunities, stages, sales teams' pipeline
        "sale_crm",  # quotations from opportunities (ERP side of the deal)
        "sales_team",  # the salesman / all leads / manager groups our rules mirror
        "mail",  # chatter notes and activities for stage-gate warnings
        "contacts",  # the Contacts app where "Buying roles" shows on people
        "helpdesk_mgmt",  # OCA (PyPI 18.0): tickets that complaints extend
        "helpdesk_mgmt_rating",  # OCA (PyPI 18.0): satisfaction rating after closing
        "hr",  # employees complained about, departments complaints escalate to
        "sale_stock",  # orders, deliveries and lots a complaint is about; returns
        "loyalty",  # goodwill coupons offered as a complaint remedy
        "report_xlsx",  # OCA (PyPI 18.0): XLSX exports of the funnel reports
        "sale_margin",  # order margins: the profit axis of the customer value matrix
        "sale_loyalty",  # care coupons redeemed on orders: their use and their cost
        "mass_mailing",  # care e-mails as real mailings with their statistics
        "partner_contact_birthdate",  # OCA (PyPI 18.0): contacts' birth dates
    ],
    "data": [
        # groups, then access rights, then the record rules of each capability
        "security/crm_360_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_lead_influencer_security.xml",
        "security/crm_competitor_security.xml",
        "security/helpdesk_complaint_security.xml",
        "security/crm_funnel_security.xml",
        "security/res_partner_analytics_security.xml",
        "security/crm_care_campaign_security.xml",
        # shared: the crons, and the core screens several capabilities fill
        "data/crm_360_data.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "views/crm_stage_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        # buying influencers (CUTE)
        "views/crm_lead_influencer_views.xml",
        "wizards/crm_lead_influencer_memory_views.xml",
        "reports/crm_lead_reports.xml",
        "reports/crm_lead_templates.xml",
        # competitors and SWOT
        "data/crm_swot_factor_data.xml",
        "reports/crm_competitor_reports.xml",
        "reports/crm_competitor_templates.xml",
        "reports/crm_competitor_report_views.xml",
        "views/crm_competitor_views.xml",
        "views/crm_lead_competitor_views.xml",
        "views/crm_swot_factor_views.xml",
        "views/crm_swot_item_views.xml",
        "wizards/crm_lead_lost_views.xml",
        # complaints
        "data/helpdesk_complaint_category_data.xml",
        "data/helpdesk_complaint_priority_data.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "data/helpdesk_complaint_keyword_data.xml",
        "data/helpdesk_complaint_root_cause_data.xml",
        "data/helpdesk_complaint_investigation_data.xml",
        "reports/helpdesk_complaint_report_views.xml",
        "views/helpdesk_complaint_keyword_views.xml",
        "views/helpdesk_complaint_category_views.xml",
        "views/helpdesk_complaint_priority_views.xml",
        "views/helpdesk_complaint_solution_views.xml",
        "wizards/helpdesk_complaint_escalate_views.xml",
        "views/helpdesk_complaint_root_cause_views.xml",
        "views/helpdesk_complaint_action_views.xml",
        "views/helpdesk_complaint_investigation_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_remedy_views.xml",
        "views/account_move_complaint_views.xml",
        "views/stock_picking_complaint_views.xml",
        "views/sale_order_complaint_views.xml",
        "views/loyalty_card_complaint_views.xml",
        "wizards/helpdesk_complaint_coupon_views.xml",
        "views/helpdesk_ticket_stage_history_views.xml",
        "views/res_config_settings_complaint_views.xml",
        # sales funnel
        "data/mail_activity_type_data.xml",
        "data/crm_team_mail_report_data.xml",
        "views/crm_lead_stage_history_views.xml",
        "reports/crm_funnel_report_views.xml",
        "views/crm_sales_target_views.xml",
        "reports/crm_forecast_report_views.xml",
        "reports/crm_sales_activity_report_views.xml",
        "reports/crm_sales_activity_reports.xml",
        "views/crm_team_mail_report_views.xml",
        "reports/crm_team_mail_reports.xml",
        "reports/crm_funnel_reports.xml",
        "reports/crm_funnel_summary_templates.xml",
        # customer value and ERP integration
        "data/res_partner_data.xml",
        "views/res_partner_analytics_views.xml",
        "views/res_partner_master_views.xml",
        "views/res_partner_value_history_views.xml",
        "reports/crm_lead_reconciliation_report_views.xml",
        "reports/res_partner_pareto_report_views.xml",
        # customer care
        "data/crm_care_campaign_data.xml",
        "data/crm_care_holiday_data.xml",
        "views/crm_care_campaign_views.xml",
        "views/crm_care_campaign_member_views.xml",
        "views/crm_care_holiday_views.xml",
        "reports/crm_care_campaign_report_views.xml",
        "reports/crm_care_campaign_reports.xml",
        # the menus of every capability
        "views/crm_360_menus.xml",
    ],
    "demo": [
        "demo/crm_lead_influencer_demo.xml",
        "demo/crm_competitor_demo.xml",
        "demo/helpdesk_complaint_demo.xml",
        "demo/crm_sales_target_demo.xml",
        "demo/crm_lead_stage_history_demo.xml",
        "demo/crm_lead_influencer_salesman_demo.xml",
        "demo/customer_value_demo.xml",
        "demo/crm_care_campaign_demo.xml",
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_360/static/src/scss/crm_swot_matrix.scss",
        ],
        # Odoo loads its graph and pivot views lazily; a graph view of ours too.
        "web.assets_backend_lazy": [
            "crm_360/static/src/views/pareto_graph_view.js",
        ],
        "web.assets_tests": [
            "crm_360/static/tests/tours/*.js",
        ],
    },
}
