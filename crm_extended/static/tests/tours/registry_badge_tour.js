import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_extended_registry_badge", {
    steps: () => [
        {
            content: "Open the customer card tab",
            trigger: ".o_notebook a[name='crm_card']",
            run: "click",
        },
        {
            content: "Not checked yet: no badge",
            trigger: ".o_notebook div[name='registry_status']:not(:has(.badge))",
        },
        {
            content: "Check the registries",
            trigger: ".o_notebook button[name='action_registry_check']",
            run: "click",
        },
        {
            content: "The verdict badge says OK",
            trigger: ".o_notebook div[name='registry_status'] .badge:contains('OK')",
        },
        {
            content: "The findings of the registries are not shown when all is well",
            trigger: ".o_notebook:not(:has(div[name='registry_summary']:visible))",
        },
    ],
});
