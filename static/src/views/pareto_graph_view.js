/** @odoo-module */
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A Pareto chart (帕累托图): the bars of a graph sorted largest first, with
// the cumulative share of the total drawn as a line on a 0-100 % axis on the
// right. The line is computed from the bars the reader sees, so that it follows
// his filters and groupings. Use: <graph js_class="crm360_pareto_graph" type="bar" order="desc">.
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {sortBy} from "@web/core/utils/arrays";
import {GraphModel} from "@web/views/graph/graph_model";
import {GraphRenderer} from "@web/views/graph/graph_renderer";
import {graphView} from "@web/views/graph/graph_view";

export class ParetoGraphModel extends GraphModel {
    /** The cumulative share replaces Odoo's overlay on a single series of bars. */
    _getLineOverlayDataset() {
        const {datasets} = this.data;
        if (this.metaData.mode !== "bar" || datasets.length !== 1) {
            return super._getLineOverlayDataset();
        }
        const [bars] = datasets;
        const total = bars.data.reduce((sum, value) => sum + value, 0);
        if (!total) {
            return null;
        }
        let running = 0;
        const data = bars.data.map((value) => {
            running += value;
            return Math.round((running * 1000) / total) / 10;
        });
        return {
            label: _t("Cumulative Share (%)"),
            data,
            trueLabels: bars.trueLabels,
            crm360Pareto: true,
        };
    }
}

export class ParetoGraphRenderer extends GraphRenderer {
    getChartConfig() {
        const config = super.getChartConfig();
        const line = (config.data.datasets || []).find(
            (dataset) => dataset.crm360Pareto
        );
        if (line) {
            line.yAxisID = "pareto";
            config.options.scales.pareto = {
                type: "linear",
                position: "right",
                min: 0,
                max: 100,
                grid: {display: false},
                border: {display: false},
                ticks: {callback: (value) => `${value} %`},
            };
        }
        return config;
    }

    getTooltipItems(data, metaData, tooltipModel) {
        const items = super.getTooltipItems(data, metaData, tooltipModel);
        // Same order as Odoo's items: the data points sorted by value.
        const points = sortBy(tooltipModel.dataPoints, "raw", "desc");
        points.forEach((point, index) => {
            const dataset =
                data.datasets[point.datasetIndex] || this.model.lineOverlayDataset;
            if (dataset && dataset.crm360Pareto && items[index]) {
                items[index].label = `${items[index].label} / ${dataset.label}`;
                items[index].value = `${dataset.data[point.dataIndex]} %`;
            }
        });
        return items;
    }
}

export const paretoGraphView = {
    ...graphView,
    Model: ParetoGraphModel,
    Renderer: ParetoGraphRenderer,
};

registry.category("views").add("crm360_pareto_graph", paretoGraphView);
