import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_card_tab", {
    steps: () => [
        {
            content: "Open the customer card tab",
            trigger: ".o_notebook a[name='crm_card']",
            run: "click",
        },
        {
            content: "The balance figures are on the card",
            trigger: ".o_notebook div[name='card_open_balance']",
        },
        {
            content: "So is the overdue balance",
            trigger: ".o_notebook div[name='card_overdue_balance']",
        },
    ],
});
