/** @odoo-module **/
// Copyright 2026 crm_360 contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {click, queryFirst} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";

// The deal built by tests/test_crm_lead_erp_tour.py: 10 lathes at 100 ordered,
// 6 delivered, the order invoiced in full 30 days ago (due then) and 400 of it paid.
const PAGE = ".o_notebook .tab-pane.active";

/** A step checking the amount a field of the "Orders & Invoicing" tab shows. */
function amount(field, value) {
    return {
        content: `${field} shows ${value}`,
        trigger: `${PAGE} .o_field_widget[name=${field}]:contains(${value})`,
    };
}

registry.category("web_tour.tours").add("crm_360_erp_tour", {
    steps: () => [
        {
            content: "The opportunity is open",
            trigger:
                ".o_breadcrumb .o_last_breadcrumb_item:contains(Lathes for the ERP tour)",
        },
        {
            content: "Open the Orders & Invoicing tab",
            trigger: ".o_notebook_headers .nav-link[name=erp]",
            run: "click",
        },
        amount("expected_revenue", "1,500.00"),
        amount("ordered_amount", "1,000.00"),
        amount("delivered_amount", "600.00"),
        amount("invoiced_amount", "1,000.00"),
        amount("paid_amount", "400.00"),
        {
            content: "The 600 still due are overdue",
            trigger: `${PAGE} .o_field_widget[name=overdue_receivable_amount]:contains(600.00)`,
        },
        {
            content: "Show the smart buttons folded under More, if any",
            trigger: ".o_form_view .o-form-buttonbox",
            async run() {
                const more = queryFirst(".o-form-buttonbox .o_button_more");
                if (more) {
                    await click(more);
                }
            },
        },
        {
            content: "One delivery",
            trigger:
                "button[name=action_view_erp_deliveries] .o_stat_value:contains(1)",
        },
        {
            content: "One invoice: open it",
            trigger: "button[name=action_view_erp_invoices]:contains(Invoices)",
            run: "click",
        },
        {
            content: "The invoice opens in its form, partly paid",
            trigger: ".o_form_view .ribbon:contains(Partial)",
        },
        {
            content: "It is the customer's invoice",
            trigger:
                ".o_form_view .o_field_widget[name=partner_id]:contains(Huaxin Machinery)",
        },
        {
            content: "600 are still due",
            trigger:
                ".o_form_view .o_field_widget[name=amount_residual]:contains(600.00)",
        },
        {
            content: "Back to the deal by the breadcrumb",
            trigger:
                ".o_breadcrumb .breadcrumb-item a:contains(Lathes for the ERP tour)",
            run: "click",
        },
        {
            content: "The deal is back",
            trigger:
                ".o_breadcrumb .o_last_breadcrumb_item:contains(Lathes for the ERP tour)",
        },
    ],
});
