/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {queryAll} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// The deals built by tests/test_crm_funnel_tour.py: five entered Tour Lead In,
// four reached Tour Proposal (one by skipping it, one lost there), one was won.
const PROPOSAL_DEALS = ["Tour Deal A", "Tour Deal B", "Tour Deal C", "Tour Deal E"];

/** The "# Reached" cell (first measure) of a stage's row in the pivot. */
function reachedCell(stage) {
    return `.o_pivot tbody tr:has(th:contains(${stage})) td.o_pivot_cell_value:nth-child(2)`;
}

registry.category("web_tour.tours").add("crm_360_funnel_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".dropdown-toggle[data-menu-xmlid='crm.crm_menu_report']",
            run: "click",
        },
        {
            content: "Open the sales funnel",
            trigger: ".dropdown-item[data-menu-xmlid='crm_360.crm_funnel_report_menu']",
            run: "click",
        },
        {
            content: "The funnel opens as a chart of the deals reaching each stage",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Only the opportunities",
            trigger: ".o_searchview .o_facet_value:contains(Opportunities)",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Five deals entered the first stage",
            trigger: `${reachedCell("Tour Lead In")} .o_value:contains(5)`,
        },
        {
            content: "Four reached the proposal, one of them by skipping it",
            trigger: `${reachedCell("Tour Proposal")} .o_value:contains(4)`,
        },
        {
            content: "One was won",
            trigger: `${reachedCell("Tour Won")} .o_value:contains(1)`,
        },
        {
            content: "Drill into the proposal stage",
            trigger: reachedCell("Tour Proposal"),
            run: "click",
        },
        {
            content: "The deals that reached it are listed, the lost one included",
            trigger: ".o_list_view .o_data_row td[name=lead_id]:contains(Tour Deal E)",
        },
        {
            content: "Exactly those deals, all in the proposal stage",
            trigger: ".o_list_view .o_data_row td[name=lead_id]:contains(Tour Deal A)",
            run() {
                const rows = queryAll(".o_list_view .o_data_row");
                const deals = rows
                    .map((row) =>
                        row.querySelector("td[name=lead_id]").textContent.trim()
                    )
                    .sort();
                const stages = new Set(
                    rows.map((row) =>
                        row.querySelector("td[name=stage_id]").textContent.trim()
                    )
                );
                if (
                    JSON.stringify(deals) !== JSON.stringify(PROPOSAL_DEALS) ||
                    stages.size !== 1 ||
                    !stages.has("Tour Proposal")
                ) {
                    throw new Error(
                        `Expected ${PROPOSAL_DEALS} in Tour Proposal, got ${deals} in ${[
                            ...stages,
                        ]}`
                    );
                }
            },
        },
        {
            content: "Back to the funnel by the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Sales Funnel)",
            run: "click",
        },
        {
            content: "The pivot is back",
            trigger: reachedCell("Tour Proposal"),
        },
    ],
});
