/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {queryAll} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// The customer built by tests/test_crm_care_campaign_tour.py, with an e-mail and a
// salesperson. The day of care is yesterday: a one-date campaign launched late
// still takes place, whatever the time zones of the browser and the server.
const CUSTOMER = "Lakeside Care Tour Ltd";
const CAMPAIGN = "Care Tour Thank-you";
const YESTERDAY = luxon.DateTime.now().minus({days: 1}).toFormat("MM/dd/yyyy");

registry.category("web_tour.tours").add("crm_care_campaign_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Customer Care menu",
            trigger: ".dropdown-toggle[data-menu-xmlid='crm_360.crm_care_menu']",
            run: "click",
        },
        {
            content: "Open the care campaigns",
            trigger: ".dropdown-item[data-menu-xmlid='crm_360.crm_care_campaign_menu']",
            run: "click",
        },
        {
            content: "Create a campaign",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: `edit ${CAMPAIGN}`,
        },
        {
            content: "Personalised care",
            trigger: ".o_field_widget[name=campaign_type] input[data-value=personal]",
            run: "click",
        },
        {
            content: "Hand-pick a customer",
            trigger: ".o_field_widget[name=partner_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Search the customer",
            trigger: ".modal .o_searchview_input",
            run: `edit ${CUSTOMER} && press Enter`,
        },
        {
            content: "Pick the customer",
            trigger: `.modal .o_data_row td:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "The customer is in the campaign",
            trigger: `.o_field_widget[name=partner_ids] .o_data_row:contains(${CUSTOMER})`,
        },
        {
            content: "It targets one contact",
            trigger: ".o_field_widget[name=target_count]:contains(1)",
        },
        {
            content: "Open the Schedule tab",
            trigger: ".o_notebook_headers .nav-link[name=schedule]",
            run: "click",
        },
        {
            content: "Personalised care takes place on one date: the day of care",
            trigger: ".o_field_widget[name=date_scheduled] input",
            run: `edit ${YESTERDAY} && press Escape`,
        },
        {
            content: "Open the Care Actions tab",
            trigger: ".o_notebook_headers .nav-link[name=actions]",
            run: "click",
        },
        {
            content: "Schedule an activity for the salesperson",
            trigger: ".o_field_widget[name=do_activity] input",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the breadcrumb shows its name",
            trigger: `.o_breadcrumb .o_last_breadcrumb_item:contains(${CAMPAIGN})`,
        },
        {
            content: "Launch",
            trigger: ".o_form_statusbar button[name=action_launch]",
            run: "click",
        },
        {
            content: "Confirm the launch",
            trigger: ".modal-footer .btn-primary:contains(Ok)",
            run: "click",
        },
        {
            content: "The customer is a member",
            trigger: "button[name=action_view_members] .o_stat_value:contains(1)",
        },
        {
            content: "Open the members",
            trigger: "button[name=action_view_members]",
            run: "click",
        },
        {
            content: "The members list shows the customer, cared for",
            trigger: `.o_list_view .o_data_row td[name=partner_id]:contains(${CUSTOMER})`,
            run() {
                const rows = queryAll(".o_list_view .o_data_row");
                const state = rows[0]
                    ?.querySelector("td[name=state]")
                    .textContent.trim();
                if (rows.length !== 1 || state !== "Cared For") {
                    throw new Error(
                        `Expected one member, cared for; got ${rows.length} (${state})`
                    );
                }
            },
        },
        {
            content: "Back to the campaign by the breadcrumb",
            trigger: `.o_breadcrumb .breadcrumb-item a:contains(${CAMPAIGN})`,
            run: "click",
        },
        {
            content: "The campaign is back",
            trigger: `.o_breadcrumb .o_last_breadcrumb_item:contains(${CAMPAIGN})`,
        },
    ],
});
