/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Run by tests/test_crm_360_zh_cn_tour.py as a care manager working in 简体中文:
// crm_360's menus, list columns and figures read in Chinese.
registry.category("web_tour.tours").add("crm_360_zh_cn_tour", {
    steps: () => [
        {
            content: "The Customer Care menu reads 客户关怀",
            trigger:
                ".dropdown-toggle[data-menu-xmlid='crm_360.crm_care_menu']:contains(客户关怀)",
            run: "click",
        },
        {
            content: "Care campaigns read 关怀活动",
            trigger:
                ".dropdown-item[data-menu-xmlid='crm_360.crm_care_campaign_menu']:contains(关怀活动)",
            run: "click",
        },
        {
            content: "The campaign list is in Chinese",
            trigger: ".o_breadcrumb:contains(关怀活动)",
        },
        {
            content: "Its campaign is listed",
            trigger: ".o_data_row td:contains(中秋关怀)",
            run: "click",
        },
        {
            content: "The form's fields are labelled in Chinese",
            trigger: ".o_form_view label:contains(负责人)",
        },
    ],
});
