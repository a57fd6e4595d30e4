/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const LIST = "div[name='influencer_ids']";
const ROW = `${LIST} .o_data_row.o_selected_row`;

registry.category("web_tour.tours").add("crm_360_cute_tab_tour", {
    steps: () => [
        {
            content: "Open the CUTE tab of the opportunity",
            trigger: ".o_notebook_headers .nav-link:contains(CUTE)",
            run: "click",
        },
        {
            content: "Nobody assessed yet: a neutral notice, no red flag",
            trigger: ".o_cute_not_assessed:contains(Not assessed yet)",
        },
        {
            trigger: ".o_form_view:not(:has(.o_cute_flags:visible))",
        },
        {
            content: "Add a first influencer",
            trigger: `${LIST} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Pick the CFO as contact",
            trigger: `${ROW} .o_field_widget[name=partner_id] input`,
            run: "edit 王建国",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li:contains(王建国)",
            run: "click",
        },
        {
            content: "No role is chosen for us: the line does not count yet",
            trigger: ".o_cute_not_assessed:contains(Not assessed yet)",
        },
        {
            content: "He holds the budget: Economic",
            trigger: `${ROW} .o_field_widget[name=role] select`,
            run: "selectByLabel Economic",
        },
        {
            content: "The Economic influence is now identified",
            trigger: `.o_cute_map_role[data-role=economic]:contains(王建国)`,
        },
        {
            content: "Add a second influencer",
            trigger: `${LIST} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Pick the purchasing lead",
            trigger: `${ROW} .o_field_widget[name=partner_id] input`,
            run: "edit Zhao Min",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li:contains(Zhao Min)",
            run: "click",
        },
        {
            content: "She is our Coach",
            trigger: `${ROW} .o_field_widget[name=role] select`,
            run: "selectByLabel Coach",
        },
        {
            content:
                "The flags follow: no more 'No Coach', the Economic is not met yet",
            trigger:
                ".o_cute_flags:contains(Economic influence not met in person):not(:contains(No Coach))",
        },
        {
            trigger: ".o_cute_map_role[data-role=coach]:contains(Zhao Min)",
        },
        ...stepUtils.saveForm(),
    ],
});
