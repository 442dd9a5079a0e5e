import { registry } from "@web/core/registry";

/**
 * The form shows only the first few smart buttons and folds the others into
 * "More"; how many depends on the screen width and on the other card features
 * installed. Open "More" (if there is one) so every button of the box is reachable.
 */
function unfoldButtonBox() {
    const more = document.querySelector(".o-form-buttonbox .o_button_more");
    if (more && more.getAttribute("aria-expanded") !== "true") {
        more.click();
    }
}

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
            content: "Show the smart buttons folded into More, if any",
            trigger: ".o-form-buttonbox",
            run: unfoldButtonBox,
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
