/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const COMPETITOR = "Kestrel Robotics";
const LIST = "div[name='competitor_ids']";
const DIALOG = ".modal:not(.o_inactive_modal) .o_form_view";
const SWOT = `${DIALOG} div[name='swot_item_ids']`;
const SWOT_ROW = `${SWOT} .o_data_row.o_selected_row`;

/** Steps adding one SWOT item in the dialog's editable SWOT list. */
function addSwotItem(quadrant, factor, description, score) {
    // The quadrant is picked by its key: the labels may be reworded.
    return [
        {
            content: `Add a SWOT item: ${quadrant} / ${factor}`,
            trigger: `${SWOT} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: `Quadrant ${quadrant}`,
            trigger: `${SWOT_ROW} .o_field_widget[name=quadrant] select`,
            run: `select "${quadrant}"`,
        },
        {
            content: `Factor ${factor}`,
            trigger: `${SWOT_ROW} .o_field_widget[name=factor_id] input`,
            run: `edit ${factor}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu li:contains(${factor})`,
            run: "click",
        },
        {
            trigger: `${SWOT_ROW} .o_field_widget[name=factor_id] input:value(${factor})`,
        },
        {
            content: "Describe it",
            trigger: `${SWOT_ROW} .o_field_widget[name=description] textarea`,
            run: `edit ${description}`,
        },
        {
            content: `Score ${score}`,
            trigger: `${SWOT_ROW} .o_field_widget[name=score] input`,
            run: `edit ${score}`,
        },
        {
            trigger: `${SWOT_ROW} .o_field_widget[name=score] input:value(${score})`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_360_competitor_tour", {
    steps: () => [
        {
            content: "Open the Competitors tab of the opportunity",
            trigger: ".o_notebook_headers .nav-link:contains(Competitors)",
            run: "click",
        },
        {
            content: "Add a competitor to the deal",
            trigger: `${LIST} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Pick the competitor",
            trigger: `${DIALOG} .o_field_widget[name=competitor_id] input`,
            run: `edit ${COMPETITOR}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu li:contains(${COMPETITOR})`,
            run: "click",
        },
        {
            content: "They are a high threat",
            trigger: `${DIALOG} .o_field_widget[name=threat_level] input[data-value=high]`,
            run: "click",
        },
        {
            trigger: `${DIALOG} .o_field_widget[name=threat_level] input[data-value=high]:checked`,
        },
        {
            content: "Their offer",
            trigger: `${DIALOG} .o_field_widget[name=offer] input`,
            run: "edit KR-500 welding cell",
        },
        ...addSwotItem("strength", "Price", "Cheaper by 15%", 4),
        ...addSwotItem("weakness", "Delivery", "交付周期长", 2),
        {
            content: "The first SWOT item is listed, the second one is being edited",
            trigger: `${SWOT} .o_data_row:not(.o_selected_row):contains(Cheaper by 15%):contains(Price)`,
        },
        {
            trigger: `${SWOT_ROW} .o_field_widget[name=description] textarea:value(交付周期长)`,
        },
        {
            content: "Leave the SWOT list: the row being edited is kept",
            trigger: ".modal:not(.o_inactive_modal) .modal-title",
            run: "click",
        },
        {
            trigger: `${SWOT} .o_data_row:not(.o_selected_row):contains(交付周期长):contains(Delivery)`,
        },
        {
            content: "Save the competitor of the deal",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The competitor is listed with its two SWOT items",
            trigger: `${LIST} .o_data_row:contains(${COMPETITOR}) td[name=swot_count]:contains(2)`,
        },
        {
            trigger: `${LIST} .o_data_row:contains(${COMPETITOR}) td[name=threat_level]:contains(High)`,
        },
        ...stepUtils.saveForm(),
    ],
});
