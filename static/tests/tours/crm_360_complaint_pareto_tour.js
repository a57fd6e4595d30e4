/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_360_complaint_pareto_tour", {
    steps: () => [
        {
            content: "The complaint analysis opens on its chart",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content:
                "Bars largest first, and the cumulative share as a line up to 100 %",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = window.Chart.getChart(
                    document.querySelector(".o_graph_renderer canvas")
                );
                const [bars, line] = chart.data.datasets;
                if (!line || !line.crm360Pareto || line.type !== "line") {
                    throw new Error("no cumulative share line on the Pareto chart");
                }
                const sorted = [...bars.data].sort((a, b) => b - a);
                if (JSON.stringify(sorted) !== JSON.stringify(bars.data)) {
                    throw new Error(`bars not largest first: ${bars.data}`);
                }
                if (
                    line.data[line.data.length - 1] !== 100 ||
                    line.yAxisID !== "pareto"
                ) {
                    throw new Error(
                        `cumulative share not on its own 0-100 axis: ${line.data}`
                    );
                }
                if (chart.options.scales.pareto.max !== 100) {
                    throw new Error("the share axis does not end at 100 %");
                }
            },
        },
    ],
});
