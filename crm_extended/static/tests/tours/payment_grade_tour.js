import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_payment_grade", {
    steps: () => [
        {
            content: "Open the customer card tab",
            trigger: ".o_notebook a[name='crm_card']",
            run: "click",
        },
        {
            content: "The grade badge is on the card",
            trigger: ".o_notebook div[name='payment_grade'] .badge:contains('C')",
        },
        {
            content: "With its reason",
            trigger: ".o_notebook div[name='payment_grade_reason']:contains('days late on average')",
        },
        {
            content: "A salesperson sees no ageing amounts",
            trigger: ".o_notebook:not(:has(div[name='payment_ageing_over_90']))",
        },
        {
            content: "Open the payment trend",
            trigger: "button[name='action_payment_trend']",
            run: "click",
        },
        {
            content: "The trend graph of days late is shown",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
