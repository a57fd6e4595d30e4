/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_360_complaint_classification_tour", {
    steps: () => [
        {
            content: "The suggestion shows its aspect, urgency and confidence",
            trigger: ".o_complaint_suggestion:contains(Product / Quality):contains(%)",
        },
        {
            content: "Accept the suggestion",
            trigger:
                ".o_complaint_suggestion button[name=action_accept_complaint_suggestion]",
            run: "click",
        },
        {
            content: "The complaint is classified as suggested",
            trigger:
                ".o_field_widget[name=complaint_aspect_id] input:value(Product / Quality)",
        },
        {
            content: "The suggestion banner is gone",
            trigger: "body:not(:has(.o_complaint_suggestion:visible))",
        },
        {
            content: "The classification says it was accepted",
            trigger:
                ".o_field_widget[name=complaint_classification_state]:contains(Accepted)",
        },
    ],
});
